import assert from "node:assert/strict";
import { columnValue, type ComparedJob, unixSeconds } from "./job_compare.tsx";
import { scopesToQuery } from "./job_metrics.tsx";
import { polarFraction } from "./job_polar.tsx";
import { naturalCompare, preferredScope, tableScopes } from "./job_stats_table.tsx";
import { selectionOrder } from "./lib/job_metric_selection.tsx";
import { finestScope, withoutMetricData } from "./lib/job_types.ts";

const metric = (name: string, scope: string) => ({
  name,
  scope,
  unit: { base: "" },
  aggregation: "sum",
  timestep: 60,
  peak: 1,
  normal: 1,
  caution: 1,
  alert: 1,
});

Deno.test("the plot grid asks for node, accelerator and (one node) socket and core scopes", () => {
  assert.deepEqual(scopesToQuery({ numNodes: 32 }, [metric("flops_any", "hwthread")]), ["node"]);
  assert.deepEqual(scopesToQuery({ numNodes: 1 }, [metric("flops_any", "hwthread")]), [
    "node",
    "socket",
    "core",
  ]);
  assert.deepEqual(scopesToQuery({ numNodes: 2 }, [metric("acc_power", "accelerator")]), [
    "node",
    "accelerator",
  ]);
});

Deno.test("the statistics table's scopes and the scope it shows first", () => {
  assert.deepEqual(tableScopes({ numNodes: 4 }, [metric("mem_bw", "socket")]), ["node"]);
  assert.deepEqual(tableScopes({ numNodes: 1 }, [metric("acc_power", "accelerator")]), [
    "node",
    "socket",
    "core",
    "hwthread",
    "accelerator",
  ]);
  assert.equal(preferredScope(["node", "socket", "core", "hwthread"]), "core");
  assert.equal(preferredScope(["node", "accelerator"]), "accelerator");
  assert.equal(preferredScope(["node"]), "node");
  assert.equal(preferredScope(["hwthread"]), "hwthread");
  assert.deepEqual(["10", "2", "1"].sort(naturalCompare), ["1", "2", "10"]);
});

Deno.test("finestScope() and withoutMetricData() classify what the grid shows", () => {
  assert.equal(finestScope(["node", "core", "socket"]), "core");
  assert.equal(finestScope([]), undefined);
  assert.equal(withoutMetricData({ monitoringStatus: 2 }), true);
  assert.equal(withoutMetricData({ monitoringStatus: 0 }), true);
  assert.equal(withoutMetricData({ monitoringStatus: 3 }), false);
  assert.equal(withoutMetricData({ monitoringStatus: 1 }), false);
});

Deno.test("the metric chooser lists the chosen metrics first, in their order", () => {
  assert.deepEqual(selectionOrder(["a", "b", "c", "d"], ["c", "x", "a"]), ["c", "a", "b", "d"]);
});

Deno.test("polarFraction() is value / peak within 0..1", () => {
  assert.equal(polarFraction(50, 200), 0.25);
  assert.equal(polarFraction(500, 200), 1);
  assert.equal(polarFraction(null, 200), 0);
  assert.equal(polarFraction(5, 0), 0);
});

Deno.test("the comparison sorts by columns and statistics", () => {
  const job: ComparedJob = {
    id: "7",
    jobId: "123",
    startTime: "2020-12-25T19:04:36.000Z",
    duration: 60,
    cluster: "emmy",
    subCluster: "haswell",
    numNodes: 2,
    numHWThreads: null,
    numAccelerators: null,
    stats: [{ name: "flops_any", data: { min: 1, avg: 2, max: 3 } }],
  };
  assert.equal(unixSeconds(job.startTime), 1608923076);
  assert.equal(unixSeconds(1608923076), 1608923076);
  assert.equal(columnValue(job, "jobId"), 123);
  assert.equal(columnValue(job, "startTime"), 1608923076);
  assert.equal(columnValue(job, "cluster"), "emmy/haswell");
  assert.equal(columnValue(job, "numHWThreads"), 0);
  assert.equal(columnValue(job, "flops_any:max"), 3);
  assert.equal(columnValue(job, "mem_bw:avg"), -Infinity);
  assert.equal(columnValue(job, "duration"), 60);
});
