/**
 * GraphiQL at `/playground` in `-dev` mode only, as the original serves its
 * GraphQL playground there in development: a page, its start script and
 * GraphiQL's assets, all from the executable itself (no CDN). The page needs
 * no inline script or style, and queries `/query` on the same origin, so the
 * session cookie goes along and a logged-in user can run queries (including
 * the introspection query GraphiQL starts with).
 *
 * @module
 */
import type { Context, Env, Hono } from "hono";
import { DEV_TOOL_CONTENT_SECURITY_POLICY } from "../../render/content_security_policy.ts";

type Assets = typeof import("./playground_assets.ts").PLAYGROUND_ASSETS;

/** `/playground`. */
export const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cc-backend GraphQL playground</title>
<link rel="stylesheet" href="/playground/graphiql.min.css">
<link rel="stylesheet" href="/playground/playground.css">
</head>
<body>
<div id="graphiql">Loading GraphiQL...</div>
<script src="/playground/react.production.min.js"></script>
<script src="/playground/react-dom.production.min.js"></script>
<script src="/playground/graphiql.min.js"></script>
<script src="/playground/playground.js"></script>
</body>
</html>
`;

/** `/playground/playground.css`: GraphiQL fills the window. */
export const PLAYGROUND_CSS = `html, body { height: 100%; margin: 0; overflow: hidden; }
#graphiql { height: 100vh; }
`;

/** `/playground/playground.js`: starts GraphiQL against `/query` on this origin. */
export const PLAYGROUND_JS = `"use strict";
(function () {
  var fetcher = GraphiQL.createFetcher({
    url: new URL("/query", window.location.href).toString(),
    enableIncrementalDelivery: false,
    fetch: function (input, init) {
      return window.fetch(input, Object.assign({}, init, { credentials: "same-origin" }));
    },
  });
  ReactDOM.render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }),
    document.getElementById("graphiql"),
  );
})();
`;

/** Adds the playground routes to `app` when `dev` is set. */
export function mountPlayground<E extends Env>(app: Hono<E>, options: { dev: boolean }): void {
  if (!options.dev) return;

  // ~4 MB of text: imported on first use, so servers without -dev never hold it.
  let assets: Promise<Assets> | undefined;
  const text = (body: string, type: string) => (c: Context) =>
    c.body(body, 200, { "Content-Type": `${type}; charset=utf-8`, "Cache-Control": "no-cache" });
  app.get(
    "/playground",
    (c) =>
      c.html(PLAYGROUND_HTML, 200, { "Content-Security-Policy": DEV_TOOL_CONTENT_SECURITY_POLICY }),
  );
  app.get("/playground/", (c) => c.redirect("/playground", 301));
  app.get("/playground/playground.js", text(PLAYGROUND_JS, "text/javascript"));
  app.get("/playground/playground.css", text(PLAYGROUND_CSS, "text/css"));
  app.get("/playground/:file", async (c, next) => {
    assets ??= import("./playground_assets.ts").then((m) => m.PLAYGROUND_ASSETS);
    const all = await assets;
    const file = c.req.param("file");
    const asset = Object.hasOwn(all, file) ? all[file] : undefined;
    if (!asset) return await next();
    return c.body(asset.body, 200, {
      "Content-Type": asset.type,
      "Cache-Control": "public, max-age=86400",
    });
  });
}
