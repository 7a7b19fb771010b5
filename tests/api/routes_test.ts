/**
 * One tour over every REST route of the real server with a valid request,
 * plus the error rows of the job-control endpoints with the original's
 * status and message: proves that each route is mounted behind its guard
 * and answers with the documented shape.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  type ApiResponse,
  type ApiServer,
  badAnswers,
  crashLines,
  json,
  show,
  withApiServer,
} from "./api_server.ts";

function expectStatus(response: ApiResponse, status: number): void {
  assert.equal(response.status, status, show(response));
}

function expectError(response: ApiResponse, status: number, error: string | RegExp): void {
  expectStatus(response, status);
  const body = json<{ status: string; error: string }>(response);
  if (typeof error === "string") assert.equal(body.error, error, show(response));
  else assert.match(body.error, error, show(response));
}

const JOB = {
  jobId: 42,
  user: "alice",
  project: "proj",
  cluster: "fritz",
  numNodes: 2,
  resources: [{ hostname: "f0101" }, { hostname: "f0102" }],
  startTime: 1_700_000_000,
};

async function dbIdOf(server: ApiServer, jobId: number): Promise<number> {
  const response = await server.call("GET", "/api/jobs/?items-per-page=1000");
  const job = json<{ jobs: { id: number; jobId: number }[] }>(response).jobs.find((j) =>
    j.jobId === jobId
  );
  assert.ok(job, `job ${jobId} not listed`);
  return job.id;
}

Deno.test("every REST route answers through the real server", async (t) => {
  const stderr = await withApiServer(async (server) => {
    const start = (body: unknown) => server.call("POST", "/api/jobs/start_job/", { body });
    expectStatus(await start(JOB), 201);
    const id = await dbIdOf(server, 42);

    await t.step("start_job: the original's checks, in order, with its messages", async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ ...JOB, cluster: "" }, "no such cluster: "],
        [{ ...JOB, cluster: "nope" }, "no such cluster: nope"],
        [
          { ...JOB, subCluster: "nope" },
          "ARCHIVE/CLUSTERCONFIG > already assigned subcluster nope unkown (cluster: fritz)",
        ],
        [{ ...JOB, resources: [] }, "ARCHIVE/CLUSTERCONFIG > job without any resources/hosts"],
        [
          { ...JOB, numNodes: 1, resources: [{ hostname: "x9999" }] },
          "ARCHIVE/CLUSTERCONFIG > no subcluster found for cluster fritz and host x9999",
        ],
        [{ ...JOB, user: "" }, "'resources' and 'user' should not be empty"],
        [{ ...JOB, numNodes: 0 }, "'numNodes', 'numAcc' or 'numHWThreads' invalid"],
        [{ ...JOB, numNodes: 3 }, "len(resources) does not equal numNodes (2 vs 3)"],
      ];
      for (const [body, error] of cases) expectError(await start(body), 400, error);
      // jobState is ignored: a started job is running.
      expectStatus(await start({ ...JOB, jobId: 43, jobState: "completed" }), 201);
      const listed = await server.call("GET", "/api/jobs/?state=running&items-per-page=100");
      assert.ok(json<{ jobs: { jobId: number }[] }>(listed).jobs.some((j) => j.jobId === 43));
      // The one-sided duplicate rule: earlier is always a duplicate, a day later is not.
      expectError(
        await start({ ...JOB, startTime: JOB.startTime - 1_000_000 }),
        422,
        `a job with that jobId, cluster and startTime already exists: dbid: ${id}, jobid: 42`,
      );
      expectStatus(await start({ ...JOB, startTime: JOB.startTime + 86400 }), 201);
    });

    await t.step("stop_job: not found 404, bad time 400, bad state 400, stopped 422", async () => {
      const stop = (body: unknown) => server.call("POST", "/api/jobs/stop_job/", { body });
      expectError(
        await stop({ jobId: 99, stopTime: 1 }),
        404,
        "finding job failed: sql: no rows in result set",
      );
      const what = `jobId 42 (id ${id}) on fritz `;
      expectError(
        await stop({ jobId: 42, cluster: "fritz", startTime: JOB.startTime, stopTime: 5 }),
        400,
        `${what}: stopTime 5 must be larger/equal than startTime ${JOB.startTime}`,
      );
      expectError(
        await stop({
          jobId: 42,
          cluster: "fritz",
          startTime: JOB.startTime,
          stopTime: JOB.startTime + 10,
          jobState: "stopped",
        }),
        400,
        `${what}: invalid requested job state: "stopped"`,
      );
      const done = await server.call("PUT", "/api/jobs/stop_job/", {
        body: {
          jobId: 42,
          cluster: "fritz",
          startTime: JOB.startTime,
          stopTime: JOB.startTime + 10,
        },
      });
      expectStatus(done, 200);
      assert.equal(json<{ jobState: string }>(done).jobState, "completed");
      expectError(
        await stop({ jobId: 42, cluster: "fritz", startTime: JOB.startTime, stopTime: 1e10 }),
        422,
        `${what}: job has already been stopped (state is: completed)`,
      );
    });

    await t.step("job reads: list, by id (GET and POST), metrics, /userapi", async () => {
      const list = await server.call("GET", "/api/jobs/?cluster=fritz&items-per-page=2&page=1");
      expectStatus(list, 200);
      const page = json<{ jobs: unknown[]; items: number; page: number }>(list);
      assert.equal(page.items, 2);
      assert.equal(page.page, 1);
      assert.equal(page.jobs.length, 2);
      expectError(
        await server.call("GET", "/api/jobs/?foo=1"),
        400,
        "invalid query parameter: foo",
      );
      expectError(
        await server.call("GET", "/api/jobs/?state=stopped"),
        400,
        "invalid query parameter value: state",
      );
      const byId = await server.call("GET", `/api/jobs/${id}`);
      expectStatus(byId, 200);
      assert.deepEqual(Object.keys(json(byId)), ["Meta", "Data"]);
      assert.equal(json<{ Data: unknown }>(byId).Data, null);
      expectError(
        await server.call("GET", "/api/jobs/999999"),
        422,
        "finding job with db id 999999 failed: sql: no rows in result set",
      );
      expectError(
        await server.call("POST", `/api/jobs/${id}`),
        400,
        "decoding request failed: EOF",
      );
      const metrics = await server.call("GET", `/api/jobs/metrics/${id}?scope=node`);
      expectStatus(metrics, 200);
      assert.ok("data" in json(metrics) && "error" in json(metrics), show(metrics));
      expectError(
        await server.call("GET", `/api/jobs/metrics/${id}?scope=rack`),
        400,
        "unmarshaling scope failed: SCHEMA/METRICS > rack is not a valid MetricScope",
      );
      const userList = await server.call("GET", "/userapi/jobs/?items-per-page=1");
      expectStatus(userList, 200);
      expectStatus(await server.call("GET", `/userapi/jobs/${id}`), 200);
      expectStatus(await server.call("GET", `/userapi/jobs/metrics/${id}`), 200);
    });

    await t.step("tags: add, scope rules, remove, delete definitions", async () => {
      const tag = (tags: unknown, method = "POST") =>
        server.call(method, `/api/jobs/tag_job/${id}`, { body: tags });
      const added = await tag([
        { type: "app", name: "gromacs", scope: "global" },
        { type: "review", name: "slow", scope: "admin" },
        { type: "note", name: "mine", scope: "" },
      ]);
      expectStatus(added, 200);
      const tags = json<{ tags: { name: string; scope: string }[] }>(added).tags;
      // An empty scope is stored (and echoed, see docs/compat.md) as global.
      assert.deepEqual(tags.map((x) => `${x.name}/${x.scope}`).toSorted(), [
        "gromacs/global",
        "mine/global",
        "slow/admin",
      ]);
      // A private scope of another user may not be written (403, see docs/compat.md).
      expectStatus(await tag([{ type: "x", name: "y", scope: "alice" }]), 403);
      expectError(
        await tag([{ type: "none", name: "such", scope: "global" }], "DELETE"),
        404,
        "removing tag failed: tag does not exist (name, type, scope): such, none, global",
      );
      const removed = await tag([{ type: "app", name: "gromacs", scope: "global" }], "DELETE");
      expectStatus(removed, 200);
      assert.ok(
        !json<{ tags: { name: string }[] }>(removed).tags.some((x) => x.name === "gromacs"),
      );
      const deleted = await server.call("DELETE", "/api/tags/", {
        body: [{ type: "review", name: "slow", scope: "admin" }],
      });
      expectStatus(deleted, 200);
      assert.equal(deleted.text, "Deleted Tags from DB: 1 successfull of 1 requested\n");
      expectError(
        await server.call("POST", "/api/jobs/tag_job/999999", { body: [] }),
        404,
        "finding job failed: sql: no rows in result set",
      );
    });

    await t.step("metadata: by id and by request", async () => {
      const byId = await server.call("PATCH", `/api/jobs/edit_meta/${id}`, {
        body: { key: "jobName", value: "n1" },
      });
      expectStatus(byId, 200);
      assert.equal(json<{ metaData: Record<string, string> }>(byId).metaData.jobName, "n1");
      const byRequest = await server.call("PATCH", "/api/jobs/edit_meta/", {
        body: {
          jobId: 42,
          cluster: "fritz",
          startTime: JOB.startTime,
          payload: { key: "k", value: "v" },
        },
      });
      expectStatus(byRequest, 200);
      assert.deepEqual(json<{ metaData: Record<string, string> }>(byRequest).metaData, {
        jobName: "n1",
        k: "v",
      });
      expectError(
        await server.call("PATCH", "/api/jobs/edit_meta/", { body: { payload: { key: "k" } } }),
        400,
        "the field 'jobId' is required",
      );
      expectError(
        await server.call("PATCH", "/api/jobs/edit_meta/", {
          body: { jobId: 99, payload: { key: "k", value: "v" } },
        }),
        422,
        "finding job failed: sql: no rows in result set",
      );
      expectError(
        await server.call("PATCH", "/api/jobs/edit_meta/999999", {
          body: { key: "k", value: "v" },
        }),
        404,
        "finding job failed: sql: no rows in result set",
      );
    });

    await t.step("used nodes: running jobs started before ts, per cluster", async () => {
      const used = await server.call("GET", `/api/jobs/used_nodes?ts=${JOB.startTime + 1}`);
      expectStatus(used, 200);
      assert.deepEqual(json(used), { usedNodes: { fritz: ["f0101", "f0102"] } });
      expectError(
        await server.call("GET", "/api/jobs/used_nodes?ts=x"),
        400,
        'invalid timestamp format: strconv.ParseInt: parsing "x": invalid syntax',
      );
    });

    await t.step("clusters, users, user updates", async () => {
      const clusters = await server.call("GET", "/api/clusters/");
      expectStatus(clusters, 200);
      assert.deepEqual(
        json<{ clusters: { name: string }[] }>(clusters).clusters.map((c) => c.name).toSorted(),
        ["alex", "emmy", "fritz"],
      );
      const fritz = await server.call("GET", "/api/clusters/?cluster=fritz");
      assert.equal(json<{ clusters: unknown[] }>(fritz).clusters.length, 1);
      const users = await server.call("GET", "/api/users/");
      expectStatus(users, 200);
      assert.deepEqual(
        json<{ username: string }[]>(users).map((u) => u.username).toSorted(),
        ["admin", "plain"],
      );
      const notJustUsers = await server.call("GET", "/api/users/?not-just-user=true");
      assert.deepEqual(json<{ username: string }[]>(notJustUsers).map((u) => u.username), [
        "admin",
      ]);
      const role = await server.call("POST", "/api/user/plain", {
        body: { "add-role": "manager" },
      });
      expectStatus(role, 200);
      assert.deepEqual(json(role), { msg: "Add Role Success for user plain" });
      const project = await server.call("POST", "/api/user/plain", {
        body: { "add-project": "proj" },
      });
      assert.deepEqual(json(project), { msg: "Add Project Success for user plain" });
      expectError(
        await server.call("POST", "/api/user/plain", { body: {} }),
        400,
        "no operation specified: must provide add-role, remove-role, add-project, or remove-project",
      );
      expectError(
        await server.call("POST", "/api/user/plain", { body: { "add-role": "manager" } }),
        422,
        "adding role failed: user plain already has role manager",
      );
    });

    await t.step("node states and health check", async () => {
      for (const path of ["/api/nodestate/", "/api/healthcheck", "/api/healthcheck/"]) {
        const response = await server.call("POST", path, {
          body: {
            cluster: "fritz",
            nodes: [{
              hostname: "f0101",
              states: ["allocated"],
              cpusAllocated: 72,
              jobsRunning: 1,
            }],
          },
        });
        expectStatus(response, 200);
        assert.equal(json<{ stored: number }>(response).stored, 1, show(response));
      }
    });

    await t.step("metric store: write, debug, free", async () => {
      const write = await server.call("POST", "/api/write/?cluster=fritz", {
        body: "mem_used,hostname=f0101,type=node value=12.5 1700000000\n",
      });
      expectStatus(write, 200);
      assert.equal(json<{ accepted: number }>(write).accepted, 1);
      const debug = await server.call("GET", "/api/debug?selector=fritz:f0101");
      expectStatus(debug, 200);
      assert.ok(debug.text.includes("mem_used"), show(debug));
      const free = await server.call("POST", "/api/free?to=1800000000", {
        body: [["fritz", "f0101"]],
      });
      expectStatus(free, 200);
      assert.match(free.text, /^buffers freed: \d+\n$/);
    });

    await t.step("machine state: stored and read back", async () => {
      const put = await server.call("PUT", "/api/machine_state/fritz/f0101", {
        body: '{"cpus": 72}',
      });
      expectStatus(put, 201);
      const get = await server.call("GET", "/api/machine_state/fritz/f0101");
      expectStatus(get, 200);
      assert.equal(get.text, '{"cpus": 72}');
      expectStatus(await server.call("GET", "/api/machine_state/fritz/f0199"), 404);
      // fetch normalizes a bare ".." away; these reach the handler.
      for (const host of ["..x", "a%5Cb", "%00"]) {
        const response = await server.call("PUT", `/api/machine_state/fritz/${host}`, {
          body: "{}",
        });
        expectError(response, 400, /^invalid host name /);
      }
    });

    await t.step("deletes: by request, by id, before a time", async () => {
      expectError(
        await server.call("DELETE", "/api/jobs/delete_job/", { body: { jobId: 99 } }),
        422,
        "finding job failed: sql: no rows in result set",
      );
      const other = await dbIdOf(server, 43);
      const byRequest = await server.call("DELETE", "/api/jobs/delete_job/", {
        body: { jobId: 43, cluster: "fritz" },
      });
      expectStatus(byRequest, 200);
      assert.deepEqual(json(byRequest), { msg: `Successfully deleted job ${other}` });
      const byId = await server.call("DELETE", `/api/jobs/delete_job/${id}`);
      assert.deepEqual(json(byId), { msg: `Successfully deleted job ${id}` });
      expectError(
        await server.call("DELETE", "/api/jobs/delete_job_before/1?omit-tagged=some"),
        400,
        "omit-tagged must be one of: none, all, user",
      );
      const before = await server.call("DELETE", "/api/jobs/delete_job_before/2000000000");
      expectStatus(before, 200);
      assert.deepEqual(json(before), { msg: "Successfully deleted 1 jobs" });
      const empty = await server.call("GET", "/api/jobs/");
      assert.deepEqual(json<{ jobs: unknown[] }>(empty).jobs, []);
    });

    await t.step("no answer was an empty 200 or a crash", () => {
      assert.deepEqual(badAnswers(server.responses), []);
    });
  }, {
    config: (config) => config.main["machine-state-dir"] = "./var/machine-state",
  });
  assert.deepEqual(crashLines(stderr), []);
});
