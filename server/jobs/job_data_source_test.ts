import assert from "node:assert/strict";
import type { JobData, JobMetric } from "../archive/types.ts";
import { selectJobData } from "./job_data_source.ts";
import { isLiveJob } from "./load_job_data.ts";

const m = (timestep: number): JobMetric => ({ unit: { base: "" }, timestep, series: [] });

function data(): JobData {
  return {
    cpu_load: { node: m(1) },
    flops_any: { node: m(2), core: m(3) },
    mem_bw: { socket: m(4), memoryDomain: m(5) },
  };
}

Deno.test("selectJobData() narrows as cc-backend does for archived jobs", async (t) => {
  await t.step("neither list: everything", () => {
    const all = data();
    assert.equal(selectJobData(all, { metrics: null, scopes: null }), all);
  });
  await t.step("metrics only: those metrics with every scope", () => {
    assert.deepEqual(selectJobData(data(), { metrics: ["flops_any", "nope"], scopes: null }), {
      flops_any: { node: m(2), core: m(3) },
    });
  });
  await t.step("scopes: kept where a metric has several, else the metric as is", () => {
    assert.deepEqual(selectJobData(data(), { metrics: null, scopes: ["core"] }), {
      cpu_load: { node: m(1) },
      flops_any: { core: m(3) },
      mem_bw: { socket: m(4), memoryDomain: m(5) },
    });
  });
  await t.step("an empty metric list selects nothing", () => {
    assert.deepEqual(selectJobData(data(), { metrics: [], scopes: ["node"] }), {});
  });
});

Deno.test("isLiveJob(): running or still being archived", () => {
  assert.equal(isLiveJob({ jobState: "running", monitoringStatus: 3 }), true);
  assert.equal(isLiveJob({ jobState: "completed", monitoringStatus: 1 }), true);
  assert.equal(isLiveJob({ jobState: "completed", monitoringStatus: 3 }), false);
  assert.equal(isLiveJob({ jobState: "failed", monitoringStatus: 0 }), false);
});
