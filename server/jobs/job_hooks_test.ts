import assert from "node:assert/strict";
import type { Job } from "../archive/types.ts";
import { setLogSink } from "../log/logger.ts";
import { JobHooks } from "./job_hooks.ts";

const job = { id: 1, jobId: 2, cluster: "fritz", jobState: "completed" } as Job;

Deno.test("JobHooks calls each subscriber with its own copy of the job", async () => {
  const hooks = new JobHooks();
  const seen: Job[] = [];
  hooks.onJobStopped((j) => {
    j.jobState = "failed";
    seen.push(j);
  });
  hooks.onJobStopped((j) => void seen.push(j));
  await hooks.jobStopped(job);
  assert.equal(seen.length, 2);
  assert.equal(seen[1].jobState, "completed");
  assert.equal(job.jobState, "completed");
});

Deno.test("JobHooks keeps start and stop subscribers apart and can unsubscribe", async () => {
  const hooks = new JobHooks();
  const events: string[] = [];
  const off = hooks.onJobStarted(() => void events.push("started"));
  hooks.onJobStopped(() => void events.push("stopped"));
  await hooks.jobStarted(job);
  off();
  await hooks.jobStarted(job);
  await hooks.jobStopped(job);
  assert.deepEqual(events, ["started", "stopped"]);
});

Deno.test("JobHooks announces archived jobs to their own subscribers", async () => {
  const hooks = new JobHooks();
  const events: string[] = [];
  hooks.onJobStopped(() => void events.push("stopped"));
  const off = hooks.onJobArchived((j) => void events.push(`archived ${j.id}`));
  await hooks.jobArchived(job);
  off();
  await hooks.jobArchived(job);
  assert.deepEqual(events, ["archived 1"]);
});

Deno.test("JobHooks logs a failing hook and still runs the others", async () => {
  const hooks = new JobHooks();
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    let ran = false;
    hooks.onJobStopped(function archiveJob() {
      throw new Error("disk full");
    });
    hooks.onJobStopped(async () => {
      await Promise.resolve();
      ran = true;
    });
    await hooks.jobStopped(job);
    assert.ok(ran);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /job stopped hook archiveJob failed for job 1 .*: disk full/);
  } finally {
    setLogSink(previous);
  }
});
