import assert from "node:assert/strict";
import { StopRetries } from "./stop_retries.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("StopRetries retries with backoff until the attempt succeeds", async () => {
  const retries = new StopRetries({ firstDelayMs: 5, maxDelayMs: 20, deadlineMs: 5_000 });
  let attempts = 0;
  let gaveUp = false;
  retries.add("fritz/1", () => ++attempts >= 3, () => gaveUp = true);
  assert.equal(retries.size, 1);
  while (retries.size > 0) await sleep(5);
  assert.equal(attempts, 3);
  assert.equal(gaveUp, false);
});

Deno.test("StopRetries gives up after the deadline", async () => {
  const retries = new StopRetries({ firstDelayMs: 5, maxDelayMs: 10, deadlineMs: 40 });
  let waited = -1;
  retries.add("fritz/1", () => false, (ms) => waited = ms);
  while (retries.size > 0) await sleep(5);
  assert.ok(waited >= 40, `waited ${waited} ms`);
});

Deno.test("StopRetries.wake() retries the stops of one key at once", () => {
  const retries = new StopRetries({ firstDelayMs: 60_000 });
  let ready = false;
  const done: string[] = [];
  retries.add("fritz/1", () => ready && done.push("a") > 0, () => {});
  retries.add("fritz/2", () => done.push("b") > 0, () => {});
  retries.wake("fritz/1"); // still not ready: keeps waiting
  assert.equal(retries.size, 2);
  ready = true;
  retries.wake("fritz/1");
  assert.deepEqual(done, ["a"]);
  retries.flush(); // b succeeds in its last attempt
  assert.deepEqual(done, ["a", "b"]);
  assert.equal(retries.size, 0);
});

Deno.test("StopRetries.flush() gives up on stops that still fail", () => {
  const retries = new StopRetries({ firstDelayMs: 60_000 });
  const gaveUp: string[] = [];
  retries.add("k", () => false, () => gaveUp.push("k"));
  retries.flush();
  assert.deepEqual(gaveUp, ["k"]);
  assert.equal(retries.size, 0);
});
