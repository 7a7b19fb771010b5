import assert from "node:assert/strict";
import { nextDailyTime } from "./wall_clock.ts";

const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);

Deno.test("nextDailyTime() finds today's or tomorrow's time in a zone", async (t) => {
  await t.step("later today", () => {
    const next = nextDailyTime(at("2025-06-10T00:30:00Z"), { hour: 3, minute: 0 }, {
      timeZone: "UTC",
    });
    assert.equal(iso(next), "2025-06-10T03:00:00.000Z");
  });
  await t.step("exactly at the time means the next day", () => {
    const next = nextDailyTime(at("2025-06-10T03:00:00Z"), { hour: 3, minute: 0 }, {
      timeZone: "UTC",
    });
    assert.equal(iso(next), "2025-06-11T03:00:00.000Z");
  });
  await t.step("across midnight and a month end in local time", () => {
    // 23:59 CEST on 30 June is 21:59Z; 03:00 CEST on 1 July is 01:00Z.
    const next = nextDailyTime(at("2025-06-30T21:59:00Z"), { hour: 3, minute: 0 }, {
      timeZone: "Europe/Berlin",
    });
    assert.equal(iso(next), "2025-07-01T01:00:00.000Z");
  });
  await t.step("across a year end west of UTC", () => {
    const next = nextDailyTime(at("2025-12-31T23:30:00-05:00"), { hour: 2, minute: 0 }, {
      timeZone: "America/New_York",
    });
    assert.equal(iso(next), "2026-01-01T07:00:00.000Z");
  });
});

Deno.test("nextDailyTime() keeps local wall-clock time across DST changes", async (t) => {
  const berlin = { timeZone: "Europe/Berlin" };
  await t.step("03:00 stays 03:00 local when clocks spring forward (a 23 h day)", () => {
    const first = nextDailyTime(at("2025-03-28T12:00:00Z"), { hour: 3, minute: 0 }, berlin);
    assert.equal(iso(first), "2025-03-29T02:00:00.000Z"); // 03:00 CET
    const second = nextDailyTime(first, { hour: 3, minute: 0 }, berlin);
    assert.equal(iso(second), "2025-03-30T01:00:00.000Z"); // 03:00 CEST
    assert.equal(second - first, 23 * 3600_000);
  });
  await t.step("a time inside the spring gap runs once, shifted past the gap", () => {
    const first = nextDailyTime(at("2025-03-29T12:00:00Z"), { hour: 2, minute: 30 }, berlin);
    assert.equal(iso(first), "2025-03-30T01:30:00.000Z"); // 03:30 CEST
    const second = nextDailyTime(first, { hour: 2, minute: 30 }, berlin);
    assert.equal(iso(second), "2025-03-31T00:30:00.000Z"); // 02:30 CEST
  });
  await t.step("a time that occurs twice when clocks fall back runs once", () => {
    const first = nextDailyTime(at("2025-10-25T12:00:00Z"), { hour: 2, minute: 30 }, berlin);
    assert.equal(iso(first), "2025-10-26T00:30:00.000Z"); // first 02:30 (CEST)
    const second = nextDailyTime(first, { hour: 2, minute: 30 }, berlin);
    assert.equal(iso(second), "2025-10-27T01:30:00.000Z"); // 02:30 CET the next day
  });
  await t.step("03:00 after the fall-back is 25 h after the day before", () => {
    const first = nextDailyTime(at("2025-10-24T12:00:00Z"), { hour: 3, minute: 0 }, berlin);
    assert.equal(iso(first), "2025-10-25T01:00:00.000Z"); // 03:00 CEST
    const second = nextDailyTime(first, { hour: 3, minute: 0 }, berlin);
    assert.equal(second - first, 25 * 3600_000);
  });
});

Deno.test("nextDailyTime() rejects impossible times", () => {
  assert.throws(() => nextDailyTime(0, { hour: 24, minute: 0 }), /invalid hour 24/);
  assert.throws(() => nextDailyTime(0, { hour: 3, minute: 60 }), /invalid minute 60/);
  assert.throws(() => nextDailyTime(0, { hour: 1.5, minute: 0 }), /invalid hour 1.5/);
});
