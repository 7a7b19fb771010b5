import assert from "node:assert/strict";
import { JobRepository } from "../../server/db/mod.ts";
import { NEEDS_NATS } from "./nats_server.ts";
import {
  JOB_SUBJECT,
  jobCount,
  jobEvent,
  startPayload,
  waitFor,
  withNatsSite,
} from "./nats_site.ts";

Deno.test({
  name: "NATS job events start and stop jobs in the database",
  ...NEEDS_NATS,
  fn: () =>
    withNatsSite(async ({ db, api, publish }) => {
      const jobs = new JobRepository(db);
      await publish(JOB_SUBJECT, jobEvent("start_job", startPayload(1001, 1234567890)));
      const started = await waitFor("job 1001", () => jobs.find(1001) ?? undefined);
      assert.equal(started.jobState, "running");
      assert.equal(started.user, "testuser");
      assert.equal(started.subCluster, "main");
      await publish(
        JOB_SUBJECT,
        jobEvent("stop_job", {
          jobId: 1001,
          cluster: "fritz",
          startTime: 1234567890,
          jobState: "completed",
          stopTime: 1234571490,
        }),
      );
      const stopped = await waitFor("job 1001 stopped", () => {
        const job = jobs.find(1001);
        return job?.jobState === "completed" && job;
      });
      assert.equal(stopped.duration, 3600);
      const [stats] = api.stats().subjects;
      assert.deepEqual(
        { messages: stats.messages, accepted: stats.accepted, rejected: stats.rejected },
        { messages: 2, accepted: 2, rejected: 0 },
      );
    }),
});

Deno.test({
  name: "NATS job events: malformed payloads and unknown clusters are logged and counted",
  ...NEEDS_NATS,
  fn: () =>
    withNatsSite(async ({ db, api, publish, log }) => {
      const bad: [string, RegExp][] = [
        ["invalid line protocol format", /line 1: field "line" has no value/],
        [`job,function=start_job event="{"jobId":1}" 1`, /not escaped/],
        [jobEvent("start_job", "{broken"), /start_job: parsing event failed: invalid JSON/],
        [
          jobEvent("start_job", { ...startPayload(2001, 1), unknownField: true }),
          /json: unknown field "unknownField"/,
        ],
        [jobEvent("start_job", { jobId: 2002 }), /start_job jobId 2002: no such cluster: /],
        [
          jobEvent("start_job", startPayload(2003, 1, { cluster: "nosuch" })),
          /start_job jobId 2003 on "nosuch": no such cluster: nosuch/,
        ],
        [
          jobEvent("start_job", startPayload(2004, 1, { resources: [] })),
          /job without any resources\/hosts/,
        ],
        [jobEvent("stop_job", { cluster: "fritz", stopTime: 5 }), /the field 'jobId' is required/],
        [`job,function=start_job event="{}"`, /timestamp cannot be zero/],
        [`job,function=launch_job event="{}" 1`, /unknown function "launch_job"/],
        ["", /received empty message/],
      ];
      for (const [message] of bad) await publish(JOB_SUBJECT, message);
      await waitFor("every rejection", () => api.stats().subjects[0].rejected === bad.length);
      const rejections = log.filter((l) => l.includes(`on "${JOB_SUBJECT}" rejected`));
      assert.equal(rejections.length, bad.length);
      for (const [message, reason] of bad) {
        assert.ok(
          rejections.some((line) => reason.test(line)),
          `no rejection matching ${reason} for ${JSON.stringify(message)}:\n${
            rejections.join("\n")
          }`,
        );
      }
      for (const id of [2001, 2002, 2003, 2004]) assert.equal(jobCount(db, id), 0);
      assert.match(api.stats().subjects[0].lastRejection!.reason, /received empty message/);
    }),
});

Deno.test({
  name: "NATS job events: a stop before its start is retried, then succeeds",
  ...NEEDS_NATS,
  fn: () =>
    withNatsSite(async ({ db, api, publish }) => {
      const jobs = new JobRepository(db);
      await publish(
        JOB_SUBJECT,
        jobEvent("stop_job", { jobId: 3001, cluster: "fritz", stopTime: 1234567990 }),
      );
      await waitFor("the stop to wait", () => api.stats().pendingStops === 1);
      await new Promise((r) => setTimeout(r, 100)); // a retry or two find nothing
      await publish(JOB_SUBJECT, jobEvent("start_job", startPayload(3001, 1234567890)));
      const job = await waitFor("job 3001 stopped", () => {
        const found = jobs.find(3001);
        return found?.jobState === "completed" && found;
      });
      assert.equal(job.duration, 100);
      const stats = api.stats();
      assert.equal(stats.pendingStops, 0);
      assert.equal(stats.subjects[0].retried, 1);
      assert.equal(stats.subjects[0].rejected, 0);
      assert.equal(stats.subjects[0].accepted, 2);
    }, { retry: { firstDelayMs: 20, maxDelayMs: 50, deadlineMs: 10_000 } }),
});

Deno.test({
  name: "NATS job events: a stop whose job never starts is rejected after the deadline",
  ...NEEDS_NATS,
  fn: () =>
    withNatsSite(async ({ api, publish, log }) => {
      await publish(JOB_SUBJECT, jobEvent("stop_job", { jobId: 99999, stopTime: 1234567990 }));
      await waitFor("the rejection", () => api.stats().subjects[0].rejected === 1);
      assert.match(
        log.findLast((l) => l.includes("rejected"))!,
        /stop_job jobId 99999: finding job failed: sql: no rows in result set \(no matching start_job within 0\.\d s\)/,
      );
    }, { retry: { firstDelayMs: 20, maxDelayMs: 50, deadlineMs: 300 } }),
});

Deno.test({
  name: "NATS job events: a duplicate start is rejected; one job remains",
  ...NEEDS_NATS,
  fn: () =>
    withNatsSite(async ({ db, api, publish, log }) => {
      await publish(JOB_SUBJECT, jobEvent("start_job", startPayload(5001, 1234567890)));
      await waitFor("job 5001", () => jobCount(db, 5001) === 1);
      await publish(JOB_SUBJECT, jobEvent("start_job", startPayload(5001, 1234567900)));
      await waitFor("the rejection", () => api.stats().subjects[0].rejected === 1);
      assert.equal(jobCount(db, 5001), 1);
      assert.match(
        log.findLast((l) => l.includes("rejected"))!,
        /a job with that jobId, cluster and startTime already exists: dbid: \d+, jobid: 5001/,
      );
    }),
});

Deno.test({
  name: "NATS job events: many messages with several workers, several lines per message",
  ...NEEDS_NATS,
  fn: () =>
    withNatsSite(async ({ db, api, publish }) => {
      const jobs = new JobRepository(db);
      const ids = Array.from({ length: 40 }, (_, i) => 6000 + i);
      // Stops and starts interleaved and partly reversed: ordering must not matter.
      for (const id of ids) {
        const stop = jobEvent("stop_job", { jobId: id, cluster: "fritz", stopTime: 1234567990 });
        const start = jobEvent("start_job", startPayload(id, 1234567890));
        await publish(JOB_SUBJECT, id % 2 === 0 ? `${start}\n${stop}` : stop);
        if (id % 2 === 1) await publish(JOB_SUBJECT, start);
      }
      await waitFor(
        "all jobs stopped",
        () => ids.every((id) => jobs.find(id)?.jobState === "completed"),
        10_000,
      );
      const [stats] = api.stats().subjects;
      assert.equal(stats.accepted, 80);
      assert.equal(stats.rejected, 0);
    }, { jobConcurrency: 8, retry: { firstDelayMs: 10, maxDelayMs: 50, deadlineMs: 10_000 } }),
});

Deno.test({
  name: "NATS API stop() handles every message received and settles waiting stops",
  ...NEEDS_NATS,
  fn: () =>
    withNatsSite(async ({ db, api, publishAll, log }) => {
      const ids = Array.from({ length: 1000 }, (_, i) => 10_000 + i);
      await publishAll(JOB_SUBJECT, [
        ...ids.map((id) => jobEvent("start_job", startPayload(id, 1))),
        jobEvent("stop_job", { jobId: 77777, stopTime: 2 }),
      ]);
      // Most of the messages are still on their way or queued when stop() begins.
      await api.stop();
      for (const id of ids) assert.equal(jobCount(db, id), 1, `job ${id}`);
      const [stats] = api.stats().subjects;
      assert.deepEqual([stats.messages, stats.accepted, stats.rejected], [1001, 1000, 1]);
      assert.equal(api.stats().connection, "closed");
      assert.match(
        log.findLast((l) => l.includes("rejected"))!,
        /stop_job jobId 77777: finding job failed/,
      );
    }, { jobConcurrency: 1, retry: { firstDelayMs: 60_000, deadlineMs: 60_000 } }),
});
