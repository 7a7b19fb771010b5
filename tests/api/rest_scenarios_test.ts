/**
 * The original's REST API scenarios (cc-backend `api_test.go`: TestRestApi
 * and TestStopJobWithReusedJobId) over real HTTP against `main.ts -server`,
 * on the fixture cluster `fritz` (host `f0101` of subcluster `main` stands in
 * for the original's `host123` of `sc1`). There is no `job_cache` here (see
 * docs/compat.md), so no sync step is needed between start and lookup.
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

/** A job as the API answers it (the keys these tests look at). */
interface JobJson {
  id: number;
  jobId: number;
  user: string;
  project: string;
  cluster: string;
  subCluster: string;
  partition?: string;
  walltime?: number;
  arrayJobId?: number;
  numNodes: number;
  numHwthreads?: number;
  numAcc?: number;
  monitoringStatus?: number;
  smt?: number;
  jobState: string;
  duration: number;
  startTime: number;
  resources: { hostname: string; hwthreads?: number[] }[];
  metaData: Record<string, string> | null;
}

const HWTHREADS = [0, 1, 2, 3, 4, 5, 6, 7];

/** The original's first start body, on fritz. */
const START_123 = {
  jobId: 123,
  user: "testuser",
  project: "testproj",
  cluster: "fritz",
  partition: "default",
  walltime: 3600,
  arrayJobId: 0,
  numNodes: 1,
  numHwthreads: 8,
  numAcc: 0,
  shared: "none",
  monitoringStatus: 1,
  smt: 1,
  resources: [{ hostname: "f0101", hwthreads: HWTHREADS }],
  metaData: { jobScript: "blablabla..." },
  startTime: 123456789,
};

/** cpu_load of f0101 each minute of job 123: 0.0, 0.1, ..., 1.6. */
const CPU_LOAD = Array.from({ length: 17 }, (_, i) => i / 10);
const CPU_LOAD_LINES = CPU_LOAD.map((value, i) =>
  `cpu_load,cluster=fritz,hostname=f0101,type=node value=${value} ${123456789 + 60 * i}\n`
).join("");

function expectStatus(response: ApiResponse, status: number): void {
  assert.equal(response.status, status, show(response));
}

/** The jobs with `jobId` on fritz, newest first (the original's `FindAll`). */
async function findAll(server: ApiServer, jobId: number): Promise<JobJson[]> {
  const response = await server.call("GET", "/api/jobs/?cluster=fritz&items-per-page=1000");
  expectStatus(response, 200);
  return json<{ jobs: JobJson[] }>(response).jobs.filter((j) => j.jobId === jobId);
}

/** The one job with `jobId` (and `startTime` when given), read by its DB id with metaData. */
async function find(server: ApiServer, jobId: number, startTime?: number): Promise<JobJson> {
  const matches = (await findAll(server, jobId)).filter((j) =>
    startTime === undefined || j.startTime === startTime
  );
  assert.ok(matches.length >= 1, `no job ${jobId} (start ${startTime}) on fritz`);
  const response = await server.call("GET", `/api/jobs/${matches[0].id}`);
  expectStatus(response, 200);
  return json<{ Meta: JobJson }>(response).Meta;
}

function checkInvariants(server: ApiServer): void {
  assert.deepEqual(badAnswers(server.responses), []);
}

Deno.test("TestRestApi over HTTP: start, stop, archive, double start, failed job, used nodes", async (t) => {
  const stderr = await withApiServer(async (server) => {
    let dbId = 0;

    await t.step("StartJob: 201, stored with the subcluster assigned from its host", async () => {
      const response = await server.call("POST", "/api/jobs/start_job/", { body: START_123 });
      expectStatus(response, 201);
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
      assert.equal(response.text, '{"msg":"success"}\n');
      const job = await find(server, 123, 123456789);
      dbId = job.id;
      assert.equal(job.jobId, 123);
      assert.equal(job.user, "testuser");
      assert.equal(job.project, "testproj");
      assert.equal(job.cluster, "fritz");
      assert.equal(job.subCluster, "main");
      assert.equal(job.partition, "default");
      assert.equal(job.walltime, 3600);
      assert.equal(job.arrayJobId ?? 0, 0);
      assert.equal(job.numNodes, 1);
      assert.equal(job.numHwthreads, 8);
      assert.equal(job.numAcc ?? 0, 0);
      assert.equal(job.monitoringStatus, 1);
      assert.equal(job.smt, 1);
      assert.equal(job.jobState, "running");
      assert.deepEqual(job.resources, [{ hostname: "f0101", hwthreads: HWTHREADS }]);
      assert.equal(job.startTime, 123456789);
      assert.deepEqual(job.metaData, { jobScript: "blablabla..." });
    });

    await t.step("the job's node load is written to the metric store", async () => {
      const response = await server.call("POST", "/api/write", { body: CPU_LOAD_LINES });
      expectStatus(response, 200);
      assert.deepEqual(json(response), { accepted: 17, rejected: [], rejectedTotal: 0 });
    });

    await t.step("StopJob: 200 with state completed and duration 1000; metadata kept", async () => {
      const response = await server.call("POST", "/api/jobs/stop_job/", {
        body: {
          jobId: 123,
          startTime: 123456789,
          cluster: "fritz",
          jobState: "completed",
          stopTime: 123457789,
        },
      });
      expectStatus(response, 200);
      const stopped = json<JobJson>(response);
      assert.equal(stopped.id, dbId);
      assert.equal(stopped.jobState, "completed");
      assert.equal(stopped.duration, 1000);
      const job = await find(server, 123, 123456789);
      assert.equal(job.jobState, "completed");
      assert.equal(job.duration, 1000);
      assert.deepEqual(job.metaData, { jobScript: "blablabla..." });
    });

    await t.step("CheckArchive: the archiver archives the stopped job with its data", async () => {
      let job: JobJson | undefined;
      for (let i = 0; i < 100; i++) {
        job = await find(server, 123, 123456789);
        if (job.monitoringStatus !== 1) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(job?.monitoringStatus, 3, "not archived within 5 s");
      // The archived data, as the original compares it with what its loader returned.
      const response = await server.call("POST", `/api/jobs/${dbId}`, { body: ["cpu_load"] });
      expectStatus(response, 200);
      const body = json<{ Meta: JobJson; Data: unknown }>(response);
      assert.equal(body.Meta.id, dbId);
      assert.deepEqual(body.Data, [{
        name: "cpu_load",
        scope: "node",
        metric: {
          unit: { base: "" },
          timestep: 60,
          series: [{
            hostname: "f0101",
            statistics: { min: 0, avg: 0.8, max: 1.6 },
            data: CPU_LOAD,
          }],
        },
      }]);
      // The list reads the statistics of archived jobs from meta.json.
      const list = await server.call("GET", "/api/jobs/?start-time=123456789-123456789");
      const [listed] = json<{ jobs: { statistics: Record<string, unknown> }[] }>(list).jobs;
      assert.deepEqual(listed.statistics.cpu_load, {
        unit: { base: "" },
        avg: 0.8,
        min: 0,
        max: 1.6,
      });
    });

    await t.step(
      "CheckDoubleStart: the same jobId 1 s later on the same cluster is 422",
      async () => {
        const response = await server.call("POST", "/api/jobs/start_job/", {
          body: { ...START_123, startTime: 123456790 },
        });
        expectStatus(response, 422);
        assert.deepEqual(json(response), {
          status: "Unprocessable Entity",
          error: `a job with that jobId, cluster and startTime already exists: dbid: ${dbId}, ` +
            "jobid: 123",
        });
        assert.equal((await findAll(server, 123)).length, 1);
      },
    );

    await t.step("StartJobFailed: a job without hwthreads and metadata starts (201)", async () => {
      const response = await server.call("POST", "/api/jobs/start_job/", {
        body: {
          jobId: 12345,
          user: "testuser",
          project: "testproj",
          cluster: "fritz",
          partition: "default",
          walltime: 3600,
          numNodes: 1,
          shared: "none",
          monitoringStatus: 1,
          smt: 1,
          resources: [{ hostname: "f0101" }],
          startTime: 12345678,
        },
      });
      expectStatus(response, 201);
      const job = await find(server, 12345, 12345678);
      assert.deepEqual(job.resources, [{ hostname: "f0101" }]);
      assert.equal(job.metaData, null);
    });

    await t.step("StopJobFailed: stopped without startTime, state failed", async () => {
      const response = await server.call("POST", "/api/jobs/stop_job/", {
        body: { jobId: 12345, cluster: "fritz", jobState: "failed", stopTime: 12355678 },
      });
      expectStatus(response, 200);
      assert.equal(json<JobJson>(response).jobState, "failed");
      const job = await find(server, 12345);
      assert.equal(job.jobState, "failed");
      assert.equal(job.duration, 12355678 - 12345678);
    });

    await t.step("GetUsedNodesNoRunning: no running job, an empty usedNodes map", async () => {
      const response = await server.call("GET", "/api/jobs/used_nodes?ts=123456790");
      expectStatus(response, 200);
      assert.equal(response.text, '{"usedNodes":{}}\n');
    });

    await t.step("no answer was an empty 200 or a crash", () => checkInvariants(server));
  });
  assert.deepEqual(crashLines(stderr), []);
});

Deno.test("TestStopJobWithReusedJobId over HTTP: a reused jobId stops the new job", async (t) => {
  const stderr = await withApiServer(async (server) => {
    const start = (startTime: number) =>
      server.call("POST", "/api/jobs/start_job/", {
        body: { ...START_123, jobId: 999, metaData: undefined, startTime },
      });

    await t.step("the first job 999 starts and is stopped as failed", async () => {
      expectStatus(await start(200000000), 201);
      const response = await server.call("POST", "/api/jobs/stop_job/", {
        body: {
          jobId: 999,
          startTime: 200000000,
          cluster: "fritz",
          jobState: "failed",
          stopTime: 200001000,
        },
      });
      expectStatus(response, 200);
      assert.equal((await find(server, 999)).jobState, "failed");
    });

    await t.step("999 again more than a day later starts (201) and stops (200)", async () => {
      expectStatus(await start(300000000), 201);
      const response = await server.call("POST", "/api/jobs/stop_job/", {
        body: {
          jobId: 999,
          startTime: 300000000,
          cluster: "fritz",
          jobState: "completed",
          stopTime: 300001000,
        },
      });
      expectStatus(response, 200);
      const stopped = json<JobJson>(response);
      assert.equal(stopped.startTime, 300000000);
      assert.equal(stopped.jobState, "completed");
      assert.equal(stopped.duration, 1000);
      const jobs = await findAll(server, 999);
      assert.deepEqual(
        jobs.map((j) => [j.startTime, j.jobState]),
        [[300000000, "completed"], [200000000, "failed"]],
      );
    });

    await t.step("without startTime the stop picks the newest job with the jobId", async () => {
      expectStatus(await start(400000000), 201);
      const response = await server.call("POST", "/api/jobs/stop_job/", {
        body: { jobId: 999, cluster: "fritz", stopTime: 400000100 },
      });
      expectStatus(response, 200);
      const stopped = json<JobJson>(response);
      assert.equal(stopped.startTime, 400000000);
      assert.equal(stopped.jobState, "completed");
      const again = await server.call("POST", "/api/jobs/stop_job/", {
        body: { jobId: 999, cluster: "fritz", stopTime: 400000200 },
      });
      expectStatus(again, 422);
      assert.match(json<{ error: string }>(again).error, /job has already been stopped/);
    });

    await t.step("no answer was an empty 200 or a crash", () => checkInvariants(server));
  });
  assert.deepEqual(crashLines(stderr), []);
});
