import assert from "node:assert/strict";
import { MemoryStore } from "../metricstore/mod.ts";
import { statisticsFromHosts, updateRunningFootprints } from "./running_footprints.ts";
import { metricStoreStats } from "./running_job_stats.ts";
import { addJob, captureLog, fritzJob, withTaskSite } from "./test_site.ts";

const NOW = 1_700_000_000;
const START = NOW - 1200;

Deno.test("statisticsFromHosts() averages over nodes and takes the real extremes", () => {
  const job = {
    numNodes: 3, // one node has no data: it still counts, as in cc-backend
    resources: [{ hostname: "a" }, { hostname: "b" }, { hostname: "c" }],
  };
  const stats = statisticsFromHosts(job, {
    hosts: {
      cpu_load: {
        a: { avg: 10.125, min: 5.125, max: 12 },
        b: { avg: 20.25, min: 7, max: 30.5 },
      },
      mem_used: {},
    },
    metrics: ["cpu_load", "mem_used", "flops_any"],
  });
  // (10.125 + 20.25) / 3 = 10.125; min 5.125 rounds to 5.13 (cc-backend would say 0, starting at 0).
  assert.deepEqual(stats, { cpu_load: { avg: 10.13, min: 5.13, max: 30.5 } });
});

Deno.test("updateRunningFootprints() writes footprints of running jobs older than 600 s", async () => {
  await withTaskSite(async (site) => {
    const store = MemoryStore.fromClusters(site.archive.clusters());
    for (let k = 0; k < 10; k++) {
      const ts = START + 60 * k;
      const odd = k % 2;
      store.write(["fritz", "f0101"], "cpu_load", ts, odd ? 3 : 1); // avg 2
      store.write(["fritz", "f0102"], "cpu_load", ts, odd ? 7 : 5); // avg 6
      store.write(["fritz", "f0101"], "mem_used", ts, 10);
      store.write(["fritz", "f0102"], "mem_used", ts, odd ? 30 : 20); // max 30
      store.write(["fritz", "f0101", "hwthread0"], "flops_any", ts, 1);
      store.write(["fritz", "f0101", "hwthread1"], "flops_any", ts, 2); // node sum 3
      store.write(["fritz", "f0102", "hwthread0"], "flops_any", ts, 4);
      store.write(["fritz", "f0102", "hwthread1"], "flops_any", ts, 0); // node sum 4
      store.write(["fritz", "f0102", "hwthread9"], "flops_any", ts, 100); // not the job's thread
    }
    const running = { jobState: "running" as const, duration: 0, footprint: { old: 1 } };
    const target = await addJob(site, fritzJob({ jobId: 1, startTime: START, ...running }), {
      archived: false,
    });
    const young = await addJob(site, fritzJob({ jobId: 2, startTime: NOW - 300, ...running }), {
      archived: false,
    });
    const noData = await addJob(
      site,
      fritzJob({ jobId: 3, startTime: START, resources: [{ hostname: "f0201" }], ...running }),
      { archived: false },
    );
    const finished = await addJob(site, fritzJob({ jobId: 4, startTime: START }), {
      archived: false,
    });

    const result = updateRunningFootprints({
      db: site.db,
      clusters: site.archive.clusters(),
      stats: metricStoreStats(store),
      now: NOW,
    });
    assert.deepEqual(result, { jobs: 2, updated: 1, skipped: 1 });
    assert.deepEqual(site.jobs.findById(target.id!)!.footprint, {
      cpu_load_avg: 4, // (2 + 6) / 2
      mem_used_max: 30,
      flops_any_avg: 3.5, // (3 + 4) / 2
      mem_bw_avg: 0, // no data at all
    });
    assert.deepEqual(site.jobs.findById(young.id!)!.footprint, { old: 1 });
    assert.deepEqual(site.jobs.findById(noData.id!)!.footprint, { old: 1 });
    assert.deepEqual(site.jobs.findById(finished.id!)!.footprint, { cpu_load_avg: 1.5 });
  });
});

Deno.test("updateRunningFootprints() skips jobs of unknown subclusters and failing loads", async () => {
  await withTaskSite(async (site) => {
    const running = { jobState: "running" as const, startTime: START };
    await addJob(site, fritzJob({ jobId: 1, subCluster: "gone", ...running }), { archived: false });
    await addJob(site, fritzJob({ jobId: 2, ...running }), { archived: false });
    const { result, lines } = await captureLog(() =>
      updateRunningFootprints({
        db: site.db,
        clusters: site.archive.clusters(),
        stats: {
          loadStats: () => {
            throw new Error("store unavailable");
          },
        },
        now: NOW,
      })
    );
    assert.deepEqual(result, { jobs: 2, updated: 0, skipped: 2 });
    assert.ok(
      lines.some((l) =>
        l.includes("cannot load statistics of job 2") && l.includes("store unavailable")
      ),
    );
  });
});
