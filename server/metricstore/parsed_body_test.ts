import { deepEqual, equal, notEqual } from "node:assert/strict";
import { ParseRecorder } from "./parsed_body.ts";
import { testRegistry } from "./test_helpers.ts";

const RESULT = { accepted: 0, rejected: [], rejectedTotal: 0 };

Deno.test("ParseRecorder hands its arrays over and reuses the ones handed back", () => {
  const recorder = new ParseRecorder(testRegistry());
  recorder.begin();
  const f1 = recorder.ensureLevel(["fritz", "f1"]);
  for (let i = 0; i < 1500; i++) recorder.writeSample(f1, 2, 1000 + i, i, i + 1);
  const first = recorder.take(RESULT);
  equal(first.count, 1500);
  deepEqual([...first.times.subarray(0, 3)], [1000, 1001, 1002]);
  deepEqual(first.newLevels, [["fritz", "f1"]]);
  // The next body writes into other arrays: the first body's stay as they were.
  recorder.begin();
  recorder.writeSample(f1, 3, 5000, 1, 1);
  const second = recorder.take(RESULT);
  notEqual(second.times.buffer, first.times.buffer);
  equal(second.count, 1);
  equal(first.times[0], 1000);
  deepEqual(second.newLevels, []);
  // Handed back, the first body's arrays are used again (for the body after the one in
  // progress), from the start.
  recorder.recycle(first);
  recorder.begin();
  recorder.writeSample(f1, 4, 6000, 2, 1);
  const third = recorder.take(RESULT);
  notEqual(third.times.buffer, first.times.buffer);
  recorder.begin();
  recorder.writeSample(f1, 5, 7000, 3, 1);
  const fourth = recorder.take(RESULT);
  equal(fourth.times.buffer, first.times.buffer);
  equal(fourth.count, 1);
  deepEqual([fourth.levels[0], fourth.metrics[0], fourth.times[0], fourth.values[0]], [
    0,
    5,
    7000,
    3,
  ]);
});
