import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { Hono } from "hono";
import { embeddedAssets } from "./site_assets.ts";
import { acceptsEncoding, IMMUTABLE, serveStatic } from "./static_route.ts";

function app(): Hono {
  const app = new Hono();
  app.get("/static/:file", serveStatic(embeddedAssets));
  return app;
}

Deno.test("serveStatic() serves the embedded assets under hashed names", async (t) => {
  const store = embeddedAssets();
  const { urls } = store;

  await t.step("every shell URL carries a content hash", () => {
    for (const url of Object.values(urls)) {
      assert.match(url, /^\/static\/[a-z_]+-[A-Za-z0-9]{8,12}\.(js|css|svg)$/);
    }
  });

  await t.step("JavaScript: content type, immutable caching, ETag", async () => {
    const response = await app().request(urls.boot);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Content-Type"), "text/javascript; charset=utf-8");
    assert.equal(response.headers.get("Cache-Control"), IMMUTABLE);
    assert.match(response.headers.get("ETag") ?? "", /^"[0-9a-f]{16}"$/);
    assert.match(await response.text(), /hydrate/);
  });

  await t.step("the stylesheets and the icon font", async () => {
    const css = await app().request(urls.vendorCss);
    assert.equal(css.headers.get("Content-Type"), "text/css; charset=utf-8");
    const text = await css.text();
    assert.ok(text.startsWith('@charset "UTF-8";'), "bootstrap's @charset must come first");
    assert.doesNotMatch(text, /sourceMappingURL/);
    const font = /src:url\("([^"]+\.woff2)"\) format\("woff2"\)/.exec(text);
    assert.ok(font, "the icon font is not linked");
    const woff2 = await app().request(`/static/${font[1]}`);
    assert.equal(woff2.status, 200);
    assert.equal(woff2.headers.get("Content-Type"), "font/woff2");
    const bytes = new Uint8Array(await woff2.arrayBuffer());
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "wOF2");
  });

  await t.step("If-None-Match with the ETag answers 304 without a body", async () => {
    const first = await app().request(urls.appCss);
    const etag = first.headers.get("ETag")!;
    const again = await app().request(urls.appCss, { headers: { "If-None-Match": etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get("ETag"), etag);
    assert.equal(await again.text(), "");
    const weak = await app().request(urls.appCss, { headers: { "If-None-Match": `W/${etag}` } });
    assert.equal(weak.status, 304);
  });

  await t.step("gzip when accepted, with its own ETag, and 304 for it", async () => {
    const response = await app().request(urls.vendorCss, {
      headers: { "Accept-Encoding": "gzip, deflate, br" },
    });
    assert.equal(response.headers.get("Content-Encoding"), "gzip");
    assert.equal(response.headers.get("Vary"), "Accept-Encoding");
    const etag = response.headers.get("ETag")!;
    assert.match(etag, /\.gz"$/);
    const body = new Uint8Array(await response.arrayBuffer());
    const plain = store.get(urls.vendorCss.slice("/static/".length))!.body;
    assert.ok(body.length < plain.length / 4, `gzip ${body.length} of ${plain.length} bytes`);
    assert.deepEqual(new Uint8Array(gunzipSync(body)), plain);
    const again = await app().request(urls.vendorCss, {
      headers: { "Accept-Encoding": "gzip", "If-None-Match": etag },
    });
    assert.equal(again.status, 304);
  });

  await t.step("no gzip for the already compressed font", async () => {
    const response = await app().request(urls.vendorCss);
    const font = /src:url\("([^"]+)"\)/.exec(await response.text())![1];
    const woff2 = await app().request(`/static/${font}`, {
      headers: { "Accept-Encoding": "gzip" },
    });
    assert.equal(woff2.headers.get("Content-Encoding"), null);
    await woff2.body?.cancel();
  });

  await t.step("unknown or unhashed names are 404", async () => {
    for (const path of ["/static/boot.js", "/static/nope-12345678.js", "/static/..%2Fdeno.json"]) {
      const response = await app().request(path);
      assert.equal(response.status, 404, path);
      await response.body?.cancel();
    }
  });
});

Deno.test("acceptsEncoding() honours q=0 and wildcards", () => {
  assert.equal(acceptsEncoding("gzip", "gzip"), true);
  assert.equal(acceptsEncoding("br;q=1.0, gzip;q=0.8", "gzip"), true);
  assert.equal(acceptsEncoding("gzip;q=0", "gzip"), false);
  assert.equal(acceptsEncoding("*", "gzip"), true);
  assert.equal(acceptsEncoding("*, gzip;q=0", "gzip"), false);
  assert.equal(acceptsEncoding("identity", "gzip"), false);
  assert.equal(acceptsEncoding(undefined, "gzip"), false);
});
