import assert from "node:assert/strict";
import { JobRepository } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import { withSite } from "../importer/test_helpers.ts";
import { JobHooks } from "./job_hooks.ts";
import { startJob } from "./start_job.ts";
import { stopJob } from "./stop_job.ts";

function start(jobId: number, startTime: number) {
  return {
    jobId,
    user: "u",
    project: "p",
    cluster: "fritz",
    numNodes: 1,
    resources: [{ hostname: "f0101" }],
    startTime,
  };
}

Deno.test("stopJob() stores state and duration, then calls the stop hooks", async () => {
  await withSite(async ({ db, archive }) => {
    const hooks = new JobHooks();
    const seen: string[] = [];
    hooks.onJobStopped((job) => {
      // The hook runs after the database update: it sees the stopped row.
      const row = new JobRepository(db).findById(job.id!)!;
      seen.push(`${job.jobState}/${job.duration}/${row.jobState}/${row.duration}`);
    });
    startJob(start(2001, 1234567890), { db, archive });
    const job = stopJob(
      {
        jobId: 2001,
        cluster: "fritz",
        startTime: 1234567890,
        jobState: "completed",
        stopTime: 1234571490,
      },
      { db, archive, hooks },
    );
    assert.equal(job.jobState, "completed");
    assert.equal(job.duration, 3600);
    await Promise.resolve();
    assert.deepEqual(seen, ["completed/3600/completed/3600"]);
  }, { archive: "fixture" });
});

Deno.test("stopJob() rejects bad requests without touching the job or the hooks", async (t) => {
  await withSite(async ({ db, archive }) => {
    const hooks = new JobHooks();
    let calls = 0;
    hooks.onJobStopped(() => void calls++);
    startJob(start(2003, 1234567910), { db, archive });
    const rejects = (request: Parameters<typeof stopJob>[0], status: number, message: RegExp) =>
      assert.throws(
        () => stopJob(request, { db, archive, hooks }),
        (e: unknown) => e instanceof AppError && e.status === status && message.test(e.message),
      );
    await t.step("missing jobId", () => {
      rejects({ cluster: "fritz", jobState: "completed", stopTime: 1 }, 400, /'jobId' is required/);
    });
    await t.step("invalid state", () => {
      rejects(
        { jobId: 2003, jobState: "invalid_state", stopTime: 1234567920 },
        400,
        /invalid requested job state: "invalid_state"$/,
      );
    });
    await t.step("stop before start", () => {
      rejects({ jobId: 2003, stopTime: 1234567900 }, 400, /must be larger\/equal than startTime/);
    });
    await t.step("unknown job", () => {
      rejects({ jobId: 99999, stopTime: 1 }, 404, /^finding job failed: sql: no rows/);
    });
    assert.equal(new JobRepository(db).find(2003)!.jobState, "running");
    assert.equal(calls, 0);
  }, { archive: "fixture" });
});
