/**
 * Serves the OpenAPI document at `GET /swagger/doc.json` (always) and, in
 * `-dev` mode only, Swagger UI at `/swagger/` and `/swagger/index.html`
 * with its assets from the executable itself.
 *
 * @module
 */
import type { Context, Env, Hono } from "hono";
import { DEV_TOOL_CONTENT_SECURITY_POLICY } from "../../render/content_security_policy.ts";
import { escapeGoJson } from "../../archive/go_json.ts";
import { OPENAPI_DOCUMENT } from "./openapi.ts";
import { SWAGGER_INDEX_HTML, SWAGGER_INITIALIZER_JS } from "./swagger_page.ts";

type Assets = typeof import("./swagger_assets.ts").SWAGGER_ASSETS;

/** Adds the swagger routes to `app`. */
export function mountSwagger<E extends Env>(app: Hono<E>, options: { dev: boolean }): void {
  const document = escapeGoJson(JSON.stringify(OPENAPI_DOCUMENT)) + "\n";
  app.get(
    "/swagger/doc.json",
    (c) => c.body(document, 200, { "Content-Type": "application/json" }),
  );
  if (!options.dev) return;

  // ~2 MB of text: imported on first use, so servers without -dev never hold it.
  let assets: Promise<Assets> | undefined;
  const page = (c: Context) =>
    c.html(SWAGGER_INDEX_HTML, 200, {
      "Content-Security-Policy": DEV_TOOL_CONTENT_SECURITY_POLICY,
    });
  app.get("/swagger", (c) => c.redirect("/swagger/", 301));
  app.get("/swagger/", page);
  app.get("/swagger/index.html", page);
  app.get(
    "/swagger/swagger-initializer.js",
    (c) =>
      c.body(SWAGGER_INITIALIZER_JS, 200, { "Content-Type": "text/javascript; charset=utf-8" }),
  );
  app.get("/swagger/:file", async (c, next) => {
    assets ??= import("./swagger_assets.ts").then((m) => m.SWAGGER_ASSETS);
    const asset = Object.hasOwn(await assets, c.req.param("file"))
      ? (await assets)[c.req.param("file")]
      : undefined;
    if (!asset) return await next();
    return c.body(asset.body, 200, {
      "Content-Type": asset.type,
      "Cache-Control": "public, max-age=86400",
    });
  });
}
