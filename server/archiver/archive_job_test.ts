import assert from "node:assert/strict";
import { loadClusterConfig } from "../archive/cluster_config.ts";
import type { Job, JobData, Series } from "../archive/types.ts";
import type { JobDataRequest } from "../jobs/job_data_source.ts";
import { archiveJob, archiveScopes } from "./archive_job.ts";

const metric = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  scope: "node",
  aggregation: "sum",
  unit: { base: "W" },
  timestep: 60,
  peak: 100,
  normal: 50,
  caution: 20,
  alert: 10,
  ...extra,
});

const CLUSTER = loadClusterConfig({
  name: "c",
  metricConfig: [
    metric("cpu_load", { unit: { base: "" }, footprint: "avg" }),
    metric("mem_used", { unit: { base: "B", prefix: "G" }, footprint: "max" }),
    metric("cpu_power", { energy: "power" }),
    // The subcluster "big" takes the minimum instead.
    metric("acc_power", {
      scope: "accelerator",
      energy: "power",
      footprint: "avg",
      subClusters: [{ name: "big", footprint: "min", energy: "power" }],
    }),
  ],
  subClusters: ["small", "big"].map((name) => ({
    name,
    nodes: name === "small" ? "s[1-9]" : "b[1-9]",
    processorType: "x",
    socketsPerNode: 1,
    coresPerSocket: 1,
    threadsPerCore: 1,
    flopRateScalar: { unit: { base: "F/s" }, value: 1 },
    flopRateSimd: { unit: { base: "F/s" }, value: 1 },
    memoryBandwidth: { unit: { base: "B/s" }, value: 1 },
    topology: { node: [0], socket: [[0]], memoryDomain: [[0]], core: [[0]] },
  })),
});

const series = (hostname: string, data: number[]): Series => ({
  hostname,
  statistics: {
    min: Math.min(...data),
    avg: data.reduce((a, b) => a + b, 0) / data.length,
    max: Math.max(...data),
  },
  data,
});

/** Four nodes; s4 sends nothing. */
function storeData(): JobData {
  return {
    cpu_load: {
      node: {
        unit: { base: "" },
        timestep: 60,
        series: [series("s1", [1, 2]), series("s2", [3, 4]), series("s3", [0.333, 0.333])],
      },
    },
    cpu_power: {
      node: {
        unit: { base: "W" },
        timestep: 60,
        series: ["s1", "s2", "s3", "s4"].map((h) => series(h, [300, 500])),
      },
    },
    acc_power: {
      accelerator: { unit: { base: "W" }, timestep: 60, series: [series("s1", [50, 70])] },
    },
  };
}

function job(overrides: Partial<Job> = {}): Job {
  return {
    id: 11,
    jobId: 99,
    user: "u",
    project: "p",
    cluster: "c",
    subCluster: "small",
    numNodes: 4,
    shared: "none",
    jobState: "completed",
    monitoringStatus: 1,
    startTime: 1000,
    duration: 7200,
    resources: ["s1", "s2", "s3", "s4"].map((hostname) => ({ hostname })),
    footprint: { stale: 1 },
    energy: 12345,
    ...overrides,
  };
}

function deps(options: { data?: JobData; errors?: string[] } = {}) {
  const written: { meta: Job; data: JobData }[] = [];
  const requests: JobDataRequest[] = [];
  return {
    written,
    requests,
    deps: {
      archive: {
        cluster: (name: string) => (name === "c" ? CLUSTER : undefined),
        writeJob: (meta: Job, data: JobData) => {
          written.push({ meta, data });
          return Promise.resolve();
        },
      },
      reader: {
        load: (_job: Job, request: JobDataRequest) => {
          requests.push(request);
          return { data: options.data ?? storeData(), errors: options.errors ?? [] };
        },
      },
    },
  };
}

Deno.test("archiveScopes(): node, core up to 8 nodes, accelerator with accelerators", () => {
  assert.deepEqual(archiveScopes({ numNodes: 8 }), ["node", "core"]);
  assert.deepEqual(archiveScopes({ numNodes: 9, numAcc: 0 }), ["node"]);
  assert.deepEqual(archiveScopes({ numNodes: 1, numAcc: 2 }), ["node", "core", "accelerator"]);
});

Deno.test("archiveJob() computes statistics, footprint and energy by hand", async (t) => {
  const { deps: d, written, requests } = deps();
  const archived = await archiveJob(job(), d);
  await t.step("every cluster metric is read at native resolution", () => {
    assert.deepEqual(requests, [{
      metrics: ["cpu_load", "mem_used", "cpu_power", "acc_power"],
      scopes: ["node", "core"],
      resolution: 0,
    }]);
  });
  await t.step("statistics: node series only, avg over numNodes", () => {
    assert.deepEqual(archived.meta.statistics, {
      // (1.5 + 3.5 + 0.33) / 4 = 1.3325 → 1.33; series stats are rounded first.
      cpu_load: { unit: { base: "" }, avg: 1.33, min: 0.33, max: 4 },
      // 4 x 400 / 4
      cpu_power: { unit: { base: "W" }, avg: 400, min: 300, max: 500 },
    });
  });
  await t.step("footprint with the configured statistic, 0 without data", () => {
    assert.deepEqual(archived.meta.footprint, {
      cpu_load_avg: 1.33,
      mem_used_max: 0,
      acc_power_avg: 0,
    });
  });
  await t.step("energy counts every node: 400 W x 4 nodes x 2 h = 3.2 kWh", () => {
    assert.deepEqual(archived.meta.energyFootprint, { cpu_power: 3.2, acc_power: 0 });
    assert.equal(archived.meta.energy, 3.2);
  });
  await t.step("meta.json has the final values, not the stale ones", () => {
    assert.equal(written.length, 1);
    const meta = written[0].meta;
    assert.equal(meta.monitoringStatus, 3);
    assert.deepEqual(meta.footprint, archived.meta.footprint);
    assert.equal(meta.energy, 3.2);
    assert.deepEqual(meta.metaData, {});
    assert.deepEqual(meta.tags, []);
    assert.equal(written[0].data, archived.data);
    // Post-processing rounded the series statistics.
    assert.deepEqual(archived.data.cpu_load.node!.series[2].statistics, {
      min: 0.33,
      avg: 0.33,
      max: 0.33,
    });
  });
});

Deno.test("archiveJob() honours per-subcluster footprint statistics", async () => {
  const { deps: d } = deps();
  const archived = await archiveJob(job({ subCluster: "big", numAcc: 1, numNodes: 1 }), d);
  assert.deepEqual(Object.keys(archived.meta.footprint), [
    "cpu_load_avg",
    "mem_used_max",
    "acc_power_min",
  ]);
});

Deno.test("archiveJob() fails for unknown clusters and when nothing could be read", async () => {
  await assert.rejects(archiveJob(job({ cluster: "x" }), deps().deps), /unknown cluster/);
  await assert.rejects(
    archiveJob(job({ subCluster: "x" }), deps().deps),
    /unknown subcluster "x"/,
  );
  await assert.rejects(
    archiveJob(job(), deps({ data: {}, errors: ["cpu_load/node on s1: boom"] }).deps),
    /no metric could be read: cpu_load\/node on s1: boom/,
  );
  // Partial failures keep what exists.
  const partial = await archiveJob(job(), deps({ errors: ["mem_used/node on s1: boom"] }).deps);
  assert.deepEqual(partial.errors, ["mem_used/node on s1: boom"]);
  // No data and no errors: archived empty.
  const empty = await archiveJob(job(), deps({ data: {} }).deps);
  assert.deepEqual(empty.meta.statistics, {});
});
