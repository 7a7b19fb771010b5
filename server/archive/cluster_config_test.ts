import assert from "node:assert/strict";
import {
  assignSubCluster,
  type ClusterInfo,
  globalMetricList,
  loadClusterConfig,
  subClusterByNode,
} from "./cluster_config.ts";
import { fixtureClusterJson } from "./test_helpers.ts";
import type { Cluster, Job } from "./types.ts";

function load(name: string): ClusterInfo {
  return loadClusterConfig(fixtureClusterJson(name), { source: `${name}/cluster.json` });
}

function tiny(patch: (c: Cluster) => void = () => {}): Cluster {
  const c: Cluster = {
    name: "tiny",
    metricConfig: [
      {
        name: "mem_used",
        unit: { base: "B", prefix: "G" },
        scope: "node",
        aggregation: "sum",
        timestep: 60,
        peak: 256,
        normal: 128,
        caution: 200,
        alert: 240,
        footprint: "max",
        lowerIsBetter: true,
        subClusters: [{ name: "big", peak: 1024 }],
      },
    ],
    subClusters: ["main", "big"].map((name, i) => ({
      name,
      nodes: i === 0 ? "t[01-10]" : "t[11-12],big01",
      processorType: "x",
      socketsPerNode: 1,
      coresPerSocket: 1,
      threadsPerCore: 1,
      flopRateScalar: { unit: { base: "F/s" }, value: 1 },
      flopRateSimd: { unit: { base: "F/s" }, value: 1 },
      memoryBandwidth: { unit: { base: "B/s" }, value: 1 },
      topology: { node: [0], socket: [[0]], memoryDomain: [[0]] },
    })),
  };
  patch(c);
  return c;
}

type JobPart = Pick<Job, "jobId" | "cluster" | "subCluster" | "resources">;

function job(cluster: string, host: string, subCluster = ""): JobPart {
  return { jobId: 1, cluster, subCluster, resources: [{ hostname: host }] };
}

Deno.test("loadClusterConfig() loads the fixture clusters", () => {
  for (const name of ["alex", "emmy", "fritz"]) assert.equal(load(name).name, name);
  assert.equal(load("emmy").subClusters[0].coresPerSocket, 4);
});

Deno.test("loadClusterConfig() applies subcluster overrides (fritz)", async (t) => {
  const fritz = load("fritz");
  const sc = (name: string) => fritz.subClusters.find((s) => s.name === name)!;
  await t.step("spr1tb drops four metrics and keeps three footprint metrics", () => {
    const spr1 = sc("spr1tb");
    assert.equal(spr1.metricConfig.length, 15);
    assert.deepEqual(spr1.footprint, ["cpu_load", "mem_used", "flops_any"]);
    assert.deepEqual(spr1.metricConfig.filter((m) => m.lowerIsBetter).map((m) => m.name), [
      "mem_used",
    ]);
    const mem = spr1.metricConfig.find((m) => m.name === "mem_used")!;
    assert.deepEqual([mem.peak, mem.normal, mem.caution, mem.alert], [1024, 512, 900, 1000]);
    assert.equal("subClusters" in mem, false);
  });
  await t.step("spr2tb has 14 metrics, without flops_any, with cpu_power", () => {
    const names = sc("spr2tb").metricConfig.map((m) => m.name);
    assert.equal(names.length, 14);
    assert.ok(!names.includes("flops_any"));
    assert.ok(names.includes("cpu_power"));
  });
  await t.step("main keeps the cluster values", () => {
    const main = sc("main");
    assert.equal(main.metricConfig.length, 19);
    assert.deepEqual(main.footprint, ["cpu_load", "mem_used", "flops_any", "mem_bw"]);
    assert.deepEqual(main.energyFootprint, ["cpu_power", "mem_power"]);
  });
});

Deno.test("loadClusterConfig() lets an override clear unset fields", () => {
  const big = loadClusterConfig(tiny()).subClusters[1];
  const mem = big.metricConfig[0];
  assert.deepEqual([mem.peak, mem.normal, mem.caution, mem.alert], [1024, 0, 0, 0]);
  assert.equal(mem.footprint, undefined);
  assert.equal(mem.lowerIsBetter, undefined);
  assert.deepEqual(big.footprint, []);
  // scope, unit, aggregation and timestep are never overridden
  assert.deepEqual([mem.scope, mem.unit, mem.aggregation, mem.timestep], [
    "node",
    { base: "B", prefix: "G" },
    "sum",
    60,
  ]);
});

Deno.test("loadClusterConfig() defaults a missing scope to node", () => {
  const c = tiny((c) => delete (c.metricConfig[0] as { scope?: string }).scope);
  assert.equal(loadClusterConfig(c).metricConfig[0].scope, "node");
  assert.equal(loadClusterConfig(c).subClusters[0].metricConfig[0].scope, "node");
});

Deno.test("loadClusterConfig() does not modify its input", () => {
  const c = tiny();
  const copy = structuredClone(c);
  loadClusterConfig(c);
  assert.deepEqual(c, copy);
});

Deno.test("loadClusterConfig() rejects invalid configs with clear messages", async (t) => {
  const cases: [string, unknown, RegExp][] = [
    ["not an object", [], /x\.json: not a JSON object/],
    ["empty name", tiny((c) => c.name = ""), /name must be a non-empty string/],
    ["no metrics", tiny((c) => c.metricConfig = []), /metricConfig must be a non-empty array/],
    ["no subclusters", tiny((c) => c.subClusters = []), /subClusters must be a non-empty array/],
    [
      "empty metric name",
      tiny((c) => c.metricConfig[0].name = ""),
      /metricConfig\[0\]\.name must not be empty/,
    ],
    [
      "timestep 0",
      tiny((c) => c.metricConfig[0].timestep = 0),
      /metricConfig\[0\] \("mem_used"\): timestep must be an integer >= 1 \(got 0\)/,
    ],
    [
      "bad scope",
      tiny((c) => (c.metricConfig[0] as { scope: string }).scope = "rack"),
      /scope "rack" is not one of node, socket/,
    ],
    [
      "bad node list",
      tiny((c) => c.subClusters[1].nodes = "t[1-10]"),
      /subClusters\[1\] \("big"\): invalid node list "t\[1-10\]" at position 2/,
    ],
    [
      "duplicate subcluster",
      tiny((c) => c.subClusters[1].name = "main"),
      /subcluster "main" is defined twice/,
    ],
    [
      "override without name",
      tiny((c) => c.metricConfig[0].subClusters = [{} as { name: string }]),
      /subClusters\[0\] \("mem_used"\): an override needs a subcluster name/,
    ],
  ];
  for (const [name, raw, re] of cases) {
    await t.step(name, () => {
      assert.throws(() => loadClusterConfig(raw, { source: "x.json" }), re);
    });
  }
});

Deno.test("assignSubCluster() checks or derives the subcluster", async (t) => {
  const clusters = [load("fritz"), load("emmy"), loadClusterConfig(tiny())];
  await t.step("keeps an existing valid subcluster", () => {
    const j = job("emmy", "e0102", "haswell");
    assert.equal(assignSubCluster(clusters, j).name, "haswell");
    assert.equal(j.subCluster, "haswell");
  });
  await t.step("rejects an unknown existing subcluster", () => {
    assert.throws(
      () => assignSubCluster(clusters, job("emmy", "e0102", "nope")),
      (e: Error & { status?: number }) =>
        e.status === 400 && /unknown subcluster "nope"/.test(e.message),
    );
  });
  await t.step("matches the first resource's host, first subcluster wins", () => {
    const j = job("fritz", "f0101");
    assert.equal(assignSubCluster(clusters, j).name, "main");
    assert.equal(j.subCluster, "main");
    assert.equal(assignSubCluster(clusters, job("fritz", "f2257")).name, "spr1tb");
    assert.equal(assignSubCluster(clusters, job("fritz", "f2185")).name, "spr1tb");
    assert.equal(assignSubCluster(clusters, job("tiny", "big01")).name, "big");
  });
  await t.step("fails for unknown hosts and clusters", () => {
    assert.throws(
      () => assignSubCluster(clusters, job("fritz", "x1")),
      /no subcluster lists host "x1"/,
    );
    assert.throws(() => assignSubCluster(clusters, job("nope", "x1")), /unknown cluster/);
    const empty = { ...job("fritz", "x"), resources: [] };
    assert.throws(() => assignSubCluster(clusters, empty), /job has no resources/);
  });
  await t.step("falls back to a leading * subcluster", () => {
    const wild = loadClusterConfig(tiny((c) => c.subClusters[0].nodes = "*"));
    assert.equal(assignSubCluster([wild], job("tiny", "anything")).name, "main");
    assert.equal(assignSubCluster([wild], job("tiny", "t11")).name, "big");
  });
});

Deno.test("subClusterByNode() finds the subcluster of a host", () => {
  const emmy = load("emmy");
  assert.equal(subClusterByNode(emmy, "w1127")?.name, "haswell");
  assert.equal(subClusterByNode(emmy, "w2335")?.name, "icelake");
  assert.equal(subClusterByNode(emmy, "e0102"), undefined);
});

Deno.test("globalMetricList() lists availability per cluster", () => {
  const restricted = tiny((c) => c.metricConfig[0].subClusters = [{ name: "big", restrict: true }]);
  const clusters = [load("emmy"), load("fritz"), loadClusterConfig(restricted)];
  const list = globalMetricList(clusters);
  const memUsed = list.find((m) => m.name === "mem_used")!;
  assert.deepEqual(memUsed.availability.map((a) => a.cluster), ["emmy", "fritz", "tiny"]);
  assert.deepEqual(memUsed.availability[2].subclusters, ["main", "big"]);
  assert.equal(memUsed.footprint, "max");
  const cpuUser = list.find((m) => m.name === "cpu_user")!;
  assert.deepEqual(cpuUser.availability[0].subclusters, ["kabylake", "icelake"]);
  const userList = globalMetricList(clusters, { userOnly: true });
  const userMem = userList.find((m) => m.name === "mem_used")!;
  assert.deepEqual(userMem.availability[2].subclusters, ["main"]);
});
