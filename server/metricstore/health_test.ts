import { deepEqual, equal, throws } from "node:assert/strict";
import { healthCheck, healthyMetrics, metricHealthChecker } from "./health.ts";
import type { MemoryStore } from "./memory_store.ts";
import { testStore } from "./test_helpers.ts";

const NOW = 100_000;
const ALL = ["load", "mem_used", "cpu_user", "cpu_system"];

/** Writes `metric` on `host` every 10 s from `from` to `to` (inclusive). */
function series(store: MemoryStore, host: string, metric: string, from: number, to: number) {
  for (let t = from; t <= to; t += 10) store.write(["testcluster", host], metric, t, 1);
}

function site(): MemoryStore {
  const store = testStore({ bufferCapacity: 64 });
  for (const m of ALL) series(store, "node001", m, NOW - 300, NOW - 10);
  series(store, "node002", "load", NOW - 300, NOW - 10);
  series(store, "node002", "mem_used", NOW - 300, NOW - 10);
  series(store, "node002", "cpu_user", NOW - 400, NOW - 100);
  series(store, "node002", "cpu_system", NOW - 400, NOW - 100);
  series(store, "node003", "load", NOW - 300, NOW - 10);
  series(store, "node003", "mem_used", NOW - 300, NOW - 10);
  for (const m of ALL) series(store, "node005", m, NOW - 400, NOW - 100);
  return store;
}

Deno.test("healthCheck() rates nodes full, partial or failed", async (t) => {
  const store = site();
  const nodes = ["node001", "node002", "node003", "node004", "node005"];
  await t.step("all expected metrics", () => {
    const r = healthCheck(store, { cluster: "testcluster", nodes, expected: ALL, now: NOW });
    deepEqual(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.State])), {
      node001: "full",
      node002: "partial",
      node003: "partial",
      node004: "failed",
      node005: "failed",
    });
    equal(r.node002.HealthMetrics, '{"degraded":["cpu_user","cpu_system"],"missing":[]}');
    equal(r.node003.HealthMetrics, '{"degraded":[],"missing":["cpu_user","cpu_system"]}');
    equal(r.node004.HealthMetrics, "");
  });
  await t.step("only load and mem_used", () => {
    const r = healthCheck(store, {
      cluster: "testcluster",
      nodes,
      expected: ["load", "mem_used"],
      now: NOW,
    });
    deepEqual(Object.values(r).map((v) => v.State), ["full", "full", "full", "failed", "failed"]);
  });
});

Deno.test("healthyMetrics() lists degraded and missing metrics in order", () => {
  const store = testStore();
  series(store, "testnode", "load", NOW - 50, NOW - 10);
  series(store, "testnode", "mem_used", NOW - 300, NOW - 100);
  deepEqual(
    healthyMetrics(store, ["testcluster", "testnode"], {
      expected: ["load", "mem_used", "cpu_user"],
      now: NOW,
    }),
    {
      degraded: ["mem_used"],
      missing: ["cpu_user"],
    },
  );
  deepEqual(healthyMetrics(store, ["testcluster", "testnode"], { expected: ["load"], now: NOW }), {
    degraded: [],
    missing: [],
  });
  deepEqual(
    healthyMetrics(store, ["testcluster", "testnode"], { expected: ["unknown_metric"], now: NOW })
      .missing,
    [
      "unknown_metric",
    ],
  );
  throws(
    () => healthyMetrics(store, ["testcluster", "nope"], { expected: ["load"], now: NOW }),
    /not found/,
  );
});

Deno.test("healthyMetrics() looks into child levels and uses the 5-step boundary", () => {
  const store = testStore();
  // One point at NOW-50: start NOW-55, end NOW-45 → 45 s behind, within 5 × 10 s.
  store.write(["c", "h", "hwthread0"], "cpu_user", NOW - 50, 1);
  store.write(["c", "h", "hwthread1"], "cpu_user", NOW - 10, 1);
  deepEqual(healthyMetrics(store, ["c", "h"], { expected: ["cpu_user"], now: NOW }), {
    degraded: [],
    missing: [],
  });
  store.write(["c", "h", "hwthread2"], "cpu_user", NOW - 100, 1);
  deepEqual(healthyMetrics(store, ["c", "h"], { expected: ["cpu_user"], now: NOW }).degraded, [
    "cpu_user",
  ]);
});

Deno.test("metricHealthChecker() answers node-state health queries", async () => {
  const checker = metricHealthChecker(site(), { now: () => NOW });
  const r = await checker.check({
    cluster: "testcluster",
    subCluster: "main",
    hostnames: ["node001", "node003", "node004"],
    metrics: ALL,
  });
  deepEqual(r.get("node001"), { state: "full", metrics: { missing: [], degraded: [] } });
  deepEqual(r.get("node003"), {
    state: "partial",
    metrics: { missing: ["cpu_user", "cpu_system"], degraded: [] },
  });
  deepEqual(r.get("node004"), { state: "failed" });
});
