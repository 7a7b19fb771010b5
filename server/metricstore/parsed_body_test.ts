import { deepEqual, equal, notEqual, throws } from "node:assert/strict";
import { type ParsedPiece, ParseRecorder } from "./parsed_body.ts";
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

Deno.test("ParseRecorder sends a body ahead in pieces, each with the levels it saw first", () => {
  const pieces: ParsedPiece[] = [];
  const recorder = new ParseRecorder(testRegistry(), {
    maxStandIns: 3,
    pieceSamples: 2,
    onPiece: (piece) => pieces.push(piece),
  });
  recorder.begin();
  const hosts = ["f1", "f2", "f3"].map((h) => recorder.ensureLevel(["fritz", h]));
  recorder.writeSample(hosts[0], 0, 1000, 1, 1);
  recorder.writeSample(hosts[1], 0, 1000, 2, 2);
  recorder.writeSample(hosts[0], 1, 1000, 3, 3);
  const f4 = recorder.ensureLevel(["fritz", "f4"]);
  recorder.writeSample(f4, 0, 1000, 4, 4);
  recorder.writeSample(hosts[2], 0, 1000, 5, 5);
  const last = recorder.take(RESULT);
  equal(pieces.length, 2);
  deepEqual(pieces.map((p) => p.count), [2, 2]);
  equal(last.count, 1);
  // The levels numbered before the first piece go with it; f4 with the second.
  deepEqual(pieces[0].newLevels, [["fritz", "f1"], ["fritz", "f2"], ["fritz", "f3"]]);
  equal(pieces[0].firstNewId, 0);
  deepEqual(pieces[1].newLevels, [["fritz", "f4"]]);
  equal(pieces[1].firstNewId, 3);
  deepEqual(last.newLevels, []);
  deepEqual([...pieces[1].values.subarray(0, 2)], [3, 4]);
  deepEqual([...last.lines.subarray(0, 1)], [5]);
  // Each piece has arrays of its own, of the piece's size: they do not grow with the body.
  deepEqual([...pieces, last].map((p) => p.levels.length), [2, 2, 2]);
  notEqual(pieces[0].values.buffer, pieces[1].values.buffer);
  notEqual(pieces[1].values.buffer, last.values.buffer);
  // Past maxStandIns the numbering starts over: only the body's first piece says so.
  recorder.begin();
  const again = recorder.ensureLevel(["fritz", "f9"]);
  for (let i = 0; i < 3; i++) recorder.writeSample(again, 0, 2000 + i, i, i + 1);
  const end = recorder.take(RESULT);
  deepEqual(pieces.slice(2).map((p) => [p.reset, p.firstNewId, p.count]), [[true, 0, 2]]);
  deepEqual([end.reset, end.firstNewId, end.count], [false, 1, 1]);
});

Deno.test("ParseRecorder refuses a piece size that is not a positive integer", () => {
  for (const pieceSamples of [0, -1, 1.5, NaN, undefined]) {
    throws(
      () => new ParseRecorder(testRegistry(), { pieceSamples, onPiece: () => {} }),
      /pieceSamples must be a positive integer/,
    );
  }
});
