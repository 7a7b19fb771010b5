import assert from "node:assert/strict";
import { Hono } from "hono";
import { mountPlayground } from "../../server/api/graphql/mount_playground.ts";
import { securityHeaders } from "../../server/http/security_middleware.ts";
import { createGraphqlTestSite } from "../graphql/graphql_test_site.ts";
import { launchChromium, skipWithoutChromium } from "./chromium.ts";

Deno.test({
  name: "GraphiQL at /playground introspects and runs a query with the session cookie",
  ignore: skipWithoutChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const site = await createGraphqlTestSite({ count: 5 });
    const app = new Hono();
    app.use(securityHeaders({ tls: false }));
    mountPlayground(app, { dev: true });
    // Stands in for the session guard: only requests with the cookie get through.
    app.post("/query", async (c) => {
      if (!/\bsession=ok\b/.test(c.req.header("Cookie") ?? "")) return c.json({ errors: [] }, 401);
      return await site.request("/query", {
        method: "POST",
        headers: { "Content-Type": c.req.header("Content-Type") ?? "" },
        body: await c.req.text(),
      });
    });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    const chromium = await launchChromium();
    try {
      const context = await chromium.browser.newContext();
      await context.addCookies([{ name: "session", value: "ok", url: base }]);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" && !/status of 404/.test(m.text())) {
          problems.push(`console: ${m.text()}`);
        }
      });
      page.on("pageerror", (error) => problems.push(`exception: ${error.message}`));
      const external: string[] = [];
      const queries: number[] = [];
      page.on("request", (r) => {
        if (!r.url().startsWith(base) && !r.url().startsWith("data:")) external.push(r.url());
      });
      page.on("response", (r) => {
        // Chromium asks for /favicon.ico by itself (the full server has one).
        if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) {
          problems.push(`${r.status()} ${r.url()}`);
        }
        if (r.url() === `${base}/query`) queries.push(r.status());
      });

      await page.goto(`${base}/playground`, { waitUntil: "networkidle" });
      await page.locator(".graphiql-container").waitFor();
      // The introspection query went through: the schema is known.
      await page.waitForFunction(() =>
        document.querySelector(".graphiql-query-editor .CodeMirror")
      );
      assert.deepEqual(queries, [200]);

      await page.evaluate(() => {
        // deno-lint-ignore no-explicit-any
        const editor = document.querySelector(".graphiql-query-editor .CodeMirror") as any;
        editor.CodeMirror.setValue("{ tags { __typename } }");
      });
      await page.locator(".graphiql-execute-button").click();
      await page.waitForFunction(() =>
        /"tags"/.test(document.querySelector(".graphiql-response")?.textContent ?? "")
      );
      assert.deepEqual(queries, [200, 200]);
      assert.deepEqual(external, []);
      assert.deepEqual(problems, []);
    } finally {
      await chromium.close();
      await server.shutdown();
      await site.close();
    }
  },
});
