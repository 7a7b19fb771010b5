import assert from "node:assert/strict";
import type { JobData, JobMetric } from "../archive/types.ts";
import {
  addNodeScope,
  addStatisticsSeries,
  prepareJobData,
  roundMetricStats,
} from "./prepare_job_data.ts";

function metric(data: number[][], hosts?: string[]): JobMetric {
  return {
    unit: { base: "" },
    timestep: 60,
    series: data.map((d, i) => ({
      hostname: hosts?.[i] ?? `h${i}`,
      statistics: { min: 0, avg: 0, max: 0 },
      data: d,
    })),
  };
}

Deno.test("addStatisticsSeries() computes min/median/max per time step", async (t) => {
  await t.step("median of an odd and an even count", () => {
    const odd = metric([[1, 4], [2, 5], [9, 6]]);
    addStatisticsSeries(odd);
    assert.deepEqual(odd.statisticsSeries, { min: [1, 4], median: [2, 5], max: [9, 6] });
    const even = metric([[1], [2], [3], [10]]);
    addStatisticsSeries(even);
    assert.deepEqual(even.statisticsSeries!.median, [2.5]);
  });
  await t.step("fewer than three values: NaN; missing values count as 0 in the median", () => {
    const m = metric([[1, NaN], [NaN, 4], [5, 6], [7, 8]]);
    addStatisticsSeries(m);
    // Index 0: values 1, 5, 7 and a 0 for the gap → median of [0, 1, 5, 7] = 3.
    assert.deepEqual(m.statisticsSeries!.median, [3, 5]);
    assert.deepEqual(m.statisticsSeries!.min, [1, 4]);
    const sparse = metric([[1], [NaN], [NaN], [2]]);
    addStatisticsSeries(sparse);
    assert.ok(Number.isNaN(sparse.statisticsSeries!.min![0]));
  });
  await t.step("indices beyond the shortest series are NaN; mean stays unset", () => {
    const m = metric([[1, 2, 3], [1, 2], [1, 2]]);
    addStatisticsSeries(m);
    assert.equal(m.statisticsSeries!.max!.length, 3);
    assert.ok(Number.isNaN(m.statisticsSeries!.max![2]));
    assert.equal(m.statisticsSeries!.mean, undefined);
  });
  await t.step("stored statistics series are kept", () => {
    const m = metric([[1], [2], [3]]);
    m.statisticsSeries = { mean: [7] };
    addStatisticsSeries(m);
    assert.deepEqual(m.statisticsSeries, { mean: [7] });
  });
});

Deno.test("prepareJobData() adds statistics series only from eight series on", () => {
  const seven = metric(Array.from({ length: 7 }, () => [1]));
  const eight = metric(Array.from({ length: 8 }, () => [1]));
  const data: JobData = { a: { node: seven }, b: { node: eight } };
  prepareJobData(data, null);
  assert.equal(data.a.node!.statisticsSeries, undefined);
  assert.deepEqual(data.b.node!.statisticsSeries, { min: [1], median: [1], max: [1] });
});

Deno.test("addNodeScope() sums the coarsest scope per host", async (t) => {
  await t.step("socket data becomes node data", () => {
    const socket = metric([[1, 2], [3, 4], [10, NaN]], ["a", "a", "b"]);
    socket.series[0].statistics = { min: 1, avg: 1.5, max: 2 };
    socket.series[1].statistics = { min: 3, avg: 3.5, max: 4 };
    const data: JobData = { mem_bw: { socket, core: metric([[0, 0]]) } };
    addNodeScope(data, "mem_bw");
    const node = data.mem_bw.node!;
    assert.deepEqual(node.series.map((s) => s.hostname), ["a", "b"]);
    assert.deepEqual(node.series[0].data, [4, 6]);
    assert.deepEqual(node.series[0].statistics, { min: 1, avg: 2.5, max: 4 });
    assert.ok(Number.isNaN(node.series[1].data[1]));
    assert.equal(node.timestep, 60);
  });
  await t.step("existing node data and missing metrics are left alone", () => {
    const node = metric([[1]]);
    const data: JobData = { flops_any: { node, core: metric([[5]]) } };
    addNodeScope(data, "flops_any");
    addNodeScope(data, "mem_bw");
    assert.equal(data.flops_any.node, node);
    assert.equal(data.mem_bw, undefined);
  });
  await t.step("only when node is requested, and only for flops_any and mem_bw", () => {
    const data: JobData = {
      flops_any: { core: metric([[1]]) },
      cpu_user: { core: metric([[1]]) },
    };
    prepareJobData(data, ["core"]);
    assert.equal(data.flops_any.node, undefined);
    prepareJobData(data, ["node"]);
    assert.ok(data.flops_any.node);
    assert.equal(data.cpu_user.node, undefined);
  });
});

Deno.test("roundMetricStats() rounds halves away from zero", () => {
  const m = metric([[1]]);
  m.series[0].statistics = { min: -1.005, avg: 2.675000001, max: 0.125 };
  roundMetricStats({ x: { node: m } });
  assert.deepEqual(m.series[0].statistics, { min: -1, avg: 2.68, max: 0.13 });
});
