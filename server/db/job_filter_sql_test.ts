import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import type { Job } from "../archive/types.ts";
import { JobQuery, type JobQueryFilter } from "./job_query.ts";
import { JobRepository } from "./job_repository.ts";
import { sampleJob, withTempDb } from "./test_db.ts";

const NOW = 1_700_100_000;
const KEYS = new Set(["flops_any_avg", "mem_bw_avg"]);

function seed(db: DatabaseSync): void {
  const jobs: Partial<Job>[] = [
    {
      jobId: 1,
      startTime: 1000,
      metaData: { jobName: "interactive" },
      footprint: { flops_any_avg: 5 },
      resources: [{ hostname: "f0101" }],
    },
    {
      jobId: 2,
      startTime: 2000,
      metaData: { jobName: "sim_100%" },
      footprint: { flops_any_avg: 50 },
      resources: [{ hostname: "f0102" }, { hostname: "f0103" }],
    },
    {
      jobId: 3,
      startTime: 3000,
      metaData: null,
      footprint: null,
      resources: [{ hostname: "f_103" }],
    },
    {
      jobId: 4,
      startTime: 4000,
      metaData: { jobName: "train" },
      footprint: { flops_any_avg: 20, mem_bw_avg: 1 },
      resources: [{ hostname: "a0601" }],
    },
  ];
  new JobRepository(db).insertJobs(jobs.map((j) => sampleJob(j)));
}

async function withQuery(
  fn: (q: JobQuery, db: DatabaseSync) => void | Promise<void>,
): Promise<void> {
  await withTempDb(async (db) => {
    seed(db);
    await fn(new JobQuery(db, { now: () => NOW, footprintKeys: KEYS }), db);
  });
}

function ids(q: JobQuery, filter: JobQueryFilter): number[] {
  return q.list({ filters: [filter], visibility: null }).map((j) => j.jobId);
}

Deno.test("JobQuery filters on job name, schedule, nodes and footprint values", async (t) => {
  await withQuery(async (q) => {
    const cases: [string, JobQueryFilter, number[]][] = [
      ["jobName contains, % literal", { jobName: { contains: "100%" } }, [2]],
      ["jobName in", { jobName: { in: ["train", "interactive"] } }, [4, 1]],
      ["jobName neq leaves out jobs without a name", { jobName: { neq: "train" } }, [2, 1]],
      ["schedule interactive", { schedule: "interactive" }, [1]],
      ["schedule batch", { schedule: "batch" }, [4, 2]],
      ["schedule of another value adds nothing", { schedule: "later" }, [4, 3, 2, 1]],
      ["node eq", { node: { eq: "f0103" } }, [2]],
      ["node startsWith", { node: { startsWith: "f01" } }, [2, 1]],
      ["node contains, _ literal", { node: { contains: "_" } }, [3]],
      ["node in", { node: { in: ["a0601", "f0101"] } }, [4, 1]],
      ["metricStats between", {
        metricStats: [{ metricName: "flops_any_avg", range: { from: 10, to: 50 } }],
      }, [4, 2]],
      ["metricStats open range: jobs having the value", {
        metricStats: [{ metricName: "mem_bw_avg", range: { from: 0, to: 0 } }],
      }, [4]],
      ["metricStats items are AND-ed", {
        metricStats: [
          { metricName: "flops_any_avg", range: { from: 1, to: 0 } },
          { metricName: "mem_bw_avg", range: { from: 0, to: 5 } },
        ],
      }, [4]],
    ];
    for (const [name, filter, expected] of cases) {
      await t.step(name, () => {
        assert.deepEqual(ids(q, filter), expected);
        assert.equal(q.count({ filters: [filter], visibility: null }), expected.length);
      });
    }
    await t.step("unknown footprint keys are a 400, never SQL", () => {
      assert.throws(
        () => ids(q, { metricStats: [{ metricName: "x') OR 1=1 --", range: { from: 1, to: 2 } }] }),
        /unknown footprint metric "x'\) OR 1=1 --" \(known: flops_any_avg, mem_bw_avg\)/,
      );
    });
    await t.step("NaN in a range is a 400", () => {
      assert.throws(() => ids(q, { duration: { from: NaN, to: 5 } }), /"from" is not a number/);
    });
  });
});

Deno.test("JobQuery sorts by footprint values, jobs without the value last", async () => {
  await withQuery((q) => {
    const sorted = (order: "ASC" | "DESC") =>
      q.list({ visibility: null, order: { field: "flops_any_avg", type: "foot", order } }).map((
        j,
      ) => j.jobId);
    assert.deepEqual(sorted("DESC"), [2, 4, 1, 3]);
    assert.deepEqual(sorted("ASC"), [1, 4, 2, 3]);
    assert.throws(
      () => q.list({ visibility: null, order: { field: "cpu_load_avg", type: "foot" } }),
      /cannot sort jobs: unknown footprint metric "cpu_load_avg"/,
    );
  });
});

Deno.test("JobQuery.listPage() reads one row ahead for hasNextPage", async () => {
  await withQuery((q) => {
    const page = (n: number) =>
      q.listPage({ visibility: null, page: { itemsPerPage: 3, page: n } });
    assert.deepEqual(page(1).items.map((j) => j.jobId), [4, 3, 2]);
    assert.equal(page(1).hasNextPage, true);
    assert.deepEqual(page(2).items.map((j) => j.jobId), [1]);
    assert.equal(page(2).hasNextPage, false);
    const all = q.listPage({ visibility: null, page: { itemsPerPage: -1, page: 1 } });
    assert.equal(all.items.length, 4);
    assert.equal(all.hasNextPage, false);
  });
});
