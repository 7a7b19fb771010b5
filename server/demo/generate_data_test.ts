import assert from "node:assert/strict";
import type { Series } from "../archive/types.ts";
import { demoClusters, subClusterMetrics } from "./demo_clusters.ts";
import { generateJobData, sampling } from "./generate_data.ts";
import { generateDemoJobs, planDemoJobs } from "./generate_jobs.ts";
import { round2, seriesStatistics } from "./job_statistics.ts";

const NOW = 1_760_000_000;
const jobs = generateDemoJobs({ seed: 11, now: NOW, count: 400 });
const clusters = demoClusters();

function metricsOf(cluster: string, subCluster: string) {
  return subClusterMetrics(clusters.find((c) => c.name === cluster)!, subCluster);
}

Deno.test("sampling() keeps 60 s steps and coarsens only long series", () => {
  assert.deepEqual(sampling(125, { timestep: 60, maxPoints: 1440 }), { timestep: 60, points: 3 });
  assert.deepEqual(sampling(86400, { timestep: 60, maxPoints: 1440 }), {
    timestep: 60,
    points: 1440,
  });
  assert.deepEqual(sampling(86401, { timestep: 60, maxPoints: 1440 }), {
    timestep: 120,
    points: 721,
  });
  assert.deepEqual(sampling(30, { timestep: 60, maxPoints: 10 }), { timestep: 60, points: 1 });
});

Deno.test("data.json has node series for every metric and accelerator series for GPU metrics", () => {
  let gaps = 0;
  for (const { meta, data } of jobs) {
    const label = `job ${meta.jobId}`;
    const metrics = metricsOf(meta.cluster, meta.subCluster);
    const names = Object.keys(data);
    const gpuMetrics = metrics.filter((m) => m.scope === "accelerator").map((m) => m.name);
    const expected = metrics.map((m) => m.name).filter((n) =>
      (meta.numAcc ?? 0) > 0 || !gpuMetrics.includes(n)
    );
    assert.deepEqual(names, expected, label);
    const hosts = meta.resources.map((r) => r.hostname);
    const gpus = meta.resources.flatMap((r) =>
      (r.accelerators ?? []).map((id) => `${r.hostname}/${id}`)
    );
    for (const config of metrics.filter((m) => names.includes(m.name))) {
      const byScope = data[config.name];
      const node = byScope.node!;
      assert.deepEqual(node.unit, config.unit);
      assert.equal(node.timestep % config.timestep, 0);
      assert.deepEqual(node.series.map((s) => s.hostname), hosts, `${label} ${config.name}`);
      const points = Math.ceil(meta.duration / node.timestep);
      assert.ok(points <= 1440);
      const check = (s: Series) => {
        assert.equal(s.data.length, points, `${label} ${config.name}`);
        assert.ok(s.data.some((v) => !Number.isNaN(v)));
        assert.ok(s.data.every((v) => Number.isNaN(v) || (v >= 0 && v === round2(v))));
        assert.deepEqual(s.statistics, seriesStatistics(s.data), `${label} ${config.name}`);
        if (s.data.some(Number.isNaN)) gaps++;
      };
      node.series.forEach(check);
      if (!gpuMetrics.includes(config.name)) {
        assert.deepEqual(Object.keys(byScope), ["node"]);
        continue;
      }
      const acc = byScope.accelerator!;
      acc.series.forEach(check);
      assert.deepEqual(acc.series.map((s) => `${s.hostname}/${s.id}`), gpus, label);
      // Node values aggregate the job's GPUs on that node.
      for (const ns of node.series) {
        const mine = acc.series.filter((s) => s.hostname === ns.hostname);
        ns.data.forEach((v, t) => {
          const vals = mine.map((s) => s.data[t]).filter((x) => !Number.isNaN(x));
          const sum = vals.reduce((a, b) => a + b, 0);
          const want = vals.length === 0
            ? NaN
            : round2(config.aggregation === "avg" ? sum / vals.length : sum);
          assert.ok(Object.is(v, want), `${label} ${config.name}[${t}] ${v} != ${want}`);
        });
      }
    }
  }
  assert.ok(gaps > 0, "some series have NaN gaps");
});

Deno.test("meta statistics, footprint and energy match a recomputation from data", () => {
  for (const { meta, data } of jobs) {
    const label = `job ${meta.jobId}`;
    const metrics = metricsOf(meta.cluster, meta.subCluster).filter((m) => data[m.name]);
    assert.deepEqual(Object.keys(meta.statistics!), metrics.map((m) => m.name), label);
    let energy = 0;
    for (const m of metrics) {
      const series = data[m.name].node!.series;
      const avgs = series.map((s) => s.statistics.avg);
      const want = {
        unit: m.unit,
        avg: Math.round(avgs.reduce((a, b) => a + b, 0) / meta.numNodes * 100) / 100,
        min: Math.min(...series.map((s) => s.statistics.min)),
        max: Math.max(...series.map((s) => s.statistics.max)),
      };
      assert.deepEqual(meta.statistics![m.name], want, `${label} ${m.name}`);
      if (m.footprint) {
        assert.equal(meta.footprint![`${m.name}_${m.footprint}`], want[m.footprint], label);
      }
      if (m.energy === "power") {
        const kwh = round2(want.avg * meta.numNodes * meta.duration / 3600 / 1000);
        assert.equal(meta.energyFootprint![m.name], kwh, `${label} ${m.name}`);
        energy += kwh;
      }
    }
    assert.equal(meta.energy, round2(energy), label);
  }
});

Deno.test("demo jobs cover the typical performance profiles", () => {
  const stat = (i: number, m: string) => jobs[i].meta.statistics?.[m];
  const peakOf = (i: number, m: string) =>
    metricsOf(jobs[i].meta.cluster, jobs[i].meta.subCluster).find((c) => c.name === m)!;
  const found = { compute: 0, memoryBound: 0, idle: 0, highMemory: 0, gpuBusy: 0, gpuIdle: 0 };
  jobs.forEach((_, i) => {
    const flops = stat(i, "flops_any"), bw = stat(i, "mem_bw"), load = stat(i, "cpu_load");
    const mem = stat(i, "mem_used"), gpu = stat(i, "acc_utilization");
    if (flops && flops.avg > peakOf(i, "flops_any").normal) found.compute++;
    if (bw && bw.avg > 0.8 * peakOf(i, "mem_bw").peak) found.memoryBound++;
    if (load && load.avg < 0.5) found.idle++;
    if (mem && mem.max > peakOf(i, "mem_used").alert) found.highMemory++;
    if (gpu && gpu.avg > 60) found.gpuBusy++;
    if (gpu && gpu.avg < 20) found.gpuIdle++;
  });
  for (const [i, { meta }] of jobs.entries()) {
    if (meta.jobState !== "out_of_memory" || meta.shared !== "none") continue;
    const max = stat(i, "mem_used")!.max;
    assert.ok(max > 0.9 * peakOf(i, "mem_used").peak, `job ${meta.jobId}: mem_used.max ${max}`);
  }
  for (const [kind, n] of Object.entries(found)) {
    assert.ok(n > 0, `no ${kind} job: ${JSON.stringify(found)}`);
  }
});

Deno.test("generateJobData() is reproducible per job and honours maxPoints", () => {
  const plans = planDemoJobs({ seed: 11, now: NOW, count: 50 });
  const long = plans.reduce((a, b) => a.meta.duration >= b.meta.duration ? a : b);
  assert.deepEqual(generateJobData(long), generateJobData(long));
  const small = generateJobData(long, { maxPoints: 40 });
  for (const byScope of Object.values(small)) {
    for (const m of Object.values(byScope)) {
      assert.equal(m.timestep % 60, 0);
      for (const s of m.series) assert.ok(s.data.length <= 40 && s.data.length > 0);
    }
  }
});
