import assert from "node:assert/strict";
import type { Job } from "../archive/types.ts";
import { demoClusters } from "./demo_clusters.ts";
import {
  type DemoJob,
  generateDemoJobs,
  generateJobMeta,
  generateRunningJobs,
} from "./generate_jobs.ts";
import { loadAppPatterns, matchApps, nodeListContains } from "./test_util.ts";

const NOW = 1_760_000_000;
const DAY = 86400;
const clusters = demoClusters();
const jobs = generateDemoJobs({ seed: 11, now: NOW, count: 400 });

function subClusterOf(job: Job) {
  const cluster = clusters.find((c) => c.name === job.cluster);
  const sc = cluster?.subClusters.find((s) => s.name === job.subCluster);
  assert.ok(cluster && sc, `job ${job.jobId}: unknown ${job.cluster}/${job.subCluster}`);
  return { cluster, sc };
}

Deno.test("generateDemoJobs() is deterministic for a seed", () => {
  assert.deepEqual(generateDemoJobs({ seed: 11, now: NOW, count: 400 }), jobs);
  const other = generateDemoJobs({ seed: 12, now: NOW, count: 400 });
  assert.notDeepEqual(other.map((j) => j.meta), jobs.map((j) => j.meta));
});

Deno.test("generateJobMeta() equals the full generator's meta apart from statistics", () => {
  const metas = generateJobMeta({ seed: 11, now: NOW, count: 400 });
  const strip = (
    { statistics: _s, footprint: _f, energyFootprint: _e, energy: _n, ...rest }: Job,
  ) => rest;
  assert.deepEqual(metas.map(strip), jobs.map((j) => strip(j.meta)));
  for (const [i, meta] of metas.entries()) {
    assert.deepEqual(
      Object.keys(meta.statistics ?? {}),
      Object.keys(jobs[i].meta.statistics ?? {}),
    );
    for (const s of Object.values(meta.statistics ?? {})) {
      assert.ok(s.min <= s.avg && s.avg <= s.max, `job ${meta.jobId}: ${JSON.stringify(s)}`);
    }
  }
});

Deno.test("every demo job is a valid finished job", () => {
  const ids = new Set<number>();
  let lastStart = -Infinity, lastId = -Infinity;
  for (const { meta } of jobs) {
    const { sc } = subClusterOf(meta);
    const label = `job ${meta.jobId}`;
    assert.ok(!ids.has(meta.jobId), `${label}: duplicate id`);
    ids.add(meta.jobId);
    assert.ok(meta.startTime >= lastStart && meta.jobId > lastId, `${label}: out of order`);
    [lastStart, lastId] = [meta.startTime, meta.jobId];

    assert.equal(meta.resources.length, meta.numNodes, label);
    assert.ok(meta.numNodes >= 1 && meta.numNodes <= 16, label);
    const hosts = meta.resources.map((r) => r.hostname);
    assert.equal(new Set(hosts).size, hosts.length, `${label}: host twice`);
    for (const r of meta.resources) {
      assert.ok(
        nodeListContains(sc.nodes, r.hostname),
        `${label}: ${r.hostname} not in ${sc.nodes}`,
      );
      assert.ok(r.hwthreads!.length > 0 && r.hwthreads!.every((t) => sc.topology.node.includes(t)));
      const accIds = sc.topology.accelerators?.map((a) => a.id) ?? [];
      assert.ok((r.accelerators ?? []).every((a) => accIds.includes(a)), label);
    }
    const hwthreads = meta.resources.reduce((n, r) => n + r.hwthreads!.length, 0);
    assert.equal(meta.numHwthreads, hwthreads, label);
    const accs = meta.resources.reduce((n, r) => n + (r.accelerators?.length ?? 0), 0);
    assert.equal(meta.numAcc ?? 0, accs, label);
    assert.equal(
      meta.shared,
      accs > 0 && hwthreads < sc.topology.node.length ? "multi_user" : "none",
    );

    assert.ok(meta.duration >= 120 && meta.duration <= DAY, `${label}: duration ${meta.duration}`);
    assert.ok(meta.walltime! >= meta.duration, `${label}: walltime`);
    assert.ok(meta.startTime >= NOW - 30 * DAY && meta.startTime + meta.duration <= NOW, label);
    assert.ok(meta.submitTime! <= meta.startTime, label);
    assert.equal(meta.monitoringStatus, 3);
    assert.equal(meta.smt, 1);
    assert.ok(meta.user.startsWith(meta.project), label);
    assert.equal(
      meta.metaData?.jobName,
      /--job-name=(\S+)/.exec(meta.metaData?.jobScript ?? "")?.[1],
    );
    if (meta.jobState === "timeout") assert.equal(meta.walltime, meta.duration, label);
  }
});

Deno.test("demo jobs show realistic mixes of states, sizes, users and clusters", () => {
  const count = (f: (j: DemoJob) => string | number) => {
    const counts: Record<string, number> = {};
    for (const j of jobs) counts[f(j)] = (counts[f(j)] ?? 0) + 1;
    return counts;
  };
  const states = count((j) => j.meta.jobState);
  assert.deepEqual(Object.keys(states).sort(), [
    "cancelled",
    "completed",
    "failed",
    "out_of_memory",
    "timeout",
  ]);
  assert.ok(states.completed > 0.65 * jobs.length, JSON.stringify(states));
  for (const s of ["failed", "cancelled", "timeout"]) {
    assert.ok(states[s] >= 8, `${s}: ${states[s]}`);
  }
  const nodes = count((j) => j.meta.numNodes);
  assert.ok(nodes[1] > 0.6 * jobs.length && jobs.some((j) => j.meta.numNodes >= 8));
  const shared = count((j) => j.meta.shared);
  assert.ok(shared.none > 0.75 * jobs.length);
  assert.ok(Object.keys(count((j) => j.meta.user)).length >= 25);
  assert.ok(Object.keys(count((j) => j.meta.project)).length >= 12);
  const sub = count((j) => `${j.meta.cluster}/${j.meta.subCluster}`);
  assert.deepEqual(Object.keys(sub).sort(), [
    "alex/a100",
    "alex/a40",
    "fritz/main",
    "fritz/spr1tb",
  ]);
  assert.ok(
    jobs.some((j) => j.meta.duration < 600) && jobs.some((j) => j.meta.duration > 12 * 3600),
  );
});

Deno.test("demo job scripts hit the tagger's app patterns", async () => {
  const patterns = await loadAppPatterns();
  const hits: Record<string, number> = {};
  for (const { meta } of jobs) {
    const apps = matchApps(meta.metaData?.jobScript ?? "", patterns);
    assert.ok(apps.length <= 1, `job ${meta.jobId} matches ${apps}`);
    for (const app of apps) hits[app] = (hits[app] ?? 0) + 1;
  }
  for (const app of ["gromacs", "vasp", "lammps", "openfoam", "python"]) {
    assert.ok(hits[app] > 0, `no ${app} job in ${JSON.stringify(hits)}`);
  }
  const tagged = Object.values(hits).reduce((a, b) => a + b, 0);
  assert.ok(tagged > 0.7 * jobs.length && tagged < jobs.length, `${tagged} tagged`);
});

Deno.test("generateRunningJobs() starts jobs before now on distinct resources", () => {
  const running = generateRunningJobs({ seed: 11, now: NOW, count: 12 });
  assert.deepEqual(generateRunningJobs({ seed: 11, now: NOW, count: 12 }), running);
  assert.equal(running.length, 12);
  const taken = new Set<string>();
  for (const job of running) {
    const { sc } = subClusterOf(job);
    assert.equal(job.jobState, "running");
    assert.equal(job.duration, 0);
    assert.equal(job.monitoringStatus, 1);
    assert.equal(job.statistics, undefined);
    assert.ok(job.jobId >= 2_000_000);
    assert.ok(job.startTime < NOW && NOW - job.startTime < job.walltime!, `job ${job.jobId}`);
    for (const r of job.resources) {
      assert.ok(nodeListContains(sc.nodes, r.hostname));
      for (const slot of r.accelerators ?? ["node"]) {
        const key = `${job.cluster}/${r.hostname}/${slot}`;
        assert.ok(!taken.has(key) && !taken.has(`${job.cluster}/${r.hostname}/node`), key);
        taken.add(key);
      }
    }
  }
  const ids = new Set(jobs.map((j) => j.meta.jobId));
  assert.ok(running.every((j) => !ids.has(j.jobId)));
});

Deno.test("generateJobMeta() makes 20,000 jobs quickly (timing printed, not asserted)", () => {
  const start = performance.now();
  const metas = generateJobMeta({ seed: 1, now: NOW, count: 20_000 });
  const ms = performance.now() - start;
  console.log(`generateJobMeta: 20,000 jobs in ${ms.toFixed(0)} ms`);
  assert.equal(metas.length, 20_000);
  assert.equal(new Set(metas.map((j) => j.jobId)).size, 20_000);
});
