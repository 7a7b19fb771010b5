import assert from "node:assert/strict";
import { goQuote, narrowInt, parseGoInt } from "./go_int.ts";

Deno.test("parseGoInt() follows strconv.ParseInt", async (t) => {
  const ok: [string, bigint][] = [
    ["0", 0n],
    ["007", 7n],
    ["+5", 5n],
    ["-5", -5n],
    ["9223372036854775807", 9223372036854775807n],
    ["-9223372036854775808", -9223372036854775808n],
  ];
  for (const [text, value] of ok) {
    await t.step(`${text} → ${value}`, () => {
      assert.deepEqual(parseGoInt(text), { ok: true, value });
    });
  }
  const bad: [string, string][] = [
    ["", "invalid syntax"],
    ["-", "invalid syntax"],
    ["+-1", "invalid syntax"],
    [" 1", "invalid syntax"],
    ["1_000", "invalid syntax"],
    ["0x10", "invalid syntax"],
    ["1e3", "invalid syntax"],
    ["9223372036854775808", "value out of range"],
    ["-9223372036854775809", "value out of range"],
    ["99999999999999999999x", "value out of range"],
    ["x99999999999999999999", "invalid syntax"],
  ];
  for (const [text, reason] of bad) {
    await t.step(`${JSON.stringify(text)} → ${reason}`, () => {
      assert.deepEqual(parseGoInt(text, { fn: "Atoi" }), {
        ok: false,
        error: `strconv.Atoi: parsing ${goQuote(text)}: ${reason}`,
      });
    });
  }
});

Deno.test("goQuote() escapes as strconv.Quote", () => {
  assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goQuote("\n\t\x01\x7f"), '"\\n\\t\\x01\\x7f"');
  assert.equal(goQuote("äö€"), '"äö€"');
});

Deno.test("narrowInt() keeps exact values", () => {
  assert.equal(narrowInt(42n), 42);
  assert.equal(narrowInt(2n ** 60n), 2n ** 60n);
});
