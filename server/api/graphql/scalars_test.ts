import assert from "node:assert/strict";
import { Kind } from "graphql";
import {
  formatTime,
  JobStateScalar,
  MISSING_SAMPLE,
  NullableFloatScalar,
  parseTime,
  round2,
  TimeScalar,
} from "./scalars.ts";

Deno.test("formatTime() prints RFC 3339 in the process' time zone, as Go does", () => {
  const text = formatTime(1_714_644_672);
  assert.equal(Date.parse(text) / 1000, 1_714_644_672);
  const offset = -new Date(1_714_644_672_000).getTimezoneOffset();
  if (offset === 0) assert.equal(text, "2024-05-02T10:11:12Z");
  else assert.match(text, /^2024-05-02T\d\d:\d\d:12[+-]\d\d:\d\d$/);
  assert.match(formatTime(1.5), /:01\.5(Z|[+-])/);
});

Deno.test("parseTime() reads RFC 3339 with fractions and offsets, and nothing else", () => {
  assert.equal(parseTime("2024-05-02T08:11:12.345Z"), 1_714_637_472.345);
  assert.equal(parseTime("2024-05-02T10:11:12+02:00"), 1_714_637_472);
  for (const bad of ["2024-05-02", "yesterday", "1714637472", 1714637472, null]) {
    assert.throws(() => parseTime(bad), /RFC 3339/);
  }
  assert.equal(
    TimeScalar.coerceInputLiteral!({ kind: Kind.STRING, value: "2024-05-02T08:11:12Z" }),
    1_714_637_472,
  );
});

Deno.test("NullableFloat: NaN is null when written, values are rounded to two decimals", () => {
  const out = (v: unknown) => NullableFloatScalar.coerceOutputValue(v);
  assert.equal(out(12.3456), 12.35);
  assert.equal(out(-0.125), -0.13);
  assert.equal(out(NaN), MISSING_SAMPLE);
  assert.equal(out(Infinity), MISSING_SAMPLE);
  assert.equal(JSON.stringify([out(1), out(NaN)]), "[1,null]");
  assert.equal(round2(2.675), 2.68);
});

Deno.test("JobState accepts the twelve states only", () => {
  assert.equal(JobStateScalar.coerceInputValue("running"), "running");
  assert.throws(() => JobStateScalar.coerceInputValue("stopped"), /invalid job state "stopped"/);
  assert.throws(() => JobStateScalar.coerceInputValue(3), /must be a string/);
});
