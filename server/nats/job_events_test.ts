import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { JobRepository } from "../db/mod.ts";
import { withSite } from "../importer/test_helpers.ts";
import { setLogSink } from "../log/logger.ts";
import { quoteFieldString } from "./event_line.ts";
import { JobEventHandler } from "./job_events.ts";

const encoder = new TextEncoder();
const TS = "1234567890000000000";

function startPayload(jobId: number, startTime: number, extra: Record<string, unknown> = {}) {
  return {
    jobId,
    user: "testuser1",
    project: "testproj1",
    cluster: "fritz",
    partition: "main",
    walltime: 7200,
    numNodes: 1,
    numHwthreads: 8,
    numAcc: 0,
    shared: "none",
    monitoringStatus: 1,
    smt: 1,
    resources: [{ hostname: "f0101", hwthreads: [0, 1, 2, 3, 4, 5, 6, 7] }],
    startTime,
    ...extra,
  };
}

function line(fn: string, payload: unknown): string {
  const json = typeof payload === "string" ? payload : JSON.stringify(payload);
  return `job,function=${fn} event=${quoteFieldString(json)} ${TS}`;
}

function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

function jobCount(db: DatabaseSync, jobId: number): number {
  const row = db.prepare("SELECT count(*) AS n FROM job WHERE job_id = ?").get(jobId);
  return Number((row as { n: number }).n);
}

/** Runs `fn` with a handler on a fresh site, capturing the log. */
async function withHandler(
  fn: (h: JobEventHandler, db: DatabaseSync, log: string[]) => Promise<void> | void,
  retry = { firstDelayMs: 5, maxDelayMs: 20, deadlineMs: 200 },
): Promise<void> {
  const lines: string[] = [];
  const previous = setLogSink((l) => lines.push(l));
  try {
    await withSite(async ({ db, archive }) => {
      const handler = new JobEventHandler({
        subject: "cc.job.event",
        deps: { db, archive },
        retry,
      });
      try {
        await fn(handler, db, lines);
      } finally {
        handler.flush();
      }
    }, { archive: "fixture" });
  } finally {
    setLogSink(previous);
  }
}

Deno.test("JobEventHandler starts a job (the original's TestNatsHandleStartJob)", async (t) => {
  await withHandler(async (h, db, log) => {
    await t.step("a valid start is stored as running", () => {
      h.handle(bytes(line("start_job", startPayload(1001, 1234567890))));
      const job = new JobRepository(db).find(1001, { cluster: "fritz", startTime: 1234567890 });
      assert.equal(job?.user, "testuser1");
      assert.equal(job?.jobState, "running");
      assert.equal(h.counter.stats.accepted, 1);
    });
    await t.step("a jobId of the wrong type is rejected by the decoder", () => {
      h.handle(bytes(line("start_job", { jobId: "not a number", user: "testuser2" })));
      assert.match(log.at(-1)!, /start_job: parsing event failed: json: field "jobId"/);
    });
    await t.step("no cluster: rejected by the sanity check", () => {
      h.handle(bytes(line("start_job", { jobId: 1002 })));
      assert.match(log.at(-1)!, /start_job jobId 1002: no such cluster: /);
      assert.equal(jobCount(db, 1002), 0);
    });
    await t.step("an unknown field is rejected", () => {
      h.handle(bytes(line("start_job", startPayload(1003, 1234567900, { unknownField: 1 }))));
      assert.match(log.at(-1)!, /json: unknown field "unknownField"/);
      assert.equal(jobCount(db, 1003), 0);
    });
    await t.step("a start with tags stores the job and its tags", () => {
      const tags = [{ type: "test", name: "testtag", scope: "global" }];
      h.handle(bytes(line("start_job", startPayload(1004, 1234567910, { tags }))));
      assert.equal(jobCount(db, 1004), 1);
    });
    await t.step("invalid JSON", () => {
      h.handle(bytes(line("start_job", "{not json")));
      assert.match(log.at(-1)!, /start_job: parsing event failed: invalid JSON/);
    });
    assert.equal(h.counter.stats.messages, 6);
    assert.equal(h.counter.stats.accepted, 2);
    assert.equal(h.counter.stats.rejected, 4);
  });
});

Deno.test("JobEventHandler stops jobs (TestNatsHandleStopJob)", async (t) => {
  await withHandler(async (h, db, log) => {
    const jobs = new JobRepository(db);
    h.handle(bytes(line("start_job", startPayload(2001, 1234567890))));
    await t.step("completed, with duration", () => {
      h.handle(bytes(line("stop_job", {
        jobId: 2001,
        cluster: "fritz",
        startTime: 1234567890,
        jobState: "completed",
        stopTime: 1234571490,
      })));
      const job = jobs.find(2001, { cluster: "fritz" });
      assert.equal(job?.jobState, "completed");
      assert.equal(job?.duration, 3600);
    });
    await t.step("failed", () => {
      h.handle(bytes(line("start_job", startPayload(2002, 1234567900))));
      h.handle(bytes(line("stop_job", {
        jobId: 2002,
        cluster: "fritz",
        startTime: 1234567900,
        jobState: "failed",
        stopTime: 1234569900,
      })));
      assert.equal(jobs.find(2002)?.jobState, "failed");
    });
    await t.step("bad requests are rejected with the REST messages", () => {
      h.handle(bytes(line("stop_job", { jobId: "not a number" })));
      assert.match(log.at(-1)!, /stop_job: parsing event failed: json: field "jobId"/);
      h.handle(bytes(line("stop_job", { cluster: "fritz", jobState: "completed", stopTime: 1 })));
      assert.match(log.at(-1)!, /the field 'jobId' is required/);
      h.handle(bytes(line("start_job", startPayload(2003, 1234567910))));
      h.handle(
        bytes(line("stop_job", { jobId: 2003, jobState: "invalid_state", stopTime: 1234567999 })),
      );
      assert.match(log.at(-1)!, /invalid requested job state: "invalid_state"/);
      h.handle(bytes(line("start_job", startPayload(2004, 1234567920))));
      h.handle(bytes(line("stop_job", { jobId: 2004, stopTime: 1234567900 })));
      assert.match(log.at(-1)!, /stopTime 1234567900 must be larger\/equal than startTime/);
      assert.equal(jobs.find(2004)?.jobState, "running");
    });
    await t.step("a stop of a stopped job is rejected at once", () => {
      h.handle(bytes(line("stop_job", { jobId: 2001, stopTime: 1234571490 })));
      assert.match(log.at(-1)!, /job has already been stopped \(state is: completed\)/);
    });
    await t.step("an unknown job is retried, then rejected", async () => {
      h.handle(bytes(line("stop_job", { jobId: 99999, stopTime: 1234571490 })));
      assert.equal(h.pendingStops, 1);
      assert.equal(h.counter.stats.retried, 1);
      while (h.pendingStops > 0) await new Promise((r) => setTimeout(r, 10));
      assert.match(
        log.at(-1)!,
        /stop_job jobId 99999: finding job failed: sql: no rows in result set \(no matching start_job within/,
      );
    });
  });
});

Deno.test("JobEventHandler retries a stop that arrives before its start", async () => {
  await withHandler((h, db) => {
    const stop = { jobId: 3001, cluster: "fritz", startTime: 1234567890, stopTime: 1234567990 };
    h.handle(bytes(line("stop_job", stop)));
    assert.equal(h.pendingStops, 1);
    h.handle(bytes(line("start_job", startPayload(3001, 1234567890))));
    // The start wakes the waiting stop at once.
    assert.equal(h.pendingStops, 0);
    const job = new JobRepository(db).find(3001);
    assert.equal(job?.jobState, "completed");
    assert.equal(job?.duration, 100);
    assert.equal(h.counter.stats.accepted, 2);
    assert.equal(h.counter.stats.rejected, 0);
  }, { firstDelayMs: 60_000, maxDelayMs: 60_000, deadlineMs: 60_000 });
});

Deno.test("JobEventHandler prevents duplicate starts", async () => {
  await withHandler((h, db, log) => {
    h.handle(bytes(line("start_job", startPayload(5001, 1234567890))));
    h.handle(bytes(line("start_job", startPayload(5001, 1234567900))));
    assert.equal(jobCount(db, 5001), 1);
    assert.match(log.at(-1)!, /a job with that jobId, cluster and startTime already exists/);
  });
});

Deno.test("JobEventHandler edge cases (TestNatsHandleJobEventEdgeCases)", async (t) => {
  await withHandler(async (h, db, log) => {
    await t.step("a line without string field event is ignored", () => {
      h.handle(bytes(`job,function=start_job value=123.45 ${TS}`));
      h.handle(bytes(`job,function=start_job other_field="value" ${TS}`));
      assert.equal(h.counter.stats.ignored, 2);
    });
    await t.step("another measurement is ignored", () => {
      h.handle(bytes(`wrongmeasurement,function=start_job event="{}" ${TS}`));
      assert.equal(h.counter.stats.ignored, 3);
    });
    await t.step("a missing or unknown function is rejected", () => {
      h.handle(bytes(`job event="{}" ${TS}`));
      assert.match(log.at(-1)!, /without tag "function"/);
      h.handle(bytes(`job,function=unknown_function event="{}" ${TS}`));
      assert.match(log.at(-1)!, /unknown function "unknown_function"/);
    });
    await t.step("an empty payload is rejected", () => {
      h.handle(bytes(`job,function=start_job event="" ${TS}`));
      assert.match(log.at(-1)!, /start_job: payload is empty/);
    });
    await t.step("empty data and free text are rejected", () => {
      h.handle(bytes(""));
      assert.match(log.at(-1)!, /received empty message/);
      h.handle(bytes("invalid line protocol format"));
      assert.match(log.at(-1)!, /line 1: field "line" has no value/);
    });
    await t.step("every line of a message is handled", () => {
      h.handle(bytes(`${line("start_job", {})}\n${line("stop_job", {})}`));
      assert.match(log.at(-2)!, /line 1: start_job jobId \(none\): no such cluster: /);
      assert.match(log.at(-1)!, /line 2: stop_job jobId \(none\): the field 'jobId' is required/);
    });
    await t.step("a bad line does not cost the good ones after it", () => {
      h.handle(bytes(`garbage\n${line("start_job", startPayload(4001, 1234567890))}`));
      assert.equal(jobCount(db, 4001), 1);
    });
    await t.step("an escaped quote inside the JSON survives", () => {
      h.handle(bytes(line("start_job", { user: 'test"user', cluster: "test" })));
      assert.match(log.at(-1)!, /no such cluster: test/);
    });
    await t.step("a missing timestamp is rejected", () => {
      h.handle(bytes(`job,function=start_job event="{}"`));
      assert.match(log.at(-1)!, /timestamp cannot be zero/);
    });
  });
});
