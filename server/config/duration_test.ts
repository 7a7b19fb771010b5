import assert from "node:assert/strict";
import { isDuration, parseDuration } from "./duration.ts";

Deno.test("parseDuration() converts Go durations to milliseconds", async (t) => {
  const cases: [string, number][] = [
    ["0", 0],
    ["-0", 0],
    ["2000h", 2000 * 3_600_000],
    ["1h30m", 5_400_000],
    ["90s", 90_000],
    ["500ms", 500],
    ["1.5h", 5_400_000],
    ["1.1s", 1100],
    [".5s", 500],
    ["1.s", 1000],
    ["+5m", 300_000],
    ["-1h", -3_600_000],
    ["1h2m3s4ms", 3_723_004],
    ["250us", 0.25],
    ["250\u00b5s", 0.25],
    ["1500ns", 0.0015],
    ["168h", 604_800_000],
  ];
  for (const [text, ms] of cases) {
    await t.step(`${text} → ${ms}`, () => assert.equal(parseDuration(text), ms));
  }
});

Deno.test("parseDuration() rejects malformed input naming it", async (t) => {
  const cases: [string, string][] = [
    ["", 'invalid duration "": expected a number followed by a unit such as 300s, 1h30m or 1.5h'],
    ["-", 'invalid duration "-": expected a number followed by a unit such as 300s, 1h30m or 1.5h'],
    ["300", 'invalid duration "300": missing unit after "300" (use ns, us, ms, s, m or h)'],
    ["1h30", 'invalid duration "1h30": missing unit after "30" (use ns, us, ms, s, m or h)'],
    ["5d", 'invalid duration "5d": unknown unit "d"'],
    ["abc", 'invalid duration "abc": expected a number at "abc"'],
    [".h", 'invalid duration ".h": expected a number at ".h"'],
    ["1 h", 'invalid duration "1 h": unknown unit " h"'],
    ["3000000h", 'invalid duration "3000000h": out of range (longer than about 292 years)'],
  ];
  for (const [text, message] of cases) {
    await t.step(JSON.stringify(text), () => {
      assert.throws(() => parseDuration(text), { message });
    });
  }
});

Deno.test("isDuration() tells valid from invalid durations", () => {
  assert.equal(isDuration("12h"), true);
  assert.equal(isDuration("12"), false);
});
