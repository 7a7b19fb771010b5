import assert from "node:assert/strict";
import type { MetricConfig } from "../archive/types.ts";
import { computeFootprint, round2 } from "./enrich_job.ts";

function metric(name: string, extra: Partial<MetricConfig>): MetricConfig {
  return {
    name,
    unit: { base: "" },
    scope: "node",
    aggregation: "avg",
    timestep: 60,
    peak: 100,
    normal: 50,
    caution: 10,
    alert: 5,
    ...extra,
  };
}

const source = {
  footprint: ["cpu_load", "mem_used"],
  energyFootprint: ["cpu_power", "acc_energy"],
  metricConfig: [
    metric("cpu_load", { footprint: "avg" }),
    metric("mem_used", { footprint: "max" }),
    metric("cpu_power", { energy: "power" }),
    metric("acc_energy", { energy: "energy" }),
  ],
};

Deno.test("computeFootprint() uses the configured statistic per metric", () => {
  const result = computeFootprint({
    numNodes: 2,
    duration: 3600,
    statistics: {
      cpu_load: { unit: { base: "" }, avg: 30.92, min: 1, max: 40 },
      mem_used: { unit: { base: "B", prefix: "G" }, avg: 20, min: 1, max: 37.5 },
      cpu_power: { unit: { base: "W" }, avg: 250, min: 100, max: 300 },
    },
  }, source);
  assert.deepEqual(result.footprint, { cpu_load_avg: 30.92, mem_used_max: 37.5 });
  // 250 W per node × 2 nodes × 1 h = 0.5 kWh; energy-type metrics are not integrated (0).
  assert.deepEqual(result.energyFootprint, { cpu_power: 0.5, acc_energy: 0 });
  assert.equal(result.energy, 0.5);
});

Deno.test("computeFootprint() gives 0 for metrics without statistics", () => {
  const result = computeFootprint({ numNodes: 1, duration: 60, statistics: {} }, source);
  assert.deepEqual(result.footprint, { cpu_load_avg: 0, mem_used_max: 0 });
  assert.equal(result.energy, 0);
});

Deno.test("round2() rounds half away like Go's math.Round on positive values", () => {
  assert.equal(round2(1.005 * 1000 / 1000), 1);
  assert.equal(round2(2.345), 2.35);
  assert.equal(round2(0.125), 0.13);
});
