import assert from "node:assert/strict";
import { Hono } from "hono";
import { mountPlayground } from "./mount_playground.ts";

function app(dev: boolean): Hono {
  const app = new Hono();
  mountPlayground(app, { dev });
  app.notFound((c) => c.text("404 page not found\n", 404));
  return app;
}

const ASSETS = [
  "graphiql.min.js",
  "graphiql.min.css",
  "react.production.min.js",
  "react-dom.production.min.js",
  "playground.js",
  "playground.css",
];

Deno.test("mountPlayground() without -dev serves nothing", async () => {
  const prod = app(false);
  for (const path of ["/playground", "/playground/", ...ASSETS.map((f) => `/playground/${f}`)]) {
    const res = await prod.request(path);
    assert.equal(res.status, 404, path);
    await res.body?.cancel();
  }
});

Deno.test("mountPlayground() with -dev serves GraphiQL from embedded assets", async (t) => {
  const dev = app(true);

  await t.step("the page loads local scripts only, none inline", async () => {
    const res = await dev.request("/playground");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    const html = await res.text();
    assert.doesNotMatch(html, /https?:\/\//, "no CDN");
    assert.doesNotMatch(html, /\bstyle=|<style/, "no inline style");
    const scripts = [...html.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    assert.equal(scripts.length, 4);
    for (const [, attributes, body] of scripts) {
      assert.match(attributes, /^ src="\/playground\/[\w.-]+\.js"$/);
      assert.equal(body, "", "no inline script");
    }
    const redirect = await dev.request("/playground/");
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get("location"), "/playground");
  });

  await t.step("every script and stylesheet of the page is served with its type", async () => {
    const html = await (await dev.request("/playground")).text();
    const referenced = [...html.matchAll(/(?:src|href)="\/playground\/([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(referenced.toSorted(), ASSETS.toSorted());
    for (const file of ASSETS) {
      const res = await dev.request(`/playground/${file}`);
      assert.equal(res.status, 200, file);
      const type = file.endsWith(".css") ? /^text\/css/ : /^text\/javascript/;
      assert.match(res.headers.get("content-type") ?? "", type, file);
      const body = await res.text();
      assert.ok(body.length > 0, file);
      assert.doesNotMatch(body, /sourceMappingURL=\S+\s*$/, file);
    }
  });

  await t.step("the bundles are GraphiQL and React", async () => {
    const graphiql = await (await dev.request("/playground/graphiql.min.js")).text();
    assert.ok(graphiql.length > 1_000_000, `bundle of ${graphiql.length} characters`);
    assert.match(graphiql, /window\.GraphiQL = /);
    const react = await (await dev.request("/playground/react.production.min.js")).text();
    assert.match(react, /\.version="17\./);
    const reactDom = await (await dev.request("/playground/react-dom.production.min.js")).text();
    assert.match(reactDom, /createPortal/);
    const css = await (await dev.request("/playground/graphiql.min.css")).text();
    assert.match(css, /\.graphiql-container/);
    const license = await dev.request("/playground/graphiql.LICENSE.txt");
    assert.equal(license.status, 200);
    assert.match(license.headers.get("content-type") ?? "", /^text\/plain/);
    assert.match(await license.text(), /MIT|License/i);
  });

  await t.step("the start script queries /query on this origin with the cookie", async () => {
    const js = await (await dev.request("/playground/playground.js")).text();
    assert.match(js, /new URL\("\/query", window\.location\.href\)/);
    assert.match(js, /credentials: "same-origin"/);
    assert.doesNotMatch(js, /https?:\/\//);
  });

  await t.step("other files are 404s, whatever their name", async () => {
    for (const path of ["/playground/index.html", "/playground/constructor", "/playground/x.js"]) {
      const res = await dev.request(path);
      assert.equal(res.status, 404, path);
      await res.body?.cancel();
    }
  });
});
