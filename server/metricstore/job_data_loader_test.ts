import assert from "node:assert/strict";
import { loadClusterConfig } from "../archive/cluster_config.ts";
import type { Job } from "../archive/types.ts";
import { Ingestor } from "./ingest.ts";
import { JobDataLoader } from "./job_data_loader.ts";
import { MemoryStore } from "./memory_store.ts";
import { body, smallTopology } from "./test_helpers.ts";

const START = 1_000_020;

const metric = (name: string, scope: string, aggregation: string, extra = {}) => ({
  name,
  scope,
  aggregation,
  unit: { base: name === "mem_used" ? "B" : "F/s", prefix: "G" },
  timestep: 10,
  peak: 100,
  normal: 50,
  caution: 20,
  alert: 10,
  ...extra,
});

function cluster() {
  return loadClusterConfig({
    name: "tiny",
    metricConfig: [
      metric("cpu_load", "node", "avg"),
      metric("mem_used", "node", "sum", { subClusters: [{ name: "b", remove: true }] }),
      metric("flops_any", "hwthread", "sum"),
      metric("mem_bw", "socket", "sum"),
      metric("acc_power", "accelerator", "sum"),
      metric("ipc", "hwthread", ""),
    ],
    subClusters: ["a", "b"].map((name) => ({
      name,
      nodes: name === "a" ? "n[1-4]" : "m[1-4]",
      processorType: "x",
      socketsPerNode: 2,
      coresPerSocket: 2,
      threadsPerCore: 2,
      flopRateScalar: { unit: { base: "F/s" }, value: 1 },
      flopRateSimd: { unit: { base: "F/s" }, value: 1 },
      memoryBandwidth: { unit: { base: "B/s" }, value: 1 },
      topology: smallTopology(),
    })),
  });
}

function setup(lines: string[], now = START + 1000) {
  const info = cluster();
  const store = MemoryStore.fromClusters([info]);
  const result = new Ingestor(store).ingest(body(...lines), { cluster: "tiny", now });
  assert.equal(result.rejectedTotal, 0, JSON.stringify(result.rejected));
  const loader = new JobDataLoader(store, {
    clusters: { cluster: (name) => (name === "tiny" ? info : undefined) },
    now: () => now,
  });
  return { store, loader };
}

function job(overrides: Partial<Job> = {}): Job {
  return {
    id: 7,
    jobId: 70,
    user: "u",
    project: "p",
    cluster: "tiny",
    subCluster: "a",
    numNodes: 2,
    shared: "none",
    jobState: "completed",
    startTime: START,
    duration: 40,
    resources: [{ hostname: "n1" }, { hostname: "n2" }],
    ...overrides,
  };
}

/** Samples of `metric` at START, START+10, ... with the given values. */
function samples(metric: string, tags: string, values: (number | null)[]): string[] {
  return values.flatMap((v, i) =>
    v === null ? [] : [`${metric},hostname=${tags} value=${v} ${START + 10 * i}`]
  );
}

Deno.test("JobDataLoader builds node series per host with statistics and padding", () => {
  const { loader } = setup([
    ...samples("cpu_load", "n1", [1, 2, 3, 6]),
    ...samples("cpu_load", "n2", [null, null, 4, 8]),
  ]);
  const { data, errors } = loader.load(job(), {
    metrics: ["cpu_load"],
    scopes: null,
    resolution: 0,
  });
  assert.deepEqual(errors, []);
  assert.deepEqual(data, {
    cpu_load: {
      node: {
        unit: { base: "F/s", prefix: "G" },
        timestep: 10,
        series: [
          { hostname: "n1", statistics: { min: 1, avg: 3, max: 6 }, data: [1, 2, 3, 6] },
          { hostname: "n2", statistics: { min: 4, avg: 6, max: 8 }, data: [NaN, NaN, 4, 8] },
        ],
      },
    },
  });
});

Deno.test("JobDataLoader maps scopes through the topology", async (t) => {
  const lines = [
    // hwthreads 0..3 of n1: flops 1, 2, 3, 4 constant.
    ...[0, 1, 2, 3].flatMap((h) =>
      samples("flops_any", `n1,type=hwthread,type-id=${h}`, [h + 1, h + 1, h + 1, h + 1])
    ),
    ...[0, 1].flatMap((s) => samples("mem_bw", `n1,type=socket,type-id=${s}`, [10, 20, 30, 40])),
    ...samples("acc_power", "n1,type=accelerator,type-id=gpu0", [100, 200, 300, 400]),
    ...samples("mem_used", "n1", [5, 5, 5, 5]),
  ];
  const { loader } = setup(lines);
  const oneNode = job({
    numNodes: 1,
    numAcc: 1,
    resources: [{ hostname: "n1", hwthreads: [0, 1, 2, 3], accelerators: ["gpu0"] }],
  });
  await t.step("core scope from hwthread data: one summed series per core, id = core", () => {
    const { data } = loader.load(oneNode, {
      metrics: ["flops_any"],
      scopes: ["node", "core"],
      resolution: 0,
    });
    assert.deepEqual(data.flops_any.node!.series.map((s) => s.data), [[10, 10, 10, 10]]);
    assert.equal(data.flops_any.node!.series[0].id, undefined);
    assert.deepEqual(
      data.flops_any.core!.series.map((s) => [s.id, s.data[0], s.statistics.avg]),
      [["0", 3, 3], ["1", 7, 7]],
    );
  });
  await t.step("socket-native metrics stay at socket scope when core is asked for", () => {
    const { data } = loader.load(oneNode, { metrics: ["mem_bw"], scopes: ["core"], resolution: 0 });
    // The job's hwthreads 0-3 lie on socket 0 only.
    assert.deepEqual(Object.keys(data.mem_bw), ["socket"]);
    assert.deepEqual(data.mem_bw.socket!.series.map((s) => s.id), ["0"]);
  });
  await t.step("accelerator scope per device; skipped for jobs without accelerators", () => {
    const request = { metrics: ["acc_power"], scopes: ["accelerator" as const], resolution: 0 };
    const { data } = loader.load(oneNode, request);
    assert.deepEqual(data.acc_power.accelerator!.series.map((s) => [s.id, s.statistics.max]), [
      ["gpu0", 400],
    ]);
    assert.deepEqual(loader.load({ ...oneNode, numAcc: 0 }, request).data, {});
  });
  await t.step("metrics removed for the subcluster or unknown are skipped", () => {
    const request = { metrics: ["mem_used", "nope"], scopes: null, resolution: 0 };
    assert.deepEqual(Object.keys(loader.load(oneNode, request).data), ["mem_used"]);
    assert.deepEqual(loader.load({ ...oneNode, subCluster: "b" }, request).data, {});
  });
});

Deno.test("JobDataLoader reports read errors and fails only when nothing was read", async () => {
  const { loader } = setup([
    ...samples("ipc", "n1,type=hwthread,type-id=0", [1, 1, 1, 1]),
    ...samples("ipc", "n1,type=hwthread,type-id=1", [1, 1, 1, 1]),
    ...samples("cpu_load", "n1", [1, 1, 1, 1]),
  ]);
  const oneHost = job({ numNodes: 1, resources: [{ hostname: "n1" }] });
  const partial = loader.load(oneHost, {
    metrics: ["ipc", "cpu_load"],
    scopes: null,
    resolution: 0,
  });
  assert.deepEqual(Object.keys(partial.data), ["cpu_load"]);
  assert.equal(partial.errors.length, 1);
  assert.match(partial.errors[0], /^ipc\/node on n1: invalid aggregation/);
  await assert.rejects(
    loader.loadData(oneHost, { metrics: ["ipc"], scopes: null, resolution: 0 }),
    /no data for job 70 \(id 7\) on "tiny": ipc\/node on n1: invalid aggregation/,
  );
  assert.deepEqual(
    await loader.loadData(oneHost, { metrics: ["flops_any"], scopes: null, resolution: 0 }),
    {},
  );
  await assert.rejects(
    loader.loadData({ ...oneHost, cluster: "nope" }, {
      metrics: null,
      scopes: null,
      resolution: 0,
    }),
    /unknown cluster/,
  );
});

Deno.test("JobDataLoader reads running jobs up to now and resamples long series", () => {
  const values = Array.from({ length: 1200 }, (_, i) => i % 7);
  const now = START + 12_000;
  const { loader } = setup(samples("cpu_load", "n1", values), now);
  const running = job({
    jobState: "running",
    duration: 0,
    numNodes: 1,
    resources: [{ hostname: "n1" }],
  });
  const native = loader.load(running, { metrics: null, scopes: null, resolution: 0 }).data;
  assert.equal(native.cpu_load.node!.series[0].data.length, 1200);
  const coarse = loader.load(running, { metrics: null, scopes: null, resolution: 40 }).data;
  assert.equal(coarse.cpu_load.node!.timestep, 40);
  assert.equal(coarse.cpu_load.node!.series[0].data.length, 300);
  // Statistics describe the native data.
  assert.deepEqual(
    coarse.cpu_load.node!.series[0].statistics,
    native.cpu_load.node!.series[0].statistics,
  );
});
