import assert from "node:assert/strict";
import type { JobData, JobMetric, Series } from "../archive/types.ts";
import type { Job } from "../archive/types.ts";
import { ArchiveJobDataSource } from "./job_data_source.ts";
import { resampleJobData, resampleJobMetric } from "./resample_job_data.ts";

const ramp = (n: number) => Array.from({ length: n }, (_, i) => i);

function metric(lengths: number[], timestep = 60): JobMetric {
  return {
    unit: { base: "" },
    timestep,
    series: lengths.map((n, i): Series => ({
      hostname: `h${i}`,
      statistics: { min: 0, avg: (n - 1) / 2, max: n - 1 },
      data: ramp(n),
    })),
    statisticsSeries: { min: [0], median: [0], max: [0] },
  };
}

Deno.test("resampleJobMetric() downsamples long series with LTTB", async (t) => {
  await t.step("1200 points at 60 s to 240 s: 300 points, first and last kept", () => {
    const m = metric([1200, 1200]);
    assert.equal(resampleJobMetric(m, { resolution: 240 }), true);
    assert.equal(m.timestep, 240);
    for (const s of m.series) {
      assert.equal(s.data.length, 300);
      assert.equal(s.data[0], 0);
      assert.equal(s.data.at(-1), 1199);
    }
    // Statistics stay the native ones; the stale statistics series is gone.
    assert.deepEqual(m.series[0].statistics, { min: 0, avg: 599.5, max: 1199 });
    assert.equal(m.statisticsSeries, undefined);
  });
  await t.step("shorter than minimum-points, or not coarser: unchanged", () => {
    const short = metric([999]);
    assert.equal(resampleJobMetric(short, { resolution: 240 }), false);
    assert.equal(short.series[0].data.length, 999);
    const fine = metric([2000]);
    assert.equal(resampleJobMetric(fine, { resolution: 60 }), false);
    assert.equal(resampleJobMetric(fine, { resolution: 0 }), false);
    assert.ok(fine.statisticsSeries);
  });
  await t.step("minimum-points is configurable", () => {
    const m = metric([100]);
    assert.equal(resampleJobMetric(m, { resolution: 600, minimumPoints: 50 }), true);
    assert.equal(m.timestep, 600);
    assert.equal(m.series[0].data.length, 10);
  });
  await t.step("a resolution that is not a multiple rounds down to one", () => {
    const m = metric([1200]);
    resampleJobMetric(m, { resolution: 250 });
    assert.equal(m.timestep, 240);
  });
  await t.step("a series too short for LTTB is averaged with the same step", () => {
    const m = metric([1200, 5]);
    resampleJobMetric(m, { resolution: 240 });
    assert.deepEqual(m.series[1].data, [1.5, 4]);
  });
});

Deno.test("ArchiveJobDataSource resamples to the requested resolution", async () => {
  const stored = (): JobData => ({
    cpu_load: { node: metric([1200]) },
    mem_used: { node: metric([10]) },
  });
  const source = new ArchiveJobDataSource({ loadJobData: () => Promise.resolve(stored()) }, {
    minimumPoints: 600,
  });
  const job = { jobId: 1, cluster: "c", startTime: 1 } as Job;
  const data = await source.loadData(job, { metrics: null, scopes: null, resolution: 120 });
  assert.equal(data.cpu_load.node!.timestep, 120);
  assert.equal(data.cpu_load.node!.series[0].data.length, 600);
  assert.equal(data.mem_used.node!.timestep, 60);
  const native = await source.loadData(job, { metrics: ["cpu_load"], scopes: null, resolution: 0 });
  assert.deepEqual(Object.keys(native), ["cpu_load"]);
  assert.equal(native.cpu_load.node!.series[0].data.length, 1200);
  const all = resampleJobData(stored(), { resolution: 0 });
  assert.equal(all.cpu_load.node!.series[0].data.length, 1200);
});
