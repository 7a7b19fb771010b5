import assert from "node:assert/strict";
import { setLogSink } from "../log/logger.ts";
import { FakeClock } from "./fake_clock.ts";
import { Scheduler } from "./scheduler.ts";

const MIN = 60_000;
const START = Date.parse("2025-06-10T00:00:00Z");

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => resolve = r);
  return { promise, resolve };
}

async function quietly<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    return { result: await fn(), lines };
  } finally {
    setLogSink(previous);
  }
}

Deno.test("Scheduler runs interval tasks one interval after start, then every interval", async () => {
  const clock = new FakeClock(START);
  const scheduler = new Scheduler(clock.schedulerOptions("UTC"));
  const runs: number[] = [];
  scheduler.add({
    name: "tick",
    schedule: { every: 5 * MIN },
    run: () => void runs.push(clock.now()),
  });
  scheduler.start();
  assert.equal(scheduler.nextRun("tick"), START + 5 * MIN);
  await clock.advance(5 * MIN - 1);
  assert.deepEqual(runs, []);
  await clock.advance(1);
  await clock.advance(10 * MIN);
  assert.deepEqual(runs, [START + 5 * MIN, START + 10 * MIN, START + 15 * MIN]);
  await scheduler.stop();
  assert.equal(clock.pending, 0);
});

Deno.test("Scheduler runs daily tasks at the wall-clock time in its zone", async () => {
  const clock = new FakeClock(Date.parse("2025-03-28T12:00:00Z"));
  const scheduler = new Scheduler(clock.schedulerOptions("Europe/Berlin"));
  const runs: string[] = [];
  scheduler.add({
    name: "nightly",
    schedule: { dailyAt: { hour: 3, minute: 0 } },
    run: () => void runs.push(new Date(clock.now()).toISOString()),
  });
  scheduler.start();
  await clock.advance(3 * 24 * 60 * MIN);
  assert.deepEqual(runs, [
    "2025-03-29T02:00:00.000Z",
    "2025-03-30T01:00:00.000Z", // DST began: still 03:00 local
    "2025-03-31T01:00:00.000Z",
  ]);
  await scheduler.stop();
});

Deno.test("Scheduler never overlaps runs of one task and skips the run that came due", async () => {
  const clock = new FakeClock(START);
  const scheduler = new Scheduler(clock.schedulerOptions("UTC"));
  const gate = deferred();
  let started = 0;
  let finished = 0;
  scheduler.add({
    name: "slow",
    schedule: { every: MIN },
    run: async () => {
      started++;
      await gate.promise;
      finished++;
    },
  });
  scheduler.start();
  const { lines } = await quietly(async () => {
    await clock.advance(MIN); // starts
    await clock.advance(MIN); // due again while busy: skipped
    await clock.advance(MIN);
  });
  assert.equal(started, 1);
  assert.equal(lines.filter((l) => l.includes("slow is still running")).length, 2);
  gate.resolve();
  await clock.advance(0);
  assert.equal(finished, 1);
  await clock.advance(MIN);
  assert.equal(started, 2);
  await scheduler.stop();
});

Deno.test("Scheduler does not make up missed runs", async () => {
  let now = START;
  const timers: (() => void)[] = [];
  const scheduler = new Scheduler({
    now: () => now,
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => {},
  });
  let runs = 0;
  scheduler.add({ name: "t", schedule: { every: MIN }, run: () => void runs++ });
  scheduler.start();
  now = START + 10 * MIN + 30_000; // the machine slept through ten runs
  timers.shift()!();
  await Promise.resolve();
  assert.equal(runs, 1);
  assert.equal(scheduler.nextRun("t"), START + 11 * MIN);
  await scheduler.stop();
});

Deno.test("Scheduler splits waits longer than setTimeout allows", async () => {
  const clock = new FakeClock(START);
  const delays: number[] = [];
  const options = clock.schedulerOptions("UTC");
  const scheduler = new Scheduler({
    ...options,
    setTimer: (fn, ms) => {
      delays.push(ms);
      return options.setTimer!(fn, ms);
    },
  });
  let runs = 0;
  const every = 2000 * 3600_000; // "2000h"
  scheduler.add({ name: "rare", schedule: { every }, run: () => void runs++ });
  scheduler.start();
  assert.equal(delays[0], 2 ** 31 - 1);
  await clock.advance(every - 1);
  assert.equal(runs, 0);
  await clock.advance(1);
  assert.equal(runs, 1);
  await scheduler.stop();
});

Deno.test("Scheduler logs a failing run and keeps the schedule", async () => {
  const clock = new FakeClock(START);
  const scheduler = new Scheduler(clock.schedulerOptions("UTC"));
  let runs = 0;
  scheduler.add({
    name: "flaky",
    schedule: { every: MIN },
    run: () => {
      runs++;
      throw new Error("database is locked");
    },
  });
  scheduler.start();
  const { lines } = await quietly(() => clock.advance(2 * MIN));
  assert.equal(runs, 2);
  assert.ok(lines.some((l) => l.includes("flaky failed: database is locked")));
  await scheduler.stop();
});

Deno.test("Scheduler.stop() cancels timers and waits for the running task", async () => {
  const clock = new FakeClock(START);
  const scheduler = new Scheduler(clock.schedulerOptions("UTC"));
  const gate = deferred();
  let finished = false;
  let runs = 0;
  scheduler.add({
    name: "busy",
    schedule: { every: MIN },
    run: async () => {
      runs++;
      await gate.promise;
      finished = true;
    },
  });
  scheduler.add({ name: "idle", schedule: { dailyAt: { hour: 3, minute: 0 } }, run: () => {} });
  scheduler.start();
  await clock.advance(MIN);
  let stopped = false;
  const stopping = scheduler.stop().then(() => stopped = true);
  await clock.advance(0);
  assert.equal(stopped, false);
  assert.equal(clock.pending, 0);
  gate.resolve();
  await stopping;
  assert.equal(finished, true);
  await clock.advance(10 * MIN);
  assert.equal(runs, 1);
  assert.equal(await scheduler.runNow("busy"), false);
});

Deno.test("Scheduler.add() rejects bad schedules and duplicate names", () => {
  const scheduler = new Scheduler();
  const run = () => {};
  assert.throws(() => scheduler.add({ name: "a", schedule: { every: 0 }, run }), /not positive/);
  assert.throws(() => scheduler.add({ name: "a", schedule: { every: NaN }, run }), /not positive/);
  assert.throws(
    () => scheduler.add({ name: "a", schedule: { dailyAt: { hour: 25, minute: 0 } }, run }),
    /invalid hour 25/,
  );
  scheduler.add({ name: "a", schedule: { every: 1 }, run });
  assert.throws(() => scheduler.add({ name: "a", schedule: { every: 1 }, run }), /exists/);
  assert.deepEqual(scheduler.taskNames, ["a"]);
});

Deno.test("Scheduler with real timers runs and stops cleanly", async () => {
  const scheduler = new Scheduler();
  const ran = deferred();
  scheduler.add({ name: "fast", schedule: { every: 5 }, run: () => ran.resolve() });
  scheduler.start();
  await ran.promise;
  await scheduler.stop();
});
