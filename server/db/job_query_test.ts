import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import type { Job } from "../archive/types.ts";
import type { AuthUser } from "../auth/auth_user.ts";
import { jobVisibilityCondition } from "../auth/job_visibility.ts";
import { AppError } from "../errors.ts";
import { JobQuery, type JobQueryFilter } from "./job_query.ts";
import { JobRepository } from "./job_repository.ts";
import { TagRepository } from "./tag_repository.ts";
import { sampleJob, withTempDb } from "./test_db.ts";

const NOW = 1_700_100_000;

/** Eight jobs over users, projects, clusters and states; returns their db ids by jobId. */
function seed(db: DatabaseSync): Map<number, number> {
  const repo = new JobRepository(db);
  const jobs: Partial<Job>[] = [
    { jobId: 1, user: "alice", project: "p1", cluster: "fritz", startTime: 1000, numNodes: 1 },
    { jobId: 2, user: "alice", project: "p2", cluster: "alex", startTime: 2000, numNodes: 4 },
    { jobId: 3, user: "bob", project: "p1", cluster: "fritz", startTime: 3000, jobState: "failed" },
    {
      jobId: 4,
      user: "bob",
      project: "p_x",
      cluster: "emmy",
      startTime: 4000,
      jobState: "running",
      duration: 5,
    },
    { jobId: 5, user: "carol", project: "p%x", cluster: "fritz", startTime: 5000, energy: 7.5 },
    { jobId: 6, user: "carol", project: "p1", cluster: "alex", startTime: 5000, numAcc: 4 },
    {
      jobId: 7,
      user: "dave",
      project: "p3",
      cluster: "fritz",
      startTime: NOW - 3600,
      shared: "multi_user",
      arrayJobId: 99,
    },
    {
      jobId: 8,
      user: "Alice2",
      project: "p2",
      cluster: "fritz",
      startTime: NOW - 100,
      jobState: "timeout",
    },
  ];
  const ids = new Map<number, number>();
  for (const overrides of jobs) {
    const job = sampleJob(overrides);
    ids.set(job.jobId, repo.insertJob(job));
  }
  return ids;
}

function jobIds(jobs: Job[]): number[] {
  return jobs.map((j) => j.jobId);
}

function user(roles: string[], username = "alice", projects: string[] = []): AuthUser {
  return { username, roles, projects, authSource: 2, authType: "token" };
}

async function withSeeded(
  fn: (q: JobQuery, db: DatabaseSync, ids: Map<number, number>) => void | Promise<void>,
) {
  await withTempDb(async (db) => {
    const ids = seed(db);
    await fn(new JobQuery(db, { now: () => NOW }), db, ids);
  });
}

function listWith(q: JobQuery, filter: JobQueryFilter): number[] {
  return jobIds(q.list({ filters: [filter], visibility: null }));
}

Deno.test("JobQuery.list() orders by start time, newest first, ties by id", async () => {
  await withSeeded((q) => {
    assert.deepEqual(jobIds(q.list({ visibility: null })), [8, 7, 6, 5, 4, 3, 2, 1]);
    assert.deepEqual(
      jobIds(q.list({ visibility: null, order: { field: "numNodes", order: "ASC" } })).slice(0, 2),
      [1, 3],
    );
    assert.throws(
      () => q.list({ visibility: null, order: { field: "hpc_user; DROP TABLE job" } }),
      (e) => e instanceof AppError && e.status === 400 && /unknown job field/.test(e.message),
    );
    assert.throws(
      () => q.list({ visibility: null, order: { field: "jobId", order: "UP" as "ASC" } }),
      /invalid order "UP"/,
    );
  });
});

/** The SQL `fn` prepares through a JobQuery on `db`. */
function preparedSql(db: DatabaseSync, fn: (q: JobQuery) => void): string[] {
  const seen: string[] = [];
  const spy = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") {
        return (sql: string) => {
          seen.push(sql);
          return target.prepare(sql);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  fn(new JobQuery(spy, { now: () => NOW }));
  return seen;
}

Deno.test("JobQuery.list() orders through the indexes", async (t) => {
  await withSeeded(async (_q, db) => {
    const plan = (fn: (q: JobQuery) => void) => {
      const [sql] = preparedSql(db, fn);
      const params = new Array((sql.match(/\?/g) ?? []).length).fill(1);
      const detail = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params)
        .map((r) => String(r.detail)).join("; ");
      // Paged lists pick the page's ids in a subquery, then read and sort only those rows.
      assert.match(detail, /^SEARCH job USING INTEGER PRIMARY KEY \(rowid=\?\); LIST SUBQUERY 1; /);
      assert.match(detail, /; USE TEMP B-TREE FOR ORDER BY$/);
      return detail.split("LIST SUBQUERY 1; ")[1].replace(/; USE TEMP B-TREE FOR ORDER BY$/, "");
    };
    const page = { itemsPerPage: 25, page: 2 };
    await t.step("default order: the start_time index, no sort", () => {
      const detail = plan((q) => q.list({ visibility: null, page }));
      assert.match(detail, /COVERING INDEX jobs_starttime/);
      assert.doesNotMatch(detail, /TEMP B-TREE/);
    });
    await t.step("a cluster filter: its start-time index, sorting only ties", () => {
      const detail = plan((q) =>
        q.list({ filters: [{ cluster: { eq: "x" } }], visibility: null, page })
      );
      assert.match(detail, /jobs_cluster_starttime_duration/);
      assert.doesNotMatch(detail, /TEMP B-TREE FOR ORDER BY/);
    });
    await t.step("a duration range: walked in start-time order, checked in the index", () => {
      const filters = [
        { cluster: { eq: "x" } },
        { state: ["completed" as const] },
        { duration: { from: 3600, to: 0 } },
      ];
      const detail = plan((q) => q.list({ filters, visibility: null, page }));
      assert.match(detail, /COVERING INDEX jobs_cluster_jobstate_starttime_duration/);
      assert.doesNotMatch(detail, /TEMP B-TREE FOR ORDER BY/);
    });
    await t.step("a user's visibility: the user's start-time index", () => {
      const visibility = jobVisibilityCondition(user(["user"]));
      const detail = plan((q) => q.list({ visibility, page }));
      assert.match(detail, /jobs_user_starttime_duration/);
      assert.doesNotMatch(detail, /TEMP B-TREE FOR ORDER BY/);
    });
  });
});

Deno.test("JobQuery filters", async (t) => {
  await withSeeded(async (q, _db, ids) => {
    const cases: [string, JobQueryFilter, number[]][] = [
      ["state, one value", { state: ["failed"] }, [3]],
      ["state, several", { state: ["running", "timeout"] }, [8, 4]],
      ["state, empty list matches nothing", { state: [] }, []],
      ["cluster eq", { cluster: { eq: "alex" } }, [6, 2]],
      ["project eq", { project: { eq: "p1" } }, [6, 3, 1]],
      ["project eq with LIKE characters is literal", { project: { eq: "p%x" } }, [5]],
      ["user neq", { user: { neq: "alice" } }, [8, 7, 6, 5, 4, 3]],
      ["user startsWith is case-insensitive", { user: { startsWith: "ali" } }, [8, 2, 1]],
      ["user endsWith", { user: { endsWith: "ol" } }, [6, 5]],
      ["user contains", { user: { contains: "ar" } }, [6, 5]],
      ["user in", { user: { in: ["bob", "dave"] } }, [7, 4, 3]],
      ["user in, empty list", { user: { in: [] } }, []],
      ["eq wins over the other operators", { user: { eq: "bob", contains: "a" } }, [4, 3]],
      ["contains: % is literal", { project: { contains: "%" } }, [5]],
      ["contains: _ is literal", { project: { contains: "_" } }, [4]],
      ["SQL in a value is just a value", { cluster: { eq: "fritz' OR '1'='1" } }, []],
      ["SQL in contains", { project: { contains: "'; DROP TABLE job; --" } }, []],
      ["start time between (inclusive)", { startTime: { from: 2000, to: 4000 } }, [4, 3, 2]],
      ["start time from", { startTime: { from: 5000 } }, [8, 7, 6, 5]],
      ["start time to", { startTime: { to: 2000 } }, [2, 1]],
      ["start time beyond 2^53", { startTime: { from: 2n ** 60n, to: 2n ** 62n } }, []],
      ["start time last6h (injected clock)", { startTime: { range: "last6h" } }, [8, 7]],
      ["unknown range adds nothing", { startTime: { range: "lastyear" } }, [
        8,
        7,
        6,
        5,
        4,
        3,
        2,
        1,
      ]],
      ["numNodes from-to", { numNodes: { from: 2, to: 4 } }, [8, 7, 6, 5, 4, 3, 2]],
      ["numNodes to only", { numNodes: { from: 0, to: 1 } }, [1]],
      ["numAccelerators from only", { numAccelerators: { from: 1, to: 0 } }, [6]],
      ["range of zeros is open", { duration: { from: 0, to: 0 } }, [8, 7, 6, 5, 4, 3, 2, 1]],
      ["energy", { energy: { from: 5, to: 10 } }, [5]],
      ["arrayJobId", { arrayJobId: 99 }, [7]],
      ["shared", { shared: "multi_user" }, [7]],
      ["jobId eq on the integer column", { jobId: { eq: "3" } }, [3]],
      ["dbId", { dbId: [ids.get(2)!, ids.get(5)!] }, [5, 2]],
      ["dbId, empty list", { dbId: [] }, []],
      [
        "several fields are AND-ed",
        { cluster: { eq: "fritz" }, project: { eq: "p1" }, state: ["completed"] },
        [1],
      ],
    ];
    for (const [name, filter, expected] of cases) {
      await t.step(name, () => {
        assert.deepEqual(listWith(q, filter), expected);
        assert.equal(q.count({ filters: [filter], visibility: null }), expected.length);
      });
    }
    await t.step("a list of filters is AND-ed", () => {
      const filters = [{ cluster: { eq: "fritz" } }, { user: { eq: "carol" } }];
      assert.deepEqual(jobIds(q.list({ filters, visibility: null })), [5]);
    });
    await t.step("an invalid state is a 400", () => {
      assert.throws(
        () => listWith(q, { state: ["stopped" as "failed"] }),
        (e) =>
          e instanceof AppError && e.status === 400 &&
          /invalid job state "stopped"/.test(e.message),
      );
    });
    await t.step("the table survives SQL in values", () => {
      assert.equal(q.count({ visibility: null }), 8);
    });
  });
  await t.step("tags: jobs with any of the tags", async () => {
    await withSeeded((q, db, ids) => {
      const tags = new TagRepository(db);
      const a = tags.getOrCreateTag({ type: "app", name: "gromacs" });
      const b = tags.getOrCreateTag({ type: "app", name: "vasp" });
      tags.addTagToJob(ids.get(1)!, a.id);
      tags.addTagToJob(ids.get(1)!, b.id);
      tags.addTagToJob(ids.get(3)!, b.id);
      assert.deepEqual(listWith(q, { tags: [a.id, b.id] }), [3, 1]);
      assert.deepEqual(listWith(q, { tags: [a.id] }), [1]);
      assert.deepEqual(listWith(q, { tags: [] }), []);
      assert.equal(q.count({ filters: [{ tags: [a.id, b.id] }], visibility: null }), 2);
    });
  });
});

Deno.test("JobQuery applies the visibility condition", async () => {
  await withSeeded((q) => {
    const as = (u: AuthUser) => jobIds(q.list({ visibility: jobVisibilityCondition(u) }));
    assert.deepEqual(as(user(["user"], "alice")), [2, 1]);
    assert.deepEqual(as(user(["manager"], "bob", ["p1"])), [6, 4, 3, 1]);
    assert.deepEqual(as(user(["manager"], "bob")), [4, 3]);
    assert.deepEqual(as(user(["api"])), [8, 7, 6, 5, 4, 3, 2, 1]);
    assert.deepEqual(as(user(["support"])).length, 8);
    const alice = jobVisibilityCondition(user(["user"], "alice"));
    assert.equal(q.count({ visibility: alice }), 2);
    assert.equal(q.count({ filters: [{ cluster: { eq: "alex" } }], visibility: alice }), 1);
  });
});

Deno.test("JobQuery pages with LIMIT/OFFSET", async () => {
  await withSeeded((q) => {
    const page = (itemsPerPage: number | bigint, p: number | bigint) =>
      jobIds(q.list({ visibility: null, page: { itemsPerPage, page: p } }));
    assert.deepEqual(page(3, 1), [8, 7, 6]);
    assert.deepEqual(page(3, 2), [5, 4, 3]);
    assert.deepEqual(page(3, 3), [2, 1]);
    assert.deepEqual(page(3, 4), []);
    assert.deepEqual(page(3, 0), [8, 7, 6], "a page below 1 is the first");
    assert.deepEqual(page(-1, 5).length, 8, "-1 items per page: every row");
    assert.deepEqual(page(2n ** 62n, 2n ** 62n), [], "offsets beyond int64 are clamped");
    assert.throws(() => page(0, 1), /invalid items-per-page value: 0/);
    assert.throws(() => page(1.5, 1), /items per page 1.5 is not an integer/);
    assert.equal(q.count({ visibility: null }), 8);
  });
});

Deno.test("JobQuery.findById() applies visibility and refreshes running durations", async () => {
  await withSeeded((q, _db, ids) => {
    const running = q.findById(ids.get(4)!, { visibility: null })!;
    assert.equal(running.duration, NOW - 4000);
    assert.equal(
      q.list({ filters: [{ state: ["running"] }], visibility: null })[0].duration,
      NOW - 4000,
    );
    assert.equal(q.findById(ids.get(3)!, { visibility: null })!.duration, 3600);
    const alice = jobVisibilityCondition(user(["user"], "alice"));
    assert.equal(q.findById(ids.get(3)!, { visibility: alice }), null);
    assert.equal(q.findById(ids.get(1)!, { visibility: alice })!.jobId, 1);
    assert.equal(q.findById(2n ** 63n - 1n, { visibility: null }), null);
    assert.equal(q.findById(-1, { visibility: null }), null);
  });
});
