import assert from "node:assert/strict";
import { JobRepository } from "../../db/mod.ts";
import {
  assertError,
  insertArchivedJob,
  NOW,
  okJson,
  startBody,
  startViaApi,
} from "./job_control_test_helpers.ts";
import { createTestSite, type TestSite } from "./test_app.ts";

async function withSite(
  fn: (site: TestSite) => Promise<void>,
  options: { main?: Record<string, unknown> } = {},
): Promise<void> {
  const site = await createTestSite({ now: () => NOW, ...options });
  try {
    await fn(site);
  } finally {
    await site.close();
  }
}

const START = "/api/jobs/start_job/";
const STOP = "/api/jobs/stop_job/";

Deno.test("TestRestApi scenario (cc-backend api_test.go) on cluster fritz", async (t) => {
  await withSite(async (site) => {
    const jobs = new JobRepository(site.db);
    await t.step("start_job answers 201 {msg: success} and the job is stored at once", async () => {
      const res = await site.call("POST", START, { body: startBody() });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get("Content-Type"), "application/json");
      assert.equal(await res.text(), '{"msg":"success"}\n');
      const job = jobs.find(123, { cluster: "fritz", startTime: 123456789 });
      assert.ok(job);
      assert.equal(job.jobId, 123);
      assert.equal(job.user, "testuser");
      assert.equal(job.project, "testproj");
      assert.equal(job.cluster, "fritz");
      assert.equal(job.subCluster, "main", "assigned from host f0101");
      assert.equal(job.partition, "default");
      assert.equal(job.walltime, 3600);
      assert.equal(job.arrayJobId, 0);
      assert.equal(job.numNodes, 1);
      assert.equal(job.numHwthreads, 72);
      assert.equal(job.numAcc, 0);
      assert.equal(job.monitoringStatus, 1);
      assert.equal(job.smt, 1);
      assert.equal(job.jobState, "running");
      assert.deepEqual(job.resources, [{ hostname: "f0101", hwthreads: [0, 1, 2, 3, 4, 5, 6, 7] }]);
      assert.equal(job.startTime, 123456789);
    });
    await t.step("stop_job answers 200 with the job, completed after 1000 s", async () => {
      const res = await site.call("POST", STOP, {
        body: {
          jobId: 123,
          startTime: 123456789,
          cluster: "fritz",
          jobState: "completed",
          stopTime: 123457789,
        },
      });
      const body = await okJson(res);
      assert.equal(body.jobState, "completed");
      assert.equal(body.duration, 1000);
      const job = jobs.find(123, { cluster: "fritz", startTime: 123456789 })!;
      assert.equal(job.jobState, "completed");
      assert.equal(job.duration, 1000);
      assert.deepEqual(jobs.metadataOf(job.id!), { jobScript: "blablabla..." });
    });
    await t.step("a second start of jobId 123 one second later is 422", async () => {
      const res = await site.call("POST", START, { body: startBody({ startTime: 123456790 }) });
      await assertError(
        res,
        422,
        "a job with that jobId, cluster and startTime already exists: dbid: 1, jobid: 123",
      );
    });
    await t.step("a job without hwthreads, numHwthreads, numAcc or metaData starts", async () => {
      const body = startBody({
        jobId: 12345,
        startTime: 12345678,
        resources: [{ hostname: "f0101" }],
      });
      delete body.numHwthreads;
      delete body.numAcc;
      delete body.metaData;
      delete body.arrayJobId;
      const res = await site.call("POST", START, { body });
      assert.equal(res.status, 201, await res.text());
    });
    await t.step("stop without startTime finds it and marks it failed", async () => {
      const res = await site.call("POST", STOP, {
        body: { jobId: 12345, cluster: "fritz", jobState: "failed", stopTime: 12355678 },
      });
      assert.equal((await okJson(res)).jobState, "failed");
      assert.equal(jobs.find(12345, { cluster: "fritz" })!.jobState, "failed");
    });
    await t.step("used_nodes: no running job gives an empty map", async () => {
      const res = await site.call("GET", "/api/jobs/used_nodes?ts=123456790");
      assert.deepEqual(await okJson(res), { usedNodes: {} });
    });
  });
});

Deno.test("TestStopJobWithReusedJobId: the newest job with the jobId is stopped", async () => {
  await withSite(async (site) => {
    const jobs = new JobRepository(site.db);
    await startViaApi(site, { jobId: 999, startTime: 200000000 });
    let res = await site.call("POST", STOP, {
      body: {
        jobId: 999,
        startTime: 200000000,
        cluster: "fritz",
        jobState: "failed",
        stopTime: 200001000,
      },
    });
    assert.equal((await okJson(res)).jobState, "failed");
    await startViaApi(site, { jobId: 999, startTime: 300000000 });
    res = await site.call("POST", STOP, {
      body: {
        jobId: 999,
        startTime: 300000000,
        cluster: "fritz",
        jobState: "completed",
        stopTime: 300001000,
      },
    });
    const body = await okJson(res);
    assert.equal(body.jobState, "completed");
    assert.equal(body.duration, 1000);
    assert.equal(jobs.find(999, { startTime: 200000000 })!.jobState, "failed");
    // Without start time the newest one is meant, and it is stopped already.
    res = await site.call("POST", STOP, { body: { jobId: 999, stopTime: 300002000 } });
    await assertError(
      res,
      422,
      "jobId 999 (id 2) on fritz : job has already been stopped (state is: completed)",
    );
  });
});

Deno.test("start_job validates in cc-backend's order with its messages", async (t) => {
  await withSite(async (site) => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["unknown cluster", { cluster: "nosuch" }, "no such cluster: nosuch"],
      ["empty cluster", { cluster: "" }, "no such cluster: "],
      ["absent cluster (and everything else)", { cluster: undefined }, "no such cluster: "],
      [
        "unknown subcluster",
        { subCluster: "gpu" },
        "ARCHIVE/CLUSTERCONFIG > already assigned subcluster gpu unkown (cluster: fritz)",
      ],
      [
        "no resources to assign a subcluster from",
        { resources: [] },
        "ARCHIVE/CLUSTERCONFIG > job without any resources/hosts",
      ],
      [
        "null resources",
        { resources: null },
        "ARCHIVE/CLUSTERCONFIG > job without any resources/hosts",
      ],
      [
        "host in no subcluster",
        { resources: [{ hostname: "x0001" }] },
        "ARCHIVE/CLUSTERCONFIG > no subcluster found for cluster fritz and host x0001",
      ],
      [
        "empty resources with a given subcluster",
        { subCluster: "main", resources: [] },
        "'resources' and 'user' should not be empty",
      ],
      ["empty user", { user: "" }, "'resources' and 'user' should not be empty"],
      ["absent user", { user: undefined }, "'resources' and 'user' should not be empty"],
      ["negative numAcc", { numAcc: -1 }, "'numNodes', 'numAcc' or 'numHWThreads' invalid"],
      [
        "negative numHwthreads",
        { numHwthreads: -1 },
        "'numNodes', 'numAcc' or 'numHWThreads' invalid",
      ],
      ["numNodes 0", { numNodes: 0 }, "'numNodes', 'numAcc' or 'numHWThreads' invalid"],
      ["numNodes -1", { numNodes: -1 }, "'numNodes', 'numAcc' or 'numHWThreads' invalid"],
      [
        "absent numNodes",
        { numNodes: undefined },
        "'numNodes', 'numAcc' or 'numHWThreads' invalid",
      ],
      [
        "numNodes 2 for one host",
        { numNodes: 2 },
        "len(resources) does not equal numNodes (1 vs 2)",
      ],
      [
        "two hosts for numNodes 1",
        { resources: [{ hostname: "f0101" }, { hostname: "f0102" }] },
        "len(resources) does not equal numNodes (2 vs 1)",
      ],
      [
        "a shared value the schema does not allow (400 naming it, not 500)",
        { shared: "bogus" },
        'insert into database failed: cannot store job 123 on "fritz": invalid shared "bogus" ' +
        "(allowed: none, single_user, multi_user)",
      ],
      [
        "an empty shared value",
        { shared: "" },
        'insert into database failed: cannot store job 123 on "fritz": invalid shared "" ' +
        "(allowed: none, single_user, multi_user)",
      ],
      [
        "monitoringStatus out of range",
        { monitoringStatus: 7 },
        'insert into database failed: cannot store job 123 on "fritz": invalid ' +
        "monitoringStatus 7 (allowed: 0, 1, 2, 3)",
      ],
    ];
    for (const [name, overrides, message] of cases) {
      await t.step(name, async () => {
        const body = JSON.parse(JSON.stringify(startBody(overrides)));
        const res = await site.call("POST", START, { body });
        await assertError(res, 400, message);
      });
    }
    await t.step("nothing was stored by the failed starts", () => {
      assert.equal(new JobRepository(site.db).countJobs(), 0);
    });
  });
});

Deno.test("start_job decodes strictly", async (t) => {
  await withSite(async (site) => {
    const prefix = "parsing request body failed: ";
    const cases: [string, unknown, number, string | RegExp][] = [
      ["empty body", "", 400, `${prefix}EOF`],
      ["blank body", "  \n", 400, `${prefix}EOF`],
      ["malformed JSON", '{"jobId": 1,', 400, /^parsing request body failed: invalid JSON/],
      ["a JSON array", "[]", 400, /^parsing request body failed: json: .*expected object/],
      ["an unknown key", startBody({ foo: 1 }), 400, `${prefix}json: unknown field "foo"`],
      [
        "an unknown key inside a resource",
        startBody({ resources: [{ hostname: "f0101", foo: 1 }] }),
        400,
        `${prefix}json: unknown field "resources.0.foo"`,
      ],
      [
        "an unknown key inside a tag",
        startBody({ tags: [{ type: "a", name: "b", colour: "red" }] }),
        400,
        `${prefix}json: unknown field "tags.0.colour"`,
      ],
      [
        "a key of an older spec (exclusive)",
        startBody({ exclusive: 1 }),
        400,
        `${prefix}json: unknown field "exclusive"`,
      ],
      ["a string jobId", startBody({ jobId: "123" }), 400, /field "jobId": expected integer/],
      ["a fractional jobId", startBody({ jobId: 1.5 }), 400, /field "jobId": expected integer/],
      ["a numeric user", startBody({ user: 5 }), 400, /field "user": expected string/],
      ["a huge jobId (1e20)", startBody({ jobId: 1e20 }), 400, /field "jobId": must be <=/],
      ["a huge startTime", startBody({ startTime: 1e20 }), 400, /field "startTime": must be <=/],
      [
        "numNodes beyond int32",
        startBody({ numNodes: 2 ** 31 }),
        400,
        /field "numNodes": must be <= 2147483647/,
      ],
      [
        "a non-string metaData value",
        startBody({ metaData: { a: 1 } }),
        400,
        /field "metaData.a": expected string/,
      ],
      [
        "a string hwthread",
        startBody({ resources: [{ hostname: "f0101", hwthreads: ["0"] }] }),
        400,
        /field "resources.0.hwthreads.0": expected integer/,
      ],
    ];
    for (const [name, body, status, message] of cases) {
      await t.step(name, async () => {
        await assertError(await site.call("POST", START, { body }), status, message);
      });
    }
    await t.step("a 10 MB body is 413", async () => {
      const big = JSON.stringify(startBody({ metaData: { jobScript: "x".repeat(10 << 20) } }));
      const res = await site.call("POST", START, { body: big });
      await assertError(res, 413, /request body .*exceeds/);
    });
    await t.step("Go's null for nil maps and pointers is accepted as absent", async () => {
      const res = await site.call("POST", START, {
        body: startBody({
          jobId: 77,
          metaData: null,
          footprint: null,
          energyFootprint: null,
          statistics: null,
          tags: null,
          id: null,
          concurrentJobs: { items: null, count: 0 },
          partition: null,
        }),
      });
      assert.equal(res.status, 201, await res.text());
      const job = new JobRepository(site.db).find(77)!;
      assert.equal(job.partition, undefined);
      assert.equal(job.metaData, undefined);
    });
    await t.step("nothing but job 77 was stored", () => {
      assert.equal(new JobRepository(site.db).countJobs(), 1);
    });
  });
});

Deno.test("start_job stores what it is given, verbatim", async (t) => {
  await withSite(async (site) => {
    const jobs = new JobRepository(site.db);
    await t.step("the request state, id and smt>1 are handled as documented", async () => {
      const id = await startViaApi(site, { jobState: "completed", id: 4711, smt: 4, jobId: 5 });
      const job = jobs.findById(id)!;
      assert.notEqual(id, 4711);
      assert.equal(job.jobState, "running");
      assert.equal(job.smt, 4);
    });
    await t.step("PUT works like POST", async () => {
      const res = await site.call("PUT", START, { body: startBody({ jobId: 6 }) });
      assert.equal(res.status, 201);
    });
    await t.step("unicode and SQL metacharacters in every string field", async () => {
      const weird = "Ünï😀 '); DROP TABLE job; -- \"<&>\\ %_";
      const id = await startViaApi(site, {
        jobId: 7,
        user: weird,
        project: weird,
        partition: weird,
        subCluster: "main",
        resources: [
          { hostname: "f0101", configuration: weird, accelerators: [weird] },
          { hostname: weird },
        ],
        numNodes: 2,
        metaData: { [weird]: weird },
        tags: [{ type: weird, name: weird, scope: "global" }],
      });
      const job = jobs.findById(id)!;
      assert.equal(job.user, weird);
      assert.equal(job.project, weird);
      assert.equal(job.partition, weird);
      assert.deepEqual(job.resources, [
        { hostname: "f0101", configuration: weird, accelerators: [weird] },
        { hostname: weird },
      ]);
      assert.deepEqual(job.metaData, { [weird]: weird });
      const res = await site.call("POST", STOP, { body: { jobId: 7, stopTime: 123456799 } });
      const text = await res.text();
      assert.equal(res.status, 200, text);
      assert.ok(!text.includes("<"), "HTML characters are escaped as Go does");
      const body = JSON.parse(text);
      assert.equal(body.user, weird);
      assert.deepEqual(body.metaData, { [weird]: weird });
      assert.deepEqual(body.tags, [{ type: weird, name: weird, scope: "global", id: 1 }]);
      assert.equal(jobs.countJobs(), 3);
    });
    await t.step("a NUL character cannot be stored and is refused with 400", async () => {
      const res = await site.call("POST", START, { body: startBody({ jobId: 8, user: "a\0b" }) });
      await assertError(res, 400, /invalid user "a\\u0000b" \(must not contain NUL/);
    });
  });
});

Deno.test("start_job's duplicate check", async (t) => {
  await withSite(async (site) => {
    await startViaApi(site, { jobId: 1, startTime: 1000000 });
    const cases: [string, number, number][] = [
      ["the same start time", 1000000, 422],
      ["one second later", 1000001, 422],
      ["86399 s later", 1000000 + 86399, 422],
      ["an earlier start (the rule is one-sided)", 1000000 - 500000, 422],
      ["exactly 86400 s later", 1000000 + 86400, 201],
    ];
    for (const [name, startTime, status] of cases) {
      await t.step(name, async () => {
        const res = await site.call("POST", START, { body: startBody({ jobId: 1, startTime }) });
        assert.equal(res.status, status, await res.text());
      });
    }
    await t.step("another cluster or jobId is no duplicate", async () => {
      await startViaApi(site, { jobId: 2, startTime: 1000000 });
      await startViaApi(site, {
        jobId: 1,
        startTime: 1000000,
        cluster: "alex",
        resources: [{ hostname: "a0121" }],
      });
    });
    await t.step("ten identical concurrent starts: exactly one wins", async () => {
      const results = await Promise.all(
        Array.from(
          { length: 10 },
          () => site.call("POST", START, { body: startBody({ jobId: 42, startTime: 5000000 }) }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [201, 422, 422, 422, 422, 422, 422, 422, 422, 422]);
      for (const r of results) await r.body?.cancel();
      assert.equal(new JobRepository(site.db).list({ filter: { jobId: 42 } }).length, 1);
    });
  });
});

Deno.test("start_job with tags", async (t) => {
  await withSite(async (site) => {
    const jobs = new JobRepository(site.db);
    await t.step("global and own-scope tags are attached; an empty scope is global", async () => {
      const res = await site.call("POST", START, {
        body: startBody({
          jobId: 1,
          tags: [{ type: "debug", name: "t1" }, { type: "debug", name: "t2", scope: "api-user" }],
        }),
      });
      assert.equal(res.status, 201);
      const stop = await site.call("POST", STOP, { body: { jobId: 1, stopTime: 123456800 } });
      assert.deepEqual((await okJson(stop)).tags, [
        { type: "debug", name: "t1", scope: "global", id: 1 },
        { type: "debug", name: "t2", scope: "api-user", id: 2 },
      ]);
    });
    await t.step("another user's private scope is 403 and stores nothing", async () => {
      const res = await site.call("POST", START, {
        body: startBody({ jobId: 2, tags: [{ type: "debug", name: "x", scope: "bob" }] }),
      });
      await assertError(res, 403, 'cannot write tag scope "bob" with current authorization');
      assert.equal(jobs.find(2), null);
    });
    await t.step("an existing type and name under another scope is 422, no job", async () => {
      const res = await site.call("POST", START, {
        body: startBody({ jobId: 3, tags: [{ type: "debug", name: "t1", scope: "admin" }] }),
      });
      await assertError(res, 422, /^adding tag to new job failed: cannot use tag "debug:t1"/);
      assert.equal(jobs.find(3), null);
    });
    await t.step("an empty tag name is 400, no job", async () => {
      const res = await site.call("POST", START, {
        body: startBody({ jobId: 4, tags: [{ type: "debug", name: "" }] }),
      });
      await assertError(res, 400, /^adding tag to new job failed: cannot create tag: name/);
      assert.equal(jobs.find(4), null);
    });
  });
});

Deno.test("start_job and stop_job are not routed when NATS api-subjects are set", async () => {
  await withSite(async (site) => {
    for (const path of [START, STOP]) {
      const res = await site.call("POST", path, { body: startBody() });
      assert.equal(res.status, 404);
      assert.equal((await res.json()).error, "the requested endpoint does not exist");
    }
  }, { main: { "api-subjects": { "subject-job-event": "job", "subject-node-state": "ns" } } });
});

Deno.test("job-control routes need an API token", async () => {
  await withSite(async (site) => {
    const routes: [string, string][] = [
      ["POST", START],
      ["POST", STOP],
      ["GET", "/api/jobs/used_nodes?ts=1"],
      ["PATCH", "/api/jobs/edit_meta/1"],
      ["PATCH", "/api/jobs/edit_meta/"],
      ["DELETE", "/api/jobs/delete_job/"],
      ["DELETE", "/api/jobs/delete_job/1"],
      ["DELETE", "/api/jobs/delete_job_before/1"],
    ];
    for (const [method, path] of routes) {
      const body = method === "GET" ? undefined : {};
      const res = await site.call(method, path, { roles: null, body });
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.equal((await res.json()).error, "no user for secured check");
    }
  });
});

Deno.test("stop_job: every error of cc-backend, in its order", async (t) => {
  await withSite(async (site) => {
    await startViaApi(site);
    const stop = (body: unknown) => site.call("POST", STOP, { body });
    const prefix = "parsing request body failed: ";
    await t.step("decode errors", async () => {
      await assertError(await stop(""), 400, `${prefix}EOF`);
      await assertError(await stop("{"), 400, /^parsing request body failed: invalid JSON/);
      await assertError(
        await stop({ jobId: 123, stopTime: 1, foo: 1 }),
        400,
        `${prefix}json: unknown field "foo"`,
      );
      await assertError(await stop({ jobId: "123" }), 400, /field "jobId": expected integer/);
      await assertError(await stop({ jobId: 123, stopTime: -1e20 }), 400, /must be >=/);
    });
    await t.step("jobId missing or null", async () => {
      await assertError(await stop({ stopTime: 1 }), 400, "the field 'jobId' is required");
      await assertError(await stop({ jobId: null }), 400, "the field 'jobId' is required");
    });
    await t.step("no such job is 404", async () => {
      await assertError(
        await stop({ jobId: 124, stopTime: 123457789 }),
        404,
        "finding job failed: sql: no rows in result set",
      );
      await assertError(
        await stop({ jobId: 123, cluster: "alex", stopTime: 123457789 }),
        404,
        "finding job failed: sql: no rows in result set",
      );
      await assertError(
        await stop({ jobId: 123, startTime: 1, stopTime: 123457789 }),
        404,
        "finding job failed: sql: no rows in result set",
      );
    });
    await t.step("a stop before the start (or a missing stopTime) is 400", async () => {
      await assertError(
        await stop({ jobId: 123, stopTime: 123456788 }),
        400,
        "jobId 123 (id 1) on fritz : stopTime 123456788 must be larger/equal than startTime " +
          "123456789",
      );
      await assertError(
        await stop({ jobId: 123 }),
        400,
        "jobId 123 (id 1) on fritz : stopTime 0 must be larger/equal than startTime 123456789",
      );
    });
    await t.step("an unknown state is 400", async () => {
      await assertError(
        await stop({ jobId: 123, jobState: "stopped", stopTime: 123457789 }),
        400,
        'jobId 123 (id 1) on fritz : invalid requested job state: "stopped"',
      );
    });
    await t.step(
      "Go's nulls for absent pointers are accepted; empty state means completed",
      async () => {
        const res = await stop({
          jobId: 123,
          cluster: null,
          startTime: null,
          jobState: "",
          stopTime: 123456789,
        });
        const body = await okJson(res);
        assert.equal(body.jobState, "completed");
        assert.equal(body.duration, 0);
      },
    );
    await t.step("a stopped job is 422", async () => {
      await assertError(
        await stop({ jobId: 123, stopTime: 123457789 }),
        422,
        "jobId 123 (id 1) on fritz : job has already been stopped (state is: completed)",
      );
    });
  });
});

Deno.test("stop_job: of concurrent stops of one job exactly one succeeds", async () => {
  await withSite(async (site) => {
    await startViaApi(site);
    const results = await Promise.all(
      Array.from(
        { length: 5 },
        () => site.call("POST", STOP, { body: { jobId: 123, stopTime: 123457789 } }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 422, 422, 422, 422]);
    for (const r of results) await r.body?.cancel();
  });
});

Deno.test("stop_job answers the job in cc-backend's key order", async () => {
  await withSite(async (site) => {
    await startViaApi(site, { submitTime: 123456000, requestedMemory: 1000 });
    const res = await site.call("PUT", STOP, {
      body: { jobId: 123, jobState: "timeout", stopTime: 123460389 },
    });
    assert.equal(res.status, 200);
    assert.equal(
      await res.text(),
      '{"cluster":"fritz","subCluster":"main","partition":"default","project":"testproj",' +
        '"user":"testuser","shared":"none","jobState":"timeout","resources":[{"hostname":' +
        '"f0101","hwthreads":[0,1,2,3,4,5,6,7]}],"energyFootprint":null,"footprint":null,' +
        '"metaData":{"jobScript":"blablabla..."},"concurrentJobs":{"items":null,"count":0},' +
        '"energy":0,"walltime":3600,"jobId":123,"duration":3600,"smt":1,"monitoringStatus":1,' +
        '"numHwthreads":72,"numNodes":1,"statistics":null,"id":1,"startTime":123456789}\n',
    );
  });
});

Deno.test("used_nodes lists the hosts of running jobs started before ts", async (t) => {
  await withSite(async (site) => {
    await startViaApi(site, {
      jobId: 1,
      startTime: 100,
      numNodes: 2,
      resources: [{ hostname: "f0102" }, { hostname: "f0101" }],
    });
    await startViaApi(site, { jobId: 2, startTime: 200, resources: [{ hostname: "f0101" }] });
    await startViaApi(site, {
      jobId: 3,
      startTime: 150,
      cluster: "alex",
      resources: [{ hostname: "a0121" }],
    });
    await startViaApi(site, { jobId: 4, startTime: 300, resources: [{ hostname: "f0201" }] });
    await startViaApi(site, { jobId: 5, startTime: 100, resources: [{ hostname: "f0109" }] });
    await site.call("POST", STOP, { body: { jobId: 5, stopTime: 400 } });
    const used = (ts: string) => site.call("GET", `/api/jobs/used_nodes?ts=${ts}`);
    await t.step("sorted, unique, per cluster; a start at ts is not before ts", async () => {
      assert.deepEqual(await okJson(await used("300")), {
        usedNodes: { alex: ["a0121"], fritz: ["f0101", "f0102"] },
      });
      assert.deepEqual(await okJson(await used("101")), {
        usedNodes: { fritz: ["f0101", "f0102"] },
      });
      assert.deepEqual(await okJson(await used("100")), { usedNodes: {} });
    });
    await t.step("ts missing, empty or not an integer is 400", async () => {
      await assertError(
        await site.call("GET", "/api/jobs/used_nodes"),
        400,
        "missing required query parameter: ts",
      );
      await assertError(await used(""), 400, "missing required query parameter: ts");
      await assertError(
        await used("abc"),
        400,
        'invalid timestamp format: strconv.ParseInt: parsing "abc": invalid syntax',
      );
      await assertError(
        await used("99999999999999999999"),
        400,
        'invalid timestamp format: strconv.ParseInt: parsing "99999999999999999999": ' +
          "value out of range",
      );
    });
    await t.step("an admin+api token has role api", async () => {
      const res = await site.call("GET", "/api/jobs/used_nodes?ts=1", { roles: ["admin", "api"] });
      assert.deepEqual(await okJson(res), { usedNodes: {} });
    });
  });
});

Deno.test("edit_meta/{id}", async (t) => {
  await withSite(async (site) => {
    const id = await startViaApi(site);
    const edit = (path: string, body: unknown) =>
      site.call("PATCH", `/api/jobs/edit_meta/${path}`, { body });
    await t.step(
      "sets a key and answers the job with merged metaData and live duration",
      async () => {
        const body = await okJson(await edit(String(id), { key: "note", value: "hello" }));
        assert.deepEqual(body.metaData, { jobScript: "blablabla...", note: "hello" });
        assert.equal(body.jobState, "running");
        assert.equal(body.duration, NOW - 123456789);
        const again = await okJson(await edit(String(id), { key: "note", value: "bye" }));
        assert.deepEqual(again.metaData, { jobScript: "blablabla...", note: "bye" });
        assert.deepEqual(new JobRepository(site.db).metadataOf(id), {
          jobScript: "blablabla...",
          note: "bye",
        });
      },
    );
    await t.step("unicode and SQL metacharacters are stored verbatim", async () => {
      const weird = "ü😀'; DELETE FROM job; --\"\\";
      const body = await okJson(await edit(String(id), { key: weird, value: weird }));
      assert.equal((body.metaData as Record<string, string>)[weird], weird);
      assert.equal(new JobRepository(site.db).countJobs(), 1);
    });
    await t.step("an id that is not an integer is 400", async () => {
      for (const bad of ["abc", "1.5", "0x10", "99999999999999999999"]) {
        const res = await edit(bad, { key: "a", value: "b" });
        await assertError(res, 400, /^parsing job ID failed: strconv.ParseInt: parsing "/);
      }
    });
    await t.step("an unknown id is 404 (checked before the body)", async () => {
      await assertError(
        await edit("999", "not json"),
        404,
        "finding job failed: sql: no rows in result set",
      );
      await assertError(
        await edit("-1", { key: "a" }),
        404,
        "finding job failed: sql: no rows in result set",
      );
    });
    await t.step("bad bodies are 400 decoding request failed", async () => {
      await assertError(await edit(String(id), ""), 400, "decoding request failed: EOF");
      await assertError(
        await edit(String(id), { key: "a", value: "b", extra: 1 }),
        400,
        'decoding request failed: json: unknown field "extra"',
      );
      await assertError(
        await edit(String(id), { key: "a", value: 1 }),
        400,
        /^decoding request failed: json: field "value": expected string/,
      );
      await assertError(
        await edit(String(id), { value: "b" }),
        400,
        "decoding request failed: the field 'key' is required",
      );
    });
    await t.step("a stopped job that is not archived yet is updated in the DB only", async () => {
      await site.call("POST", STOP, { body: { jobId: 123, stopTime: 123457789 } });
      const body = await okJson(await edit(String(id), { key: "after", value: "stop" }));
      assert.equal((body.metaData as Record<string, string>).after, "stop");
      assert.equal(body.duration, 1000);
    });
  });
});

Deno.test("edit_meta on an archived job also updates meta.json", async () => {
  await withSite(async (site) => {
    const id = await insertArchivedJob(site);
    const res = await site.call("PATCH", `/api/jobs/edit_meta/${id}`, {
      body: { key: "jobName", value: "ärchived <1>" },
    });
    assert.deepEqual((await okJson(res)).metaData, { jobName: "ärchived <1>" });
    const meta = await site.archive.loadJobMeta({
      cluster: "emmy",
      jobId: 1403244,
      startTime: 1608923076,
    });
    assert.deepEqual(meta.metaData, { jobName: "ärchived <1>" });
    assert.equal(meta.numNodes, 32, "the rest of meta.json is kept");
  });
});

Deno.test("edit_meta/ by request", async (t) => {
  await withSite(async (site) => {
    await startViaApi(site);
    const edit = (body: unknown) => site.call("PATCH", "/api/jobs/edit_meta/", { body });
    await t.step("success", async () => {
      const body = await okJson(
        await edit({
          jobId: 123,
          cluster: "fritz",
          startTime: 123456789,
          payload: { key: "k", value: "v" },
        }),
      );
      assert.deepEqual(body.metaData, { jobScript: "blablabla...", k: "v" });
    });
    await t.step("decode errors are 400 parsing request body failed", async () => {
      await assertError(await edit(""), 400, "parsing request body failed: EOF");
      await assertError(
        await edit({ jobId: 123, payload: { key: "k", value: "v", x: 1 } }),
        400,
        'parsing request body failed: json: unknown field "payload.x"',
      );
    });
    await t.step("jobId missing is 400, then an empty key", async () => {
      await assertError(await edit({}), 400, "the field 'jobId' is required");
      await assertError(
        await edit({ jobId: 123 }),
        400,
        "parsing request body failed: the field 'payload.key' is required",
      );
    });
    await t.step("no such job is 422 (JSON, not plain text)", async () => {
      await assertError(
        await edit({ jobId: 123, cluster: "alex", payload: { key: "k", value: "v" } }),
        422,
        "finding job failed: sql: no rows in result set",
      );
    });
  });
});

Deno.test("delete_job/{id} and delete_job/ by request", async (t) => {
  await withSite(async (site) => {
    const jobs = new JobRepository(site.db);
    const first = await startViaApi(site, { jobId: 1 });
    await startViaApi(site, { jobId: 2, tags: [{ type: "a", name: "b" }] });
    await t.step("by id; an unknown id succeeds too", async () => {
      let res = await site.call("DELETE", `/api/jobs/delete_job/${first}`);
      assert.deepEqual(await okJson(res), { msg: `Successfully deleted job ${first}` });
      assert.equal(jobs.findById(first), null);
      res = await site.call("DELETE", "/api/jobs/delete_job/+999");
      assert.deepEqual(await okJson(res), { msg: "Successfully deleted job 999" });
    });
    await t.step("a bad id is 400", async () => {
      await assertError(
        await site.call("DELETE", "/api/jobs/delete_job/x"),
        400,
        'integer expected in path for id: strconv.ParseInt: parsing "x": invalid syntax',
      );
    });
    await t.step("by request: errors", async () => {
      const del = (body: unknown) => site.call("DELETE", "/api/jobs/delete_job/", { body });
      await assertError(await del(""), 400, "parsing request body failed: EOF");
      await assertError(
        await del({ jobId: 2, stopTime: 1 }),
        400,
        'parsing request body failed: json: unknown field "stopTime"',
      );
      await assertError(await del({ cluster: "fritz" }), 400, "the field 'jobId' is required");
      await assertError(
        await del({ jobId: 2, cluster: "emmy" }),
        422,
        "finding job failed: sql: no rows in result set",
      );
    });
    await t.step("by request: the job and its tag links go", async () => {
      const id = jobs.find(2)!.id!;
      const res = await site.call("DELETE", "/api/jobs/delete_job/", {
        body: { jobId: 2, cluster: "fritz", startTime: 123456789 },
      });
      assert.deepEqual(await okJson(res), { msg: `Successfully deleted job ${id}` });
      assert.equal(jobs.countJobs(), 0);
      assert.equal(site.db.prepare("SELECT COUNT(*) AS n FROM jobtag").get()!.n, 0);
    });
  });
});

Deno.test("delete_job_before/{ts}", async (t) => {
  await withSite(async (site) => {
    const jobs = new JobRepository(site.db);
    const setup = async () => {
      site.db.exec("DELETE FROM job");
      await startViaApi(site, { jobId: 1, startTime: 100 });
      await startViaApi(site, { jobId: 2, startTime: 100, tags: [{ type: "app", name: "vasp" }] });
      await startViaApi(site, { jobId: 3, startTime: 100, tags: [{ type: "review", name: "x" }] });
      await startViaApi(site, { jobId: 4, startTime: 500 });
    };
    const del = (path: string) => site.call("DELETE", `/api/jobs/delete_job_before/${path}`);
    const left = () => jobs.list({ sortBy: "jobId", order: "ASC" }).map((j) => j.jobId);
    await t.step("omit-tagged none (default) deletes every older job", async () => {
      await setup();
      assert.deepEqual(await okJson(await del("500")), { msg: "Successfully deleted 3 jobs" });
      assert.deepEqual(left(), [4]);
    });
    await t.step("omit-tagged all keeps tagged jobs", async () => {
      await setup();
      assert.deepEqual(await okJson(await del("500?omit-tagged=all")), {
        msg: "Successfully deleted 1 jobs",
      });
      assert.deepEqual(left(), [2, 3, 4]);
    });
    await t.step("omit-tagged user keeps jobs with a tag not of type app or jobClass", async () => {
      await setup();
      assert.deepEqual(await okJson(await del("500?omit-tagged=user")), {
        msg: "Successfully deleted 2 jobs",
      });
      assert.deepEqual(left(), [3, 4]);
    });
    await t.step("bad ts or omit-tagged is 400", async () => {
      await assertError(
        await del("soon"),
        400,
        'integer expected in path for ts: strconv.ParseInt: parsing "soon": invalid syntax',
      );
      await assertError(
        await del("500?omit-tagged=true"),
        400,
        "omit-tagged must be one of: none, all, user",
      );
    });
  });
});
