import assert from "node:assert/strict";
import { encodeJobData } from "../../archive/json_codec.ts";
import type { Job, JobData, JobMetric } from "../../archive/types.ts";
import { JobRepository, TagRepository, UserRepository } from "../../db/mod.ts";
import { createTestSite, type TestSite } from "./test_app.ts";

const NOW = 1_700_000_000;

/** Key order of a job object in cc-backend's answers (tags only when non-empty). */
const JOB_KEYS = [
  "cluster",
  "subCluster",
  "partition",
  "project",
  "user",
  "shared",
  "jobState",
  "resources",
  "energyFootprint",
  "footprint",
  "metaData",
  "concurrentJobs",
  "energy",
  "arrayJobId",
  "walltime",
  "jobId",
  "duration",
  "smt",
  "monitoringStatus",
  "numAcc",
  "numHwthreads",
  "numNodes",
  "statistics",
  "id",
  "startTime",
];

const EMMY_A = { cluster: "emmy", jobId: 1403244, startTime: 1608923076 };
const EMMY_B = { cluster: "emmy", jobId: 1404397, startTime: 1609300556 };

function job(overrides: Partial<Job>): Job {
  return {
    jobId: 1,
    user: "alice",
    project: "p1",
    cluster: "fritz",
    subCluster: "main",
    partition: "work",
    arrayJobId: 0,
    numNodes: 2,
    numHwthreads: 144,
    numAcc: 0,
    shared: "none",
    monitoringStatus: 2,
    smt: 1,
    jobState: "completed",
    startTime: 1_600_000_000,
    duration: 600,
    walltime: 3600,
    resources: [{ hostname: "f0101" }, { hostname: "f0102" }],
    footprint: { flops_any_avg: 1.5 },
    energyFootprint: { cpu_power: 0.5 },
    energy: 0.5,
    submitTime: 1_599_999_000,
    ...overrides,
  };
}

function metric(series: { host: string; id?: string; data: number[] }[]): JobMetric {
  return {
    unit: { base: "F/s", prefix: "G" },
    timestep: 60,
    series: series.map((s) => {
      const valid = s.data.filter((x) => !Number.isNaN(x));
      return {
        hostname: s.host,
        ...(s.id === undefined ? {} : { id: s.id }),
        statistics: {
          min: Math.min(...valid),
          avg: valid.reduce((a, b) => a + b, 0) / valid.length,
          max: Math.max(...valid),
        },
        data: s.data,
      };
    }),
  };
}

/** Data of the one-node job: cpu_load at node, flops_any at node and core, mem_bw at socket. */
const SINGLE_NODE_DATA: JobData = {
  cpu_load: { node: metric([{ host: "f0201", data: [1, 2, 3] }]) },
  flops_any: {
    node: metric([{ host: "f0201", data: [3, 3, 3] }]),
    core: metric([{ host: "f0201", id: "0", data: [1, 1, 1] }, {
      host: "f0201",
      id: "1",
      data: [2, 2, 2],
    }]),
  },
  mem_bw: { socket: metric([{ host: "f0201", id: "0", data: [5, 6, 7] }]) },
};

/** Data of the two-node job: flops_any only per core, mem_bw per socket, cpu_load per node. */
const TWO_NODE_DATA: JobData = {
  cpu_load: { node: metric([{ host: "f0301", data: [1, 1] }, { host: "f0302", data: [2, 2] }]) },
  flops_any: {
    core: metric([
      { host: "f0301", id: "0", data: [1, 2] },
      { host: "f0301", id: "1", data: [3, NaN] },
      { host: "f0302", id: "0", data: [5, 6] },
    ]),
  },
  mem_bw: {
    socket: metric([{ host: "f0301", id: "0", data: [10, 20] }, {
      host: "f0302",
      id: "0",
      data: [30, 40],
    }]),
  },
};

interface Fixture {
  site: TestSite;
  /** Database ids by name. */
  ids: Record<string, number>;
}

/**
 * A site with: two archived emmy jobs (monitoring status 3), a running fritz
 * job of alice, a failed job of carol without archive data, an alex job of
 * bob, and two fritz jobs whose archive data this test writes.
 */
async function fixture(options: { validateUser?: boolean } = {}): Promise<Fixture> {
  const site = await createTestSite({
    now: () => NOW,
    document: options.validateUser
      ? { auth: { jwts: { "max-age": "1h", "validate-user": true } } }
      : undefined,
  });
  const repo = new JobRepository(site.db);
  const ids: Record<string, number> = {};
  for (const [name, key] of [["emmyA", EMMY_A], ["emmyB", EMMY_B]] as const) {
    const meta = await site.archive.loadJobMeta(key);
    ids[name] = repo.insertJob({ ...meta, monitoringStatus: 3, metaData: { jobName: name } });
  }
  ids.running = repo.insertJob(job({
    jobId: 100,
    jobState: "running",
    monitoringStatus: 1,
    arrayJobId: 7,
    numAcc: 2,
    startTime: NOW - 600,
    duration: 0,
    metaData: { jobName: "sim <1> & co" },
  }));
  ids.failed = repo.insertJob(job({
    jobId: 101,
    user: "carol",
    project: "p2",
    jobState: "failed",
    monitoringStatus: 0,
    startTime: 1_650_000_000,
  }));
  ids.alex = repo.insertJob(job({
    jobId: 102,
    user: "bob",
    project: "p1",
    cluster: "alex",
    subCluster: "a40",
    startTime: 1_640_000_000,
    resources: [{ hostname: "a0121" }],
  }));
  const single = job({
    jobId: 103,
    numNodes: 1,
    monitoringStatus: 3,
    startTime: 1_630_000_000,
    resources: [{ hostname: "f0201" }],
  });
  ids.single = repo.insertJob(single);
  await site.archive.writeJob({ ...single, id: ids.single }, SINGLE_NODE_DATA);
  const two = job({
    jobId: 104,
    user: "bob",
    monitoringStatus: 3,
    startTime: 1_620_000_000,
    resources: [{ hostname: "f0301" }, { hostname: "f0302" }],
  });
  ids.two = repo.insertJob(two);
  await site.archive.writeJob({ ...two, id: ids.two }, TWO_NODE_DATA);
  return { site, ids };
}

async function withFixture(
  fn: (f: Fixture) => Promise<void>,
  options: { validateUser?: boolean } = {},
): Promise<void> {
  const f = await fixture(options);
  try {
    await fn(f);
  } finally {
    await f.site.close();
  }
}

type JsonJob = Record<string, unknown>;

async function list(site: TestSite, query: string, roles?: string[], username?: string) {
  const path = query.startsWith("/") ? query : `/api/jobs/${query}`;
  const res = await site.call("GET", path, { roles, username });
  assert.equal(res.status, 200, await res.clone().text());
  return await res.json() as { jobs: JsonJob[]; items: number; page: number };
}

async function expectError(res: Response, status: number, error: string): Promise<void> {
  assert.equal(res.status, status);
  assert.equal(res.headers.get("Content-Type"), "application/json");
  const text = await res.text();
  assert.ok(text.endsWith("}\n"), "a trailing newline");
  const body = JSON.parse(text);
  assert.deepEqual(Object.keys(body), ["status", "error"]);
  assert.deepEqual(body, { status: STATUS_TEXT[status], error });
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  422: "Unprocessable Entity",
  500: "Internal Server Error",
};

/** The archive's data of a job as its JSON would parse. */
async function archivedData(site: TestSite, key: typeof EMMY_A): Promise<Record<string, unknown>> {
  return JSON.parse(encodeJobData(await site.archive.loadJobData(key)));
}

Deno.test("GET /api/jobs/ lists jobs newest first with filters and paging", async (t) => {
  await withFixture(async ({ site, ids }) => {
    await t.step("default: every job, start time descending, 25 per page", async () => {
      const body = await list(site, "");
      assert.deepEqual(body.jobs.map((j) => j.id), [
        ids.running,
        ids.failed,
        ids.alex,
        ids.single,
        ids.two,
        ids.emmyB,
        ids.emmyA,
      ]);
      assert.equal(body.items, 25);
      assert.equal(body.page, 1);
    });
    await t.step("job objects have the reference key order and values", async () => {
      const [running] = (await list(site, "?state=running")).jobs;
      assert.deepEqual(Object.keys(running), JOB_KEYS);
      assert.equal(running.duration, 600, "a running job reports now - startTime");
      assert.equal(running.metaData, null, "no metaData without with-metadata");
      assert.equal(running.energyFootprint, null);
      assert.deepEqual(running.footprint, { flops_any_avg: 1.5 });
      assert.deepEqual(running.concurrentJobs, { items: null, count: 0 });
      assert.equal(running.statistics, null);
      assert.equal("submitTime" in running, false);
    });
    await t.step("archived jobs carry the statistics of their meta.json", async () => {
      const jobs = (await list(site, "?cluster=emmy")).jobs;
      const meta = await site.archive.loadJobMeta(EMMY_A);
      assert.deepEqual(jobs[1].statistics, meta.statistics);
      assert.equal(jobs[1].id, ids.emmyA);
      assert.equal((jobs[0].statistics as Record<string, unknown>).flops_any !== undefined, true);
    });
    const cases: [string, string, number[]][] = [
      ["cluster", "?cluster=alex", [ids.alex]],
      ["first cluster value only", "?cluster=alex&cluster=emmy", [ids.alex]],
      ["project", "?project=p2", [ids.failed]],
      ["project with a space", "?project=no+project", [ids.emmyB, ids.emmyA]],
      ["one state", "?state=failed", [ids.failed]],
      ["repeated state", "?state=failed&state=running", [ids.running, ids.failed]],
      ["start-time range, inclusive", "?start-time=1608923076-1630000000", [
        ids.single,
        ids.two,
        ids.emmyB,
        ids.emmyA,
      ]],
      ["start-time and cluster", "?start-time=1609000000-1700000000&cluster=emmy", [ids.emmyB]],
      ["SQL in cluster", "?cluster=emmy'%20OR%20'1'='1", []],
      ["SQL in project", "?project=%25'%3B%20DROP%20TABLE%20job%3B--", []],
      ["LIKE wildcards are literal", "?project=p%25", []],
    ];
    for (const [name, query, expected] of cases) {
      await t.step(`filter: ${name}`, async () => {
        assert.deepEqual((await list(site, query)).jobs.map((j) => j.id), expected);
      });
    }
    await t.step("paging echoes items-per-page and page", async () => {
      const body = await list(site, "?items-per-page=2&page=2");
      assert.deepEqual(body.jobs.map((j) => j.id), [ids.alex, ids.single]);
      assert.equal(body.items, 2);
      assert.equal(body.page, 2);
      const last = await list(site, "?items-per-page=2&page=4");
      assert.deepEqual(last.jobs.map((j) => j.id), [ids.emmyA]);
      const beyond = await list(site, "?items-per-page=2&page=9");
      assert.deepEqual(beyond, { jobs: [], items: 2, page: 9 });
    });
    await t.step("huge page numbers are echoed exactly", async () => {
      const res = await site.call("GET", "/api/jobs/?page=9223372036854775807&items-per-page=7");
      assert.equal(await res.text(), '{"jobs":[],"items":7,"page":9223372036854775807}\n');
    });
    await t.step("with-metadata counts by presence, even =false", async () => {
      for (const query of ["?with-metadata", "?with-metadata=false"]) {
        const [running] = (await list(site, `${query}&state=running`)).jobs;
        assert.deepEqual(running.metaData, { jobName: "sim <1> & co" });
      }
      const res = await site.call("GET", "/api/jobs/?with-metadata&state=running");
      assert.match(await res.text(), /"sim \\u003c1\\u003e \\u0026 co"/, "Go's HTML escaping");
    });
    await t.step("the database is intact after the SQL attempts", async () => {
      assert.equal((await list(site, "")).jobs.length, 7);
    });
  });
});

Deno.test("GET /api/jobs/ rejects bad query parameters with cc-backend's messages", async (t) => {
  await withFixture(async ({ site }) => {
    const cases: [string, string][] = [
      ["?foo=1", "invalid query parameter: foo"],
      ["?cluster=emmy&limit=5", "invalid query parameter: limit"],
      ["?startTime=1-2", "invalid query parameter: startTime"],
      ["?page=abc", 'strconv.Atoi: parsing "abc": invalid syntax'],
      ["?page=", 'strconv.Atoi: parsing "": invalid syntax'],
      ["?page=1.5", 'strconv.Atoi: parsing "1.5": invalid syntax'],
      [
        "?page=99999999999999999999",
        'strconv.Atoi: parsing "99999999999999999999": value out of range',
      ],
      ["?page=0", "page must be >= 1"],
      ["?page=-3", "page must be >= 1"],
      ["?items-per-page=x", 'strconv.Atoi: parsing "x": invalid syntax'],
      ["?items-per-page=0", "items-per-page must be >= 1"],
      ["?state=stopped", "invalid query parameter value: state"],
      ["?state=running&state=bogus", "invalid query parameter value: state"],
      ["?state=", "invalid query parameter value: state"],
      ["?start-time=1-2-3", "invalid query parameter value: startTime"],
      ["?start-time=123", "invalid query parameter value: startTime"],
      ["?start-time=-5-10", "invalid query parameter value: startTime"],
      ["?start-time=a-b", 'strconv.ParseInt: parsing "a": invalid syntax'],
      ["?start-time=5-", 'strconv.ParseInt: parsing "": invalid syntax'],
      [
        "?start-time=1-9223372036854775808",
        'strconv.ParseInt: parsing "9223372036854775808": value out of range',
      ],
      ["?page=%3Cb%3E", 'strconv.Atoi: parsing "<b>": invalid syntax'],
    ];
    for (const [query, message] of cases) {
      await t.step(`${query} → 400 ${message}`, async () => {
        await expectError(await site.call("GET", `/api/jobs/${query}`), 400, message);
      });
    }
    await t.step("error bodies escape <, > and & as Go does", async () => {
      const res = await site.call("GET", "/api/jobs/?page=%3Cb%3E");
      assert.match(await res.text(), /parsing \\"\\u003cb\\u003e\\"/);
    });
  });
});

Deno.test("job visibility per role on /api and /userapi", async (t) => {
  await withFixture(async ({ site, ids }) => {
    const all = 7;
    await t.step("api-only sees every job", async () => {
      assert.equal((await list(site, "", ["api"])).jobs.length, all);
    });
    await t.step("admin+api sees every job", async () => {
      assert.equal((await list(site, "", ["admin", "api"])).jobs.length, all);
    });
    await t.step("user+api is refused on /api", async () => {
      const res = await site.call("GET", "/api/jobs/", { roles: ["user", "api"] });
      assert.equal(res.status, 401);
    });
    await t.step("api+user on /userapi sees own jobs only", async () => {
      const body = await list(site, "/userapi/jobs/", ["api", "user"], "alice");
      assert.deepEqual(body.jobs.map((j) => j.id), [ids.running, ids.single]);
    });
    await t.step("api+user on /userapi with a filter", async () => {
      const body = await list(site, "/userapi/jobs/?state=completed", ["api", "user"], "alice");
      assert.deepEqual(body.jobs.map((j) => j.id), [ids.single]);
    });
    await t.step("api+support and api+admin on /userapi see all", async () => {
      assert.equal((await list(site, "/userapi/jobs/", ["api", "support"])).jobs.length, all);
      assert.equal((await list(site, "/userapi/jobs/", ["api", "admin"])).jobs.length, all);
    });
    await t.step("api alone on /userapi sees all", async () => {
      assert.equal((await list(site, "/userapi/jobs/", ["api"])).jobs.length, all);
    });
    await t.step("a manager without projects (token roles) sees own jobs", async () => {
      const body = await list(site, "/userapi/jobs/", ["api", "manager"], "bob");
      assert.deepEqual(body.jobs.map((j) => j.id), [ids.alex, ids.two]);
    });
    await t.step("user alone is refused on /userapi", async () => {
      const res = await site.call("GET", "/userapi/jobs/", { roles: ["user"] });
      assert.equal(res.status, 401);
    });
    await t.step("GET and POST of another user's job are 422 on /userapi", async () => {
      for (const method of ["GET", "POST"]) {
        const res = await site.call(method, `/userapi/jobs/${ids.failed}`, {
          roles: ["api", "user"],
          username: "alice",
          body: method === "POST" ? [] : undefined,
        });
        await expectError(
          res,
          422,
          `finding job with db id ${ids.failed} failed: sql: no rows in result set`,
        );
      }
    });
    await t.step("metrics of another user's job: no rows on /userapi", async () => {
      const res = await site.call("GET", `/userapi/jobs/metrics/${ids.two}`, {
        roles: ["api", "user"],
        username: "alice",
      });
      assert.deepEqual(await res.json(), {
        data: null,
        error: { message: "sql: no rows in result set" },
      });
    });
    await t.step("own job on /userapi with data", async () => {
      const res = await site.call("GET", `/userapi/jobs/metrics/${ids.single}?metric=cpu_load`, {
        roles: ["api", "user"],
        username: "alice",
      });
      const body = await res.json();
      assert.equal(body.error, null);
      assert.deepEqual(body.data.jobMetrics.map((m: JsonJob) => [m.name, m.scope]), [
        ["cpu_load", "node"],
      ]);
    });
  });
});

Deno.test("a manager sees the jobs of managed projects (validate-user)", async () => {
  await withFixture(async ({ site, ids }) => {
    const users = new UserRepository(site.db);
    await users.addUser({
      username: "mgr",
      roles: ["api", "manager"],
      projects: ["p1"],
      authSource: 2,
    });
    await users.addUser({ username: "carol", roles: ["api", "user"], authSource: 2 });
    const mgr = await list(site, "/userapi/jobs/", ["ignored"], "mgr");
    assert.deepEqual(mgr.jobs.map((j) => j.id), [ids.running, ids.alex, ids.single, ids.two]);
    const single = await site.call("GET", `/userapi/jobs/${ids.alex}`, { username: "mgr" });
    assert.equal(single.status, 200);
    const metrics = await site.call("GET", `/userapi/jobs/metrics/${ids.two}`, { username: "mgr" });
    assert.equal((await metrics.json()).error, null, "managers pass the owner check");
    const carol = await list(site, "/userapi/jobs/", [], "carol");
    assert.deepEqual(carol.jobs.map((j) => j.id), [ids.failed]);
  }, { validateUser: true });
});

Deno.test("tags are filtered by read scope", async (t) => {
  await withFixture(async ({ site, ids }) => {
    const tags = new TagRepository(site.db);
    for (
      const [name, scope] of [["g", "global"], ["a", "admin"], ["mine", "alice"], ["his", "bob"]]
    ) {
      tags.addTagToJob(ids.running, tags.getOrCreateTag({ type: "t", name, scope }).id);
    }
    const names = async (path: string, roles: string[], username?: string) => {
      const body = await (await site.call("GET", path, { roles, username })).json();
      const shown = path.includes("/jobs/?") ? body.jobs[0] : body.Meta;
      return (shown.tags ?? []).map((tag: JsonJob) => tag.name);
    };
    await t.step("api-only: global", async () => {
      assert.deepEqual(await names("/api/jobs/?state=running", ["api"]), ["g"]);
    });
    await t.step("admin: global and admin", async () => {
      assert.deepEqual(await names("/api/jobs/?state=running", ["admin", "api"]), ["g", "a"]);
    });
    await t.step("the owner: global and own private tags", async () => {
      assert.deepEqual(
        await names(`/userapi/jobs/${ids.running}`, ["api", "user"], "alice"),
        ["g", "mine"],
      );
    });
    await t.step("support: global and admin", async () => {
      assert.deepEqual(
        await names("/userapi/jobs/?state=running", ["api", "support"], "sam"),
        ["g", "a"],
      );
    });
    await t.step("tag objects as cc-backend writes them", async () => {
      const body = await (await site.call("GET", "/api/jobs/?state=running")).json();
      assert.deepEqual(body.jobs[0].tags, [{ type: "t", name: "g", scope: "global", id: 1 }]);
    });
    await t.step("jobs without readable tags have no tags key", async () => {
      const body = await (await site.call("GET", "/api/jobs/?state=failed")).json();
      assert.equal("tags" in body.jobs[0], false);
    });
  });
});

Deno.test("GET /api/jobs/{id} answers Meta and Data", async (t) => {
  await withFixture(async ({ site, ids }) => {
    const admin = ["admin", "api"];
    await t.step("without all-metrics Data is null; tags and metaData attached", async () => {
      const res = await site.call("GET", `/api/jobs/${ids.emmyA}`, { roles: admin });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.deepEqual(Object.keys(body), ["Meta", "Data"]);
      assert.equal(body.Data, null);
      assert.deepEqual(body.Meta.metaData, { jobName: "emmyA" });
      assert.equal(body.Meta.statistics, null, "the single-job endpoints load no statistics");
      assert.equal(body.Meta.id, ids.emmyA);
      assert.equal(body.Meta.jobId, EMMY_A.jobId);
    });
    await t.step("all-metrics must be exactly true", async () => {
      const res = await site.call("GET", `/api/jobs/${ids.emmyA}?all-metrics=1`);
      assert.equal((await res.json()).Data, null);
    });
    await t.step("all-metrics=true: the archive's data with statistics series", async () => {
      const res = await site.call("GET", `/api/jobs/${ids.emmyA}?all-metrics=true`);
      assert.equal(res.status, 200);
      const { Data } = await res.json();
      const archived = await archivedData(site, EMMY_A);
      assert.deepEqual(Object.keys(Data).sort(), Object.keys(archived).sort());
      for (const [name, perScope] of Object.entries(archived)) {
        for (const [scope, jm] of Object.entries(perScope as Record<string, JsonJob>)) {
          const got = Data[name][scope];
          assert.deepEqual(got.series, jm.series, `${name}/${scope}`);
          assert.deepEqual(got.unit, jm.unit);
          assert.equal(got.timestep, jm.timestep);
          // 32 series ≥ 8: min/median/max per time step are added.
          assert.equal(got.statisticsSeries.mean, null);
          assert.equal(
            got.statisticsSeries.min.length,
            (jm.series as { data: unknown[] }[])[0].data.length,
          );
        }
      }
      const series = archived.cpu_load as { node: { series: { data: (number | null)[] }[] } };
      const column = series.node.series.map((s) => s.data[10]).filter((x) => x !== null);
      assert.equal(Data.cpu_load.node.statisticsSeries.min[10], Math.min(...column as number[]));
      assert.equal(Data.cpu_load.node.statisticsSeries.max[10], Math.max(...column as number[]));
    });
    await t.step("one node: core scope where a metric has several", async () => {
      const res = await site.call("GET", `/api/jobs/${ids.single}?all-metrics=true`);
      const { Data } = await res.json();
      assert.deepEqual(Object.keys(Data.flops_any), ["core"]);
      assert.deepEqual(Object.keys(Data.cpu_load), ["node"], "a single scope is kept");
      assert.deepEqual(Object.keys(Data.mem_bw), ["socket"]);
      assert.equal(Data.flops_any.core.statisticsSeries, undefined, "fewer than 8 series");
    });
    await t.step("a running job without a metric store: 500 with the reason", async () => {
      const res = await site.call("GET", `/api/jobs/${ids.running}?all-metrics=true`);
      await expectError(
        res,
        500,
        `cannot load metric data of job 100 (id ${ids.running}) on "fritz": the job is running ` +
          '(state "running", monitoring status 1) and no metric store is configured',
      );
      const plain = await site.call("GET", `/api/jobs/${ids.running}`);
      const body = await plain.json();
      assert.equal(body.Meta.duration, 600);
      assert.equal(body.Data, null);
    });
    await t.step("a finished job without archive data: 500, not an empty 200", async () => {
      const res = await site.call("GET", `/api/jobs/${ids.failed}?all-metrics=true`);
      assert.equal(res.status, 500);
      assert.match(
        (await res.json()).error,
        /^cannot load metric data of job 101 \(id \d+\) on "fritz" from the archive: .*no data\.json/,
      );
    });
    const idCases: [string, number, string][] = [
      [
        "abc",
        400,
        'integer expected in path for id: strconv.ParseInt: parsing "abc": invalid syntax',
      ],
      [
        "1.0",
        400,
        'integer expected in path for id: strconv.ParseInt: parsing "1.0": invalid syntax',
      ],
      [
        "99999999999999999999",
        400,
        'integer expected in path for id: strconv.ParseInt: parsing "99999999999999999999": value out of range',
      ],
      [
        "9223372036854775807",
        422,
        "finding job with db id 9223372036854775807 failed: sql: no rows in result set",
      ],
      ["-1", 422, "finding job with db id -1 failed: sql: no rows in result set"],
      ["4711", 422, "finding job with db id 4711 failed: sql: no rows in result set"],
    ];
    for (const [id, status, message] of idCases) {
      await t.step(`GET and POST /api/jobs/${id} → ${status}`, async () => {
        await expectError(await site.call("GET", `/api/jobs/${id}`), status, message);
        await expectError(
          await site.call("POST", `/api/jobs/${id}`, { body: [] }),
          status,
          message,
        );
      });
    }
    await t.step("a leading + is accepted, as by Go", async () => {
      const res = await site.call("GET", `/api/jobs/+${ids.alex}`);
      assert.equal((await res.json()).Meta.id, ids.alex);
    });
    await t.step("start_job without its slash is taken as an id", async () => {
      await expectError(
        await site.call("POST", "/api/jobs/start_job", { body: {} }),
        400,
        'integer expected in path for id: strconv.ParseInt: parsing "start_job": invalid syntax',
      );
    });
  });
});

Deno.test("POST /api/jobs/{id} answers the listed metrics", async (t) => {
  await withFixture(async ({ site, ids }) => {
    const post = async (id: number, body: unknown) => {
      const res = await site.call("POST", `/api/jobs/${id}`, { body });
      return { status: res.status, text: await res.text() };
    };
    await t.step(
      "a list of metrics: entries {metric, name, scope} equal to the archive",
      async () => {
        const { status, text } = await post(ids.emmyB, ["mem_bw", "cpu_load"]);
        assert.equal(status, 200);
        const body = JSON.parse(text);
        assert.deepEqual(Object.keys(body), ["Meta", "Data"]);
        assert.deepEqual(body.Meta.tags, undefined);
        assert.deepEqual(body.Meta.metaData, { jobName: "emmyB" });
        assert.deepEqual(body.Data.map((e: JsonJob) => [e.name, e.scope]), [
          ["mem_bw", "node"],
          ["cpu_load", "node"],
        ]);
        assert.deepEqual(Object.keys(body.Data[0]), ["metric", "name", "scope"]);
        const archived = await archivedData(site, EMMY_B) as Record<string, { node: JsonJob }>;
        assert.deepEqual(body.Data[1].metric.series, archived.cpu_load.node.series);
        assert.deepEqual(body.Data[0].metric.series, archived.mem_bw.node.series);
        assert.match(text, /"data":\[\d+\.\d\d,/, "series data with two decimals");
      },
    );
    await t.step("null: every metric", async () => {
      const body = JSON.parse((await post(ids.emmyB, null)).text);
      const archived = await archivedData(site, EMMY_B);
      assert.deepEqual(
        body.Data.map((e: JsonJob) => e.name).sort(),
        Object.keys(archived).sort(),
      );
    });
    await t.step("unknown metric names are left out", async () => {
      const body = JSON.parse((await post(ids.emmyB, ["no_such_metric", "cpu_load"])).text);
      assert.deepEqual(body.Data.map((e: JsonJob) => e.name), ["cpu_load"]);
      const none = JSON.parse((await post(ids.emmyB, ["nope"])).text);
      assert.deepEqual(none.Data, []);
    });
    await t.step("several nodes: node scope, synthesised for flops_any and mem_bw", async () => {
      const body = JSON.parse((await post(ids.two, null)).text);
      const entries = Object.fromEntries(
        body.Data.map((e: JsonJob) => [`${e.name}/${e.scope}`, e.metric]),
      );
      assert.deepEqual(Object.keys(entries).sort(), [
        "cpu_load/node",
        "flops_any/core",
        "flops_any/node",
        "mem_bw/node",
        "mem_bw/socket",
      ]);
      const flops = entries["flops_any/node"].series;
      assert.deepEqual(flops.map((s: JsonJob) => s.hostname), ["f0301", "f0302"]);
      assert.deepEqual(flops[0].data, [4, null], "summed per host; a missing value stays null");
      assert.deepEqual(flops[0].statistics, { min: 1, avg: 2.25, max: 3 });
      assert.deepEqual(flops[1].data, [5, 6]);
      assert.deepEqual(entries["mem_bw/node"].series[1].data, [30, 40]);
    });
    const badBodies: [string, unknown, string][] = [
      ["empty", "", "decoding request failed: EOF"],
      [
        "object",
        { metrics: [] },
        "decoding request failed: json: cannot unmarshal object into Go value of type []string",
      ],
      [
        "string",
        '"cpu_load"',
        "decoding request failed: json: cannot unmarshal string into Go value of type []string",
      ],
      [
        "number element",
        [1],
        "decoding request failed: json: cannot unmarshal number into Go value of type string",
      ],
      [
        "bool element",
        ["a", true],
        "decoding request failed: json: cannot unmarshal bool into Go value of type string",
      ],
    ];
    for (const [name, body, message] of badBodies) {
      await t.step(`bad body (${name}) → 400`, async () => {
        await expectError(
          await site.call("POST", `/api/jobs/${ids.emmyB}`, { body }),
          400,
          message,
        );
      });
    }
    await t.step("invalid JSON → 400", async () => {
      const res = await site.call("POST", `/api/jobs/${ids.emmyB}`, { body: "[1," });
      assert.equal(res.status, 400);
      assert.match((await res.json()).error, /^decoding request failed: /);
    });
    await t.step("the job is looked up before the body is read", async () => {
      await expectError(
        await site.call("POST", "/api/jobs/4711", { body: "" }),
        422,
        "finding job with db id 4711 failed: sql: no rows in result set",
      );
    });
    await t.step("a running job: 500 with the reason", async () => {
      const { status, text } = await post(ids.running, ["cpu_load"]);
      assert.equal(status, 500);
      assert.match(JSON.parse(text).error, /no metric store is configured/);
    });
  });
});

Deno.test("GET /api/jobs/metrics/{id} answers the GraphQL-like envelope", async (t) => {
  await withFixture(async ({ site, ids }) => {
    const admin = ["admin", "api"];
    const get = async (path: string, roles: string[] = admin) => {
      const res = await site.call("GET", `/api/jobs/metrics/${path}`, { roles });
      return { status: res.status, text: await res.text() };
    };
    await t.step("all metrics and scopes without parameters", async () => {
      const { status, text } = await get(`${ids.two}`);
      assert.equal(status, 200);
      const body = JSON.parse(text);
      assert.deepEqual(Object.keys(body), ["data", "error"]);
      assert.equal(body.error, null);
      assert.deepEqual(body.data.jobMetrics.map((m: JsonJob) => `${m.name}/${m.scope}`), [
        "cpu_load/node",
        "flops_any/core",
        "mem_bw/socket",
      ], "no node scope is synthesised unless node is asked for");
      assert.deepEqual(Object.keys(body.data.jobMetrics[0]), ["name", "scope", "metric"]);
    });
    await t.step("metric and scope filters", async () => {
      const body = JSON.parse((await get(`${ids.single}?metric=flops_any&scope=core`)).text);
      assert.deepEqual(body.data.jobMetrics.map((m: JsonJob) => `${m.name}/${m.scope}`), [
        "flops_any/core",
      ]);
      const node = JSON.parse((await get(`${ids.two}?metric=flops_any&scope=node`)).text);
      assert.deepEqual(node.data.jobMetrics.map((m: JsonJob) => `${m.name}/${m.scope}`), [
        "flops_any/node",
        "flops_any/core",
      ]);
    });
    await t.step("data equal to the archive's", async () => {
      const body = JSON.parse((await get(`${ids.emmyA}?metric=mem_used`)).text);
      const archived = await archivedData(site, EMMY_A) as Record<string, { node: JsonJob }>;
      assert.deepEqual(body.data.jobMetrics[0].metric.series, archived.mem_used.node.series);
    });
    await t.step("an unknown metric gives an empty list", async () => {
      assert.equal(
        (await get(`${ids.emmyA}?metric=nope`)).text,
        '{"data":{"jobMetrics":[]},"error":null}\n',
      );
    });
    await t.step("an invalid scope is a 400", async () => {
      const res = await site.call("GET", `/api/jobs/metrics/${ids.emmyA}?scope=node&scope=rack`);
      await expectError(
        res,
        400,
        "unmarshaling scope failed: SCHEMA/METRICS > rack is not a valid MetricScope",
      );
    });
    const envelopeErrors: [string, string[], string][] = [
      ["abc", admin, 'strconv.ParseInt: parsing "abc": invalid syntax'],
      [
        "99999999999999999999",
        admin,
        'strconv.ParseInt: parsing "99999999999999999999": value out of range',
      ],
      ["4711", admin, "sql: no rows in result set"],
      [`${ids.emmyA}`, ["api"], "you are not allowed to see this job"],
    ];
    for (const [id, roles, message] of envelopeErrors) {
      await t.step(`${id} as ${roles} → 200 with error ${message}`, async () => {
        const { status, text } = await get(id, roles);
        assert.equal(status, 200);
        assert.equal(text, `{"data":null,"error":{"message":${JSON.stringify(message)}}}\n`);
      });
    }
    await t.step("a running job: the load error in the envelope", async () => {
      const body = JSON.parse((await get(`${ids.running}`)).text);
      assert.equal(body.data, null);
      assert.match(body.error.message, /no metric store is configured/);
    });
  });
});
