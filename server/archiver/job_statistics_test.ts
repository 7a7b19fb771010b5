import assert from "node:assert/strict";
import type { JobData, MetricConfig } from "../archive/types.ts";
import { jobStatistics, sanitizeStatistics, seriesStatistics } from "./job_statistics.ts";

const metric = (name: string, extra: Partial<MetricConfig> = {}): MetricConfig => ({
  name,
  unit: { base: "W" },
  scope: "node",
  aggregation: "sum",
  timestep: 60,
  peak: 500,
  normal: 250,
  caution: 100,
  alert: 50,
  ...extra,
});

Deno.test("seriesStatistics() ignores NaN and rounds to two decimals", () => {
  assert.deepEqual(seriesStatistics([1, NaN, 2, 4]), { min: 1, avg: 2.33, max: 4 });
  assert.deepEqual(seriesStatistics(new Float64Array([0.5])), { min: 0.5, avg: 0.5, max: 0.5 });
  const empty = seriesStatistics([NaN, NaN]);
  assert.ok(Number.isNaN(empty.avg) && Number.isNaN(empty.min) && Number.isNaN(empty.max));
});

Deno.test("sanitizeStatistics() zeroes all three when one is NaN", () => {
  assert.deepEqual(sanitizeStatistics({ min: 1, avg: NaN, max: 3 }), { min: 0, avg: 0, max: 0 });
  assert.deepEqual(sanitizeStatistics({ min: 1, avg: 2, max: 3 }), { min: 1, avg: 2, max: 3 });
});

Deno.test("jobStatistics() follows the archiver formula over node series", async (t) => {
  const series = (hostname: string, min: number, avg: number, max: number) => ({
    hostname,
    statistics: { min, avg, max },
    data: [min, max],
  });
  const metrics = [metric("cpu_power", { energy: "power", footprint: "avg" }), metric("acc_power")];
  await t.step("avg divides by numNodes; other scopes and metrics are ignored", () => {
    const data: JobData = {
      cpu_power: {
        node: {
          unit: { base: "W" },
          timestep: 60,
          series: [series("n1", 100, 300.01, 400), series("n2", 50, 200.02, 450)],
        },
        socket: { unit: { base: "W" }, timestep: 60, series: [series("n1", 0, 0, 9999)] },
      },
      acc_power: {
        accelerator: { unit: { base: "W" }, timestep: 60, series: [series("n1", 1, 2, 3)] },
      },
    };
    assert.deepEqual(jobStatistics(data, { metrics, numNodes: 2 }), {
      cpu_power: { unit: { base: "W" }, avg: 250.02, min: 50, max: 450 },
    });
  });
  await t.step("a host without data pulls the average down (numNodes, not series)", () => {
    const data: JobData = {
      cpu_power: {
        node: { unit: { base: "W" }, timestep: 60, series: [series("n1", 100, 300, 400)] },
      },
    };
    // (300) / 4 nodes = 75: cc-backend's rule, kept on purpose.
    assert.deepEqual(jobStatistics(data, { metrics, numNodes: 4 }).cpu_power.avg, 75);
  });
});
