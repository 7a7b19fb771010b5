import assert from "node:assert/strict";
import { Hono } from "hono";
import { mountSwagger } from "./mount_swagger.ts";
import { OPENAPI_DOCUMENT } from "./openapi.ts";

function app(dev: boolean): Hono {
  const app = new Hono();
  mountSwagger(app, { dev });
  app.notFound((c) => c.text("404 page not found\n", 404));
  return app;
}

Deno.test("mountSwagger() without -dev serves only the document", async () => {
  const prod = app(false);
  const doc = await prod.request("/swagger/doc.json");
  assert.equal(doc.status, 200);
  assert.deepEqual(await doc.json(), OPENAPI_DOCUMENT);
  for (const path of ["/swagger/", "/swagger/index.html", "/swagger/swagger-ui-bundle.js"]) {
    const res = await prod.request(path);
    assert.equal(res.status, 404, path);
    await res.body?.cancel();
  }
});

Deno.test("mountSwagger() with -dev serves Swagger UI from embedded assets", async (t) => {
  const dev = app(true);

  await t.step(
    "the page at /swagger/ and /swagger/index.html loads local assets only",
    async () => {
      for (const path of ["/swagger/", "/swagger/index.html"]) {
        const res = await dev.request(path);
        assert.equal(res.status, 200, path);
        assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
        const html = await res.text();
        assert.match(html, /<script src="\.\/swagger-ui-bundle\.js"><\/script>/);
        assert.doesNotMatch(html, /https?:\/\//, "no CDN");
      }
      const redirect = await dev.request("/swagger");
      assert.equal(redirect.status, 301);
      assert.equal(redirect.headers.get("location"), "/swagger/");
    },
  );

  await t.step("the start script points at doc.json", async () => {
    const res = await dev.request("/swagger/swagger-initializer.js");
    assert.match(res.headers.get("content-type") ?? "", /^text\/javascript/);
    assert.match(await res.text(), /new URL\("doc\.json", window\.location\.href\)/);
  });

  await t.step("the bundle, stylesheet and license come from swagger-ui-dist", async () => {
    const js = await dev.request("/swagger/swagger-ui-bundle.js");
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type") ?? "", /^text\/javascript/);
    const code = await js.text();
    assert.ok(code.length > 1_000_000, `bundle of ${code.length} characters`);
    assert.match(code, /SwaggerUIBundle/);
    const css = await dev.request("/swagger/swagger-ui.css");
    assert.match(css.headers.get("content-type") ?? "", /^text\/css/);
    const style = await css.text();
    assert.match(style, /\.swagger-ui/);
    assert.doesNotMatch(style, /sourceMappingURL/);
    const license = await dev.request("/swagger/swagger-ui-bundle.js.LICENSE.txt");
    assert.equal(license.status, 200);
    await license.body?.cancel();
  });

  await t.step("other files are 404s, whatever their name", async () => {
    for (const path of ["/swagger/index.css", "/swagger/constructor", "/swagger/..%2Fmain.ts"]) {
      const res = await dev.request(path);
      assert.equal(res.status, 404, path);
      await res.body?.cancel();
    }
  });
});
