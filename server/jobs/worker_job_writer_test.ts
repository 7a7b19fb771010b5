import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { JobRepository, migrateUp, openDatabase } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import { type TestSite, withSite } from "../importer/test_helpers.ts";
import { inProcessJobWriter, type JobWriter } from "./job_writer.ts";
import { prepareStart, type StartJobRequest } from "./start_job.ts";
import type { StopJobRequest } from "./stop_job.ts";
import { openJobWriter } from "./worker_job_writer.ts";

function request(jobId: number, startTime: number): StartJobRequest {
  return {
    jobId,
    user: "u",
    project: "p",
    cluster: "fritz",
    numNodes: 1,
    resources: [{ hostname: "f0101" }],
    startTime,
    tags: [{ type: "app", name: "gromacs" }],
  };
}

/** What a write did: the value's key facts, or the error's status and text. */
async function outcome(write: Promise<unknown>): Promise<string> {
  try {
    const value = await write as { id?: number; jobState?: string; job?: { jobState: string } };
    return `ok ${value.jobState ?? value.job?.jobState}`;
  } catch (error) {
    assert.ok(error instanceof AppError, `not an AppError: ${error}`);
    return `${error.status} ${error.message}`;
  }
}

async function withWriter(
  fn: (writer: JobWriter, site: TestSite) => Promise<void>,
  open: (site: TestSite) => Promise<JobWriter> = (site) => openJobWriter(site.db),
): Promise<void> {
  await withSite(async (site) => {
    const writer = await open(site);
    try {
      await fn(writer, site);
    } finally {
      await writer.close();
    }
  }, { archive: "fixture" });
}

Deno.test("the worker writer stores starts and stops that the main connection sees at once", async () => {
  await withWriter(async (writer, site) => {
    const started = await writer.start(prepareStart(request(7001, 1_700_000_000), site));
    const jobs = new JobRepository(site.db);
    const row = jobs.findById(started.id);
    assert.equal(row?.jobState, "running");
    assert.equal(row?.subCluster, "main");
    assert.deepEqual(started.job.tags?.map((t) => `${t.type}:${t.name}:${t.scope}`), [
      "app:gromacs:global",
    ]);
    const stopped = await writer.stop({
      jobId: 7001,
      cluster: "fritz",
      startTime: 1_700_000_000,
      stopTime: 1_700_000_600,
      jobState: "failed",
    });
    assert.equal(stopped.id, started.id);
    assert.equal(stopped.duration, 600);
    const after = jobs.findById(started.id);
    assert.equal(after?.jobState, "failed");
    assert.equal(after?.duration, 600);
  });
});

Deno.test("the worker writer answers errors with the in-process writer's statuses and texts", async () => {
  const stops: StopJobRequest[] = [
    { jobId: 9999, cluster: "fritz", stopTime: 1_700_000_100 }, // unknown job: 404
    { jobId: 7002, cluster: "fritz", stopTime: 1_600_000_000 }, // before its start: 400
    { jobId: 7002, cluster: "fritz", stopTime: 1_700_000_100, jobState: "exploded" }, // 400
    { jobId: 7002, cluster: "fritz", stopTime: 1_700_000_100 }, // ok
    { jobId: 7002, cluster: "fritz", stopTime: 1_700_000_200 }, // already stopped: 422
    { cluster: "fritz", stopTime: 1 }, // no jobId: 400
  ];
  const run = async (writer: JobWriter, site: TestSite) => {
    const results = [
      await outcome(writer.start(prepareStart(request(7002, 1_700_000_000), site))),
      await outcome(writer.start(prepareStart(request(7002, 1_700_000_000), site))), // 422
    ];
    for (const stop of stops) results.push(await outcome(writer.stop(stop)));
    return results;
  };
  let viaWorker: string[] = [];
  let inProcess: string[] = [];
  await withWriter(async (writer, site) => void (viaWorker = await run(writer, site)));
  await withWriter(
    async (writer, site) => void (inProcess = await run(writer, site)),
    (site) => Promise.resolve(inProcessJobWriter(site.db)),
  );
  assert.deepEqual(viaWorker, inProcess);
  assert.deepEqual(viaWorker.map((r) => r.split(" ")[0]), [
    "ok",
    "422",
    "404",
    "400",
    "400",
    "ok",
    "422",
    "400",
  ]);
  assert.match(viaWorker[1], /already exists: dbid: \d+, jobid: 7002/);
  assert.match(viaWorker[2], /finding job failed: sql: no rows in result set/);
});

Deno.test("of concurrent identical starts on the worker writer exactly one wins", async () => {
  await withWriter(async (writer, site) => {
    const results = await Promise.all(
      Array.from(
        { length: 24 },
        () => outcome(writer.start(prepareStart(request(7003, 1_700_000_000), site))),
      ),
    );
    assert.equal(results.filter((r) => r.startsWith("ok")).length, 1);
    assert.equal(results.filter((r) => r.startsWith("422 ")).length, 23);
    const count = site.db.prepare("SELECT count(*) AS n FROM job WHERE job_id = 7003").get();
    assert.equal(count?.n, 1);
  });
});

Deno.test("the worker writer keeps every write of a burst, and close() waits for them", async () => {
  await withWriter(async (writer, site) => {
    // Several event-loop turns of writes: the worker gets more than one batch.
    const writes: Promise<unknown>[] = [];
    for (let turn = 0; turn < 5; turn++) {
      for (let i = 0; i < 100; i++) {
        const n = turn * 100 + i;
        writes.push(writer.start(prepareStart(request(8000 + n, 1_700_000_000 + n), site)));
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    // Closing while writes are queued: it drains them first.
    await writer.close();
    const results = await Promise.allSettled(writes);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 500);
    const count = site.db.prepare("SELECT count(*) AS n FROM job WHERE job_id >= 8000").get();
    assert.equal(count?.n, 500);
    // The writes are committed: a new connection sees them too.
    const other = new DatabaseSync(site.db.location()!, { readOnly: true });
    try {
      assert.equal(other.prepare("SELECT count(*) AS n FROM jobtag").get()?.n, 500);
    } finally {
      other.close();
    }
  });
});

Deno.test("openJobWriter() writes in-process for a database without a file", async () => {
  const db = openDatabase(":memory:");
  try {
    migrateUp(db);
    const writer = await openJobWriter(db);
    assert.equal(
      await outcome(writer.stop({ jobId: 1, cluster: "fritz", stopTime: 2 })),
      "404 finding job failed: sql: no rows in result set",
    );
    await writer.close();
    await writer.close();
  } finally {
    db.close();
  }
});
