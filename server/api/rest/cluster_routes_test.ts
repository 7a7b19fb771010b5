import assert from "node:assert/strict";
import { createTestSite } from "./test_app.ts";

interface ApiCluster {
  name: string;
  metricConfig: Record<string, unknown>[];
  subClusters: Record<string, unknown>[];
}

Deno.test("GET /api/clusters/ returns the archive's cluster configs", async (t) => {
  const site = await createTestSite();
  try {
    await t.step("all clusters for an api token", async () => {
      const res = await site.call("GET", "/api/clusters/");
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/json");
      const text = await res.text();
      assert.ok(text.startsWith('{"clusters":[{"name":"'), text.slice(0, 40));
      assert.ok(text.endsWith("}]}\n"));
      const body = JSON.parse(text) as { clusters: ApiCluster[] };
      assert.deepEqual(body.clusters.map((c) => c.name), ["alex", "emmy", "fritz"]);
    });

    await t.step("admin+api may read them too", async () => {
      const res = await site.call("GET", "/api/clusters/", { roles: ["admin", "api"] });
      assert.equal(res.status, 200);
      await res.body?.cancel();
    });

    await t.step("?cluster= selects one, in Go's field order with derived data", async () => {
      const res = await site.call("GET", "/api/clusters/?cluster=fritz");
      const { clusters } = await res.json() as { clusters: ApiCluster[] };
      assert.equal(clusters.length, 1);
      const [fritz] = clusters;
      assert.deepEqual(Object.keys(fritz), ["name", "metricConfig", "subClusters"]);
      const cpuLoad = fritz.metricConfig.find((m) => m.name === "cpu_load")!;
      assert.deepEqual(Object.keys(cpuLoad), [
        "name",
        "unit",
        "peak",
        "normal",
        "caution",
        "alert",
        "energy",
        "scope",
        "aggregation",
        "footprint",
        "subClusters",
        "timestep",
        "restrict",
        "lowerIsBetter",
      ]);
      assert.equal(cpuLoad.energy, "");
      assert.equal(cpuLoad.restrict, false);
      const [override] = cpuLoad.subClusters as Record<string, unknown>[];
      assert.deepEqual(override, {
        name: "spr1tb",
        unit: { base: "" },
        peak: 104,
        normal: 104,
        caution: 52,
        alert: 20,
        footprint: "avg",
        energy: "",
        lowerIsBetter: false,
        restrict: false,
        remove: false,
      });
      const main = fritz.subClusters[0];
      assert.deepEqual(
        Object.keys(main),
        [
          "name",
          "nodes",
          "processorType",
          "topology",
          "flopRateScalar",
          "flopRateSimd",
          "memoryBandwidth",
          "metricConfig",
          "footprint",
          "energyFootprint",
          "socketsPerNode",
          "coresPerSocket",
          "threadsPerCore",
        ].filter((k) => k in main),
      );
      assert.ok(Array.isArray(main.metricConfig));
      assert.ok((main.footprint as string[]).includes("cpu_load"));
      // The per-subcluster configs carry the overrides and no override list.
      const spr1tb = fritz.subClusters.find((s) => s.name === "spr1tb")!;
      const sprLoad = (spr1tb.metricConfig as Record<string, unknown>[])
        .find((m) => m.name === "cpu_load")!;
      assert.equal(sprLoad.peak, 104);
      assert.equal("subClusters" in sprLoad, false);
      const removed = (spr1tb.metricConfig as Record<string, unknown>[])
        .some((m) => m.name === "flops_sp");
      assert.equal(removed, false, "flops_sp is removed on spr1tb");
    });

    await t.step("an empty ?cluster= means all clusters", async () => {
      const res = await site.call("GET", "/api/clusters/?cluster=");
      assert.equal((await res.json()).clusters.length, 3);
    });

    await t.step("an unknown cluster is a 400 naming it", async () => {
      for (const name of ["nope", "fritz'; DROP TABLE job;--", "fritz ✓", "FRITZ"]) {
        const res = await site.call("GET", `/api/clusters/?cluster=${encodeURIComponent(name)}`);
        assert.equal(res.status, 400);
        assert.deepEqual(await res.json(), {
          status: "Bad Request",
          error: `unknown cluster: ${name}`,
        });
      }
    });

    await t.step("the path needs its trailing slash", async () => {
      const res = await site.call("GET", "/api/clusters");
      assert.equal(res.status, 404);
      await res.body?.cancel();
    });
  } finally {
    await site.close();
  }
});

Deno.test("GET /api/clusters/ with authentication disabled needs no token", async () => {
  const site = await createTestSite({ main: { "disable-authentication": true } });
  try {
    const res = await site.call("GET", "/api/clusters/?cluster=alex", { roles: null });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).clusters[0].name, "alex");
  } finally {
    await site.close();
  }
});
