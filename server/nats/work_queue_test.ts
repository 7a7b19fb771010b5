import assert from "node:assert/strict";
import { setLogSink } from "../log/logger.ts";
import { WorkQueue } from "./work_queue.ts";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => resolve = r);
  return { promise, resolve };
}

Deno.test("WorkQueue runs at most `workers` handlers at once", async () => {
  let running = 0;
  let peak = 0;
  const done: number[] = [];
  const queue = new WorkQueue<number>(async (n) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 5));
    done.push(n);
    running--;
  }, { workers: 3, name: "test" });
  for (let i = 0; i < 10; i++) await queue.push(i);
  await queue.drain();
  assert.equal(peak, 3);
  assert.deepEqual(done.toSorted((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

Deno.test("WorkQueue.push() waits while the queue is full", async () => {
  const gate = deferred();
  const queue = new WorkQueue<number>(() => gate.promise, { workers: 1, capacity: 1, name: "t" });
  assert.equal(await queue.push(1), true); // taken by the worker
  assert.equal(await queue.push(2), true); // fills the queue
  let third = false;
  const pushed = queue.push(3).then(() => third = true);
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(third, false);
  gate.resolve();
  await pushed;
  assert.equal(third, true);
  await queue.drain();
  assert.equal(await queue.push(4), false);
});

Deno.test("WorkQueue logs a throwing handler and keeps working", async () => {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    const seen: number[] = [];
    const queue = new WorkQueue<number>((n) => {
      if (n === 1) throw new Error("boom");
      seen.push(n);
      return Promise.resolve();
    }, { workers: 1, name: "nats test" });
    await queue.push(1);
    await queue.push(2);
    await queue.drain();
    assert.deepEqual(seen, [2]);
    assert.ok(lines.some((l) => l.includes("nats test: handling a message failed: boom")));
  } finally {
    setLogSink(previous);
  }
});
