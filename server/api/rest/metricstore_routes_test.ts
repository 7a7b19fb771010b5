import { deepEqual, equal, ok } from "node:assert/strict";
import { Hono, type MiddlewareHandler } from "hono";
import { Ingestor } from "../../metricstore/ingest.ts";
import { PARALLEL_MIN_BYTES, ParallelIngestor } from "../../metricstore/parallel_ingest.ts";
import { testStore } from "../../metricstore/test_helpers.ts";
import type { ApiEnv } from "./api_env.ts";
import { apiErrorHandler } from "./error_body.ts";
import { metricStoreRoutes } from "./metricstore_routes.ts";

const NOW = 5000;

function testApp() {
  const store = testStore({ bufferCapacity: 16 });
  const ingestor = new Ingestor(store);
  const noGuard: MiddlewareHandler<ApiEnv> = async function noGuard(_c, next) {
    await next();
  };
  const app = new Hono<ApiEnv>();
  app.onError(apiErrorHandler);
  app.route("/api", metricStoreRoutes({ store, ingestor, now: () => NOW }, { guard: noGuard }));
  return { app, store };
}

async function write(app: Hono<ApiEnv>, path: string, text: string) {
  return await app.request(path, { method: "POST", body: text });
}

Deno.test("POST /api/write stores lines and answers a summary", async (t) => {
  const { app, store } = testApp();
  await t.step("with and without trailing slash, ?cluster= as default", async () => {
    const res = await write(
      app,
      "/api/write?cluster=fritz",
      "cpu_load,hostname=f1 value=1 1000\ncpu_load,cluster=alex,hostname=a1 value=2 1000\n",
    );
    equal(res.status, 200);
    equal(res.headers.get("content-type"), "application/json");
    deepEqual(await res.json(), { accepted: 2, rejected: [], rejectedTotal: 0 });
    const again = await write(
      app,
      "/api/write/?cluster=fritz",
      "cpu_load,hostname=f1 value=3 1010",
    );
    equal(again.status, 200);
    deepEqual(store.clusters(), ["alex", "fritz"]);
  });
  await t.step("bad lines are listed, good ones kept; no timestamp means now", async () => {
    const res = await write(
      app,
      "/api/write?cluster=fritz",
      "cpu_load,hostname=f2 value=1\nunknown,hostname=f2 value=1\ncpu_load,hostname=f2 value=oops\n",
    );
    equal(res.status, 200);
    const body = await res.json();
    equal(body.accepted, 1);
    equal(body.rejectedTotal, 2);
    deepEqual(body.rejected.map((r: { line: number }) => r.line), [2, 3]);
    equal(store.firstWrite(["fritz", "f2"], "cpu_load"), NOW);
  });
  await t.step("an empty body is fine", async () => {
    const res = await app.request("/api/write", { method: "POST" });
    deepEqual(await res.json(), { accepted: 0, rejected: [], rejectedTotal: 0 });
  });
});

Deno.test("POST /api/free frees old buffers under the selectors", async () => {
  const { app, store } = testApp();
  await write(
    app,
    "/api/write?cluster=c",
    "cpu_load,hostname=a value=1 1000\ncpu_load,hostname=b value=1 1000",
  );
  const missing = await app.request("/api/free", { method: "POST", body: "[]" });
  equal(missing.status, 400);
  deepEqual(await missing.json(), {
    status: "Bad Request",
    error: "'to' is a required query parameter",
  });
  const bad = await app.request("/api/free?to=soon", { method: "POST", body: "[]" });
  equal(bad.status, 400);
  ok((await bad.json()).error.includes("must be an integer"));
  const badBody = await app.request("/api/free?to=2000", { method: "POST", body: '{"x":1}' });
  equal(badBody.status, 400);
  const res = await app.request("/api/free/?to=2000", {
    method: "POST",
    body: '[["c","a"],["c","zzz"]]',
  });
  equal(res.status, 200);
  equal(await res.text(), "buffers freed: 1\n");
  deepEqual(store.hosts("c"), ["b"]);
});

Deno.test("GET /api/debug dumps the tree", async () => {
  const { app } = testApp();
  await write(
    app,
    "/api/write?cluster=c",
    "cpu_load,hostname=a value=1 1000\nflops_any,hostname=a,type=core,type-id=0 value=2 1000",
  );
  const res = await app.request("/api/debug?selector=c:a");
  equal(res.status, 200);
  deepEqual(await res.json(), {
    data: {
      cpu_load: [{ start: 995, len: 1, end: 1010 }],
      core0: { flops_any: [{ start: 995, len: 1, end: 1010 }] },
    },
  });
  const root = await app.request("/api/debug/");
  ok(Object.keys((await root.json()).data).includes("c"));
  const missing = await app.request("/api/debug?selector=c:nope");
  equal(missing.status, 400);
  deepEqual(await missing.json(), { status: "Bad Request", error: "not found: [c nope]" });
});

Deno.test("POST /api/query answers cc-metric-store queries", async () => {
  const { app } = testApp();
  await write(
    app,
    "/api/write?cluster=c",
    "cpu_load,hostname=a value=1 1000\ncpu_load,hostname=a value=2 1010",
  );
  const res = await app.request("/api/query?version=v2", {
    method: "POST",
    body: JSON.stringify({
      cluster: "c",
      from: 990,
      to: 1020,
      queries: [{
        metric: "cpu_load",
        host: "a",
        type: null,
        "type-ids": null,
        aggreg: false,
        "scale-by": 1,
      }],
    }),
  });
  equal(res.status, 200);
  equal(
    await res.text(),
    '{"results":[[{"data":[null,1.000,2.000],"from":990,"to":1020,"resolution":10,"avg":1.50,"min":1.00,"max":2.00}]]}\n',
  );
  const strict = await app.request("/api/query/", {
    method: "POST",
    body: JSON.stringify({ from: 1, to: 2, bogus: true }),
  });
  equal(strict.status, 400);
  ok((await strict.json()).error.includes('unknown field "bogus"'));
  const range = await app.request("/api/query", {
    method: "POST",
    body: JSON.stringify({ from: 5, to: 1 }),
  });
  equal(range.status, 400);
  ok((await range.json()).error.includes("invalid time range"));
  const empty = await app.request("/api/query", { method: "GET" });
  equal(empty.status, 400);
  ok((await empty.json()).error.includes("EOF"));
});

Deno.test("POST /api/write parses large bodies with a declared length on the parse worker", async () => {
  const store = testStore({ bufferCapacity: 16 });
  const ingestor = new Ingestor(store);
  const parallel = await ParallelIngestor.start(store, ingestor);
  ok(parallel, "the parse worker did not start");
  // Counts the bodies the worker handled: in-process bodies never reach it.
  let viaWorker = 0;
  const ingest = parallel.ingest.bind(parallel);
  parallel.ingest = (bytes, options) => {
    viaWorker++;
    return ingest(bytes, options);
  };
  const ingestBody = parallel.ingestBody.bind(parallel);
  parallel.ingestBody = (body, options, declaredLength) => {
    viaWorker++;
    return ingestBody(body, options, declaredLength);
  };
  try {
    const noGuard: MiddlewareHandler<ApiEnv> = async function noGuard(_c, next) {
      await next();
    };
    const app = new Hono<ApiEnv>();
    app.onError(apiErrorHandler);
    app.route(
      "/api",
      metricStoreRoutes({ store, ingestor, parallel, now: () => NOW }, { guard: noGuard }),
    );
    const lines = Array.from({ length: 5000 }, (_, i) => `cpu_load,hostname=h${i} value=${i} 1000`);
    lines.push("cpu_load,hostname=bad/host value=1 1000");
    const text = lines.join("\n") + "\n";
    const bytes = new TextEncoder().encode(text);
    ok(bytes.length >= PARALLEL_MIN_BYTES);
    const res = await app.request("/api/write?cluster=fritz", {
      method: "POST",
      body: bytes,
      headers: { "Content-Length": String(bytes.length) },
    });
    equal(res.status, 200);
    const result = await res.json();
    equal(result.accepted, 5000);
    equal(result.rejectedTotal, 1);
    equal(result.rejected[0].line, 5001);
    equal(viaWorker, 1);
    equal(store.hosts("fritz").length, 5000);
    // Larger bodies, one after the other, are read into the buffers the worker hands back.
    for (const hosts of [10_000, 6_000]) {
      const big = new TextEncoder().encode(
        Array.from({ length: hosts }, (_, i) => `cpu_load,hostname=b${i} value=${i} 1010\n`)
          .join(""),
      );
      ok(big.length >= 128 * 1024);
      const bigRes = await app.request("/api/write?cluster=fritz", {
        method: "POST",
        body: big,
        headers: { "Content-Length": String(big.length) },
      });
      deepEqual(await bigRes.json(), { accepted: hosts, rejected: [], rejectedTotal: 0 });
    }
    equal(viaWorker, 3);
    equal(store.hosts("fritz").length, 15_000);
    // A small body stays in-process.
    const small = await app.request("/api/write?cluster=fritz", {
      method: "POST",
      body: "cpu_load,hostname=h1 value=5 1010\n",
      headers: { "Content-Length": "34" },
    });
    deepEqual(await small.json(), { accepted: 1, rejected: [], rejectedTotal: 0 });
    equal(viaWorker, 3);
  } finally {
    parallel.close();
  }
});
