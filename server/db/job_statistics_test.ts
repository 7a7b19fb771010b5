import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import type { Job } from "../archive/types.ts";
import { JobRepository } from "./job_repository.ts";
import { JobStatistics, STAT_FIELDS, type StatField } from "./job_statistics.ts";
import { sampleJob, withTempDb } from "./test_db.ts";

const NOW = 1_700_100_000;
const ALL = new Set<StatField>(STAT_FIELDS);
const KEYS = new Set(["flops_any_avg", "mem_bw_avg"]);

function seed(db: DatabaseSync): void {
  const jobs: Partial<Job>[] = [
    {
      jobId: 1,
      user: "alice",
      project: "p1",
      duration: 3600,
      numNodes: 1,
      numHwthreads: 72,
      numAcc: 0,
      footprint: { flops_any_avg: 10 },
    },
    {
      jobId: 2,
      user: "alice",
      project: "p2",
      duration: 7300,
      numNodes: 2,
      numHwthreads: 144,
      numAcc: 4,
      footprint: { flops_any_avg: 100 },
    },
    {
      jobId: 3,
      user: "bob",
      project: "p1",
      duration: 100,
      numNodes: 1,
      numHwthreads: 72,
      numAcc: 0,
      footprint: { flops_any_avg: 55 },
    },
    {
      jobId: 4,
      user: "bob",
      project: "p1",
      jobState: "running",
      startTime: NOW - 5400,
      duration: 0,
      numNodes: 4,
      numHwthreads: 288,
      numAcc: 0,
      footprint: null,
    },
    {
      jobId: 5,
      user: "carol",
      project: "p3",
      cluster: "alex",
      subCluster: "a100",
      duration: 250,
      numNodes: 1,
      numHwthreads: 16,
      numAcc: 8,
      footprint: { flops_any_avg: 120 },
    },
  ];
  new JobRepository(db).insertJobs(jobs.map((j) => sampleJob(j)));
}

async function withStats(fn: (s: JobStatistics, db: DatabaseSync) => void): Promise<void> {
  await withTempDb((db) => {
    seed(db);
    fn(new JobStatistics(db, { now: () => NOW, footprintKeys: KEYS, shortJobSeconds: 300 }), db);
  });
}

Deno.test("JobStatistics.totals() aggregates with live durations of running jobs", async () => {
  await withStats((s) => {
    const t = s.totals({ visibility: null }, ALL);
    assert.equal(t.totalJobs, 5);
    assert.equal(t.totalUsers, 3);
    assert.equal(t.runningJobs, 1);
    assert.equal(t.shortJobs, 2, "100 s and 250 s");
    // 3600 + 7300 + 100 + 5400 (live) + 250 = 16650 s → 4 h (truncated)
    assert.equal(t.totalWalltime, 4);
    assert.equal(t.totalNodes, 9);
    assert.equal(t.totalNodeHours, Math.floor((3600 + 14600 + 100 + 21600 + 250) / 3600));
    assert.equal(t.totalCores, 72 + 144 + 72 + 288 + 16);
    assert.equal(t.totalAccHours, Math.floor((7300 * 4 + 250 * 8) / 3600));
    const some = s.totals({ visibility: null }, new Set(["totalJobs"]));
    assert.equal(some.totalUsers, 0, "unrequested fields are 0");
    const alice = s.totals({ visibility: { sql: "job.hpc_user = ?", params: ["alice"] } }, ALL);
    assert.equal(alice.totalJobs, 2);
  });
});

Deno.test("JobStatistics.grouped() gives one row per group in ascending order", async () => {
  await withStats((s) => {
    const rows = s.grouped({ visibility: null }, "USER", new Set(["totalJobs", "totalWalltime"]));
    assert.deepEqual(rows.map((r) => [r.id, r.totalJobs, r.totalWalltime]), [
      ["alice", 2, 3],
      ["bob", 2, 1],
      ["carol", 1, 0],
    ]);
    const projects = s.grouped(
      { filters: [{ cluster: { eq: "fritz" } }], visibility: null },
      "PROJECT",
      ALL,
    );
    assert.deepEqual(projects.map((r) => r.id), ["p1", "p2"]);
    const clusters = s.grouped({ visibility: null }, "CLUSTER", ALL);
    assert.deepEqual(clusters.map((r) => [r.id, r.totalJobs]), [["alex", 1], ["fritz", 4]]);
  });
});

Deno.test("JobStatistics histograms: duration bins, counts, footprint bins", async () => {
  await withStats((s) => {
    const hours = s.durationHistogram({ visibility: null }, { binSeconds: 3600, bins: 3 });
    // 100, 250 → bin 1; 3600 → bin 2; 5400 → bin 2; 7300 → bin 3
    assert.deepEqual(hours, [{ value: 3600, count: 2 }, { value: 7200, count: 2 }, {
      value: 10800,
      count: 1,
    }]);
    assert.deepEqual(s.countHistogram({ visibility: null }, "numAcc"), [
      { value: 0, count: 3 },
      { value: 4, count: 1 },
      { value: 8, count: 1 },
    ]);
    const flops = s.footprintHistogram({ visibility: null }, {
      key: "flops_any_avg",
      peak: 100,
      bins: 4,
    });
    // 10 → 1, 55 → 3, 100 = peak → last bin, 120 > peak: not counted
    assert.deepEqual(flops.map((b) => b.count), [1, 0, 1, 1]);
    assert.deepEqual(flops[1], { bin: 2, count: 0, min: 25, max: 50 });
    assert.throws(
      () => s.footprintHistogram({ visibility: null }, { key: "evil') --", peak: 1, bins: 1 }),
      /unknown footprint metric/,
    );
  });
});

Deno.test("JobStatistics.allocatedNodes() counts distinct hosts of running jobs per subcluster", async () => {
  await withStats((s) => {
    assert.deepEqual(s.allocatedNodes("fritz"), [{ name: "main", count: 2 }]);
    assert.deepEqual(s.allocatedNodes("alex"), []);
  });
});

Deno.test("grouped statistics run on the covering stats indexes", async () => {
  await withStats((_s, db) => {
    const seen: string[] = [];
    const spy = new Proxy(db, {
      get(target, prop) {
        if (prop === "prepare") return (sql: string) => (seen.push(sql), target.prepare(sql));
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const stats = new JobStatistics(spy, { now: () => NOW });
    const plan = (run: () => void) => {
      seen.length = 0;
      run();
      const sql = seen[0];
      const named = Object.fromEntries([...sql.matchAll(/:([a-z]+)/g)].map(([, n]) => [n, 1n]));
      const anonymous = new Array((sql.match(/\?/g) ?? []).length).fill("x");
      return db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(named, ...anonymous).map((r) =>
        String(r.detail)
      ).join("; ");
    };
    const fields = new Set<StatField>([
      "totalJobs",
      "totalWalltime",
      "totalCoreHours",
      "totalAccHours",
      "shortJobs",
    ]);
    const byUser = plan(() =>
      stats.grouped({ filters: [{ cluster: { eq: "fritz" } }], visibility: null }, "USER", fields)
    );
    assert.match(byUser, /USING COVERING INDEX jobs_cluster_user_starttime_stats/);
    assert.doesNotMatch(byUser, /TEMP B-TREE/, "groups come in index order");
    const running = plan(() =>
      stats.grouped(
        { filters: [{ cluster: { eq: "fritz" } }, { state: ["running"] }], visibility: null },
        "PROJECT",
        fields,
      )
    );
    assert.match(running, /USING COVERING INDEX jobs_cluster_jobstate_project_stats/);
    const hist = plan(() =>
      stats.durationHistogram({ filters: [{ cluster: { eq: "fritz" } }], visibility: null }, {
        binSeconds: 60,
        bins: 60,
      })
    );
    assert.match(hist, /COVERING INDEX/);
  });
});

Deno.test("grouping all jobs scans the covering index per cluster and merges to the same result", async () => {
  await withStats((s) => {
    for (const groupBy of ["USER", "PROJECT"] as const) {
      const fields = new Set(STAT_FIELDS.filter((f) => groupBy === "USER" || f !== "totalUsers"));
      const merged = s.grouped({ visibility: null }, groupBy, fields);
      // A condition that holds for every job takes the plain path.
      const plain = s.grouped(
        { filters: [{ cluster: { neq: "" } }], visibility: null },
        groupBy,
        fields,
      );
      assert.deepEqual(merged, plain, groupBy);
    }
    const users = s.grouped({ visibility: null }, "USER", new Set(["totalUsers", "totalJobs"]));
    assert.deepEqual(users.map((u) => u.totalUsers), [1, 1, 1]);
  });
});
