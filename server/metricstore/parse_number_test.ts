import { equal, ok } from "node:assert/strict";
import { NumberParser } from "./parse_number.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

function value(text: string): number | string {
  const p = new NumberParser();
  const b = bytes(text);
  return p.parseValue(b, 0, b.length) ? p.value : `error: ${p.error}`;
}

function timestamp(text: string): number | string {
  const p = new NumberParser();
  const b = bytes(text);
  return p.parseTimestamp(b, 0, b.length) ? p.value : `error: ${p.error}`;
}

Deno.test("NumberParser.parseValue() reads floats exactly as Number() does", () => {
  for (
    const text of [
      "0",
      "1",
      "-1",
      "+2.5",
      "1203.3",
      "0.1",
      "3.14159",
      ".5",
      "1.",
      "-0.000123",
      "1e10",
      "1E-5",
      "2.5e+3",
      "123456789012345",
      "1234567890123456789",
      "0.30000000000000004",
      "1.7976931348623157e308",
      "5e-324",
      "00012.50",
    ]
  ) {
    equal(value(text), Number(text), text);
  }
});

Deno.test("NumberParser.parseValue() reads integers and unsigned integers", async (t) => {
  await t.step("in range", () => {
    equal(value("42i"), 42);
    equal(value("-42i"), -42);
    equal(value("42u"), 42);
    equal(value("9223372036854775807i"), 9223372036854775807);
    equal(value("-9223372036854775808i"), -9223372036854775808);
    equal(value("18446744073709551615u"), 18446744073709551615);
  });
  await t.step("out of range or malformed", () => {
    ok(String(value("9223372036854775808i")).includes("out of range"));
    ok(String(value("18446744073709551616u")).includes("out of range"));
    ok(String(value("-1u")).includes("invalid number"));
    ok(String(value("1.5i")).includes("invalid number"));
    ok(String(value("i")).includes("invalid number"));
  });
});

Deno.test("NumberParser.parseValue() accepts NaN and rejects infinities, booleans, junk", () => {
  ok(Number.isNaN(value("NaN")));
  ok(Number.isNaN(value("nan")));
  ok(Number.isNaN(value("-NaN")));
  ok(String(value("Inf")).includes("not finite"));
  ok(String(value("-inf")).includes("not finite"));
  ok(String(value("+Infinity")).includes("not finite"));
  ok(String(value("1e309")).includes("not finite"));
  ok(String(value("-1e400")).includes("not finite"));
  ok(String(value("true")).includes("boolean"));
  ok(String(value("F")).includes("boolean"));
  ok(String(value("12abc")).includes("invalid number"));
  ok(String(value("0x10")).includes("invalid number"));
  ok(String(value("1e")).includes("invalid number"));
  ok(String(value("-")).includes("invalid number"));
  ok(String(value("")).includes("missing"));
});

Deno.test("NumberParser.parseTimestamp() detects s, ms, us and ns by magnitude", async (t) => {
  await t.step("current epochs in every precision give the same second", () => {
    equal(timestamp("1725827464"), 1725827464);
    equal(timestamp("1725827464123"), 1725827464);
    equal(timestamp("1725827464123456"), 1725827464);
    equal(timestamp("1725827464123456789"), 1725827464);
  });
  await t.step("nanoseconds are truncated exactly, not rounded through a double", () => {
    equal(timestamp("1725827464999999999"), 1725827464);
  });
  await t.step("boundaries follow the int64 nanosecond overflow rule", () => {
    equal(timestamp("9223372036"), 9223372036); // still seconds
    equal(timestamp("9223372037"), 9223372); // milliseconds
    equal(timestamp("9223372036854"), 9223372036); // still ms
    equal(timestamp("9223372036855"), 9223372); // microseconds
    equal(timestamp("0"), 0);
    equal(timestamp("100"), 100);
  });
  await t.step("rejects negative, out-of-range and non-integer values", () => {
    ok(String(timestamp("-5")).includes("negative"));
    ok(String(timestamp("9223372036854775808")).includes("out of range"));
    ok(String(timestamp("12345678901234567890")).includes("out of range"));
    ok(String(timestamp("1725827464.5")).includes("invalid timestamp"));
    ok(String(timestamp("17e8")).includes("invalid timestamp"));
  });
});

Deno.test("parsePlainDecimal gives parseValue's value or leaves the value to it", () => {
  const p = new NumberParser();
  const q = new NumberParser();
  const enc = new TextEncoder();
  for (
    const text of [
      "0",
      "-0",
      "+7",
      "12.5",
      "-0.000125",
      ".5",
      "5.",
      "123456789012345",
      "1234567890.12345",
      "0.0000000000000000000001",
      "00012.500",
    ]
  ) {
    const buf = enc.encode(`${text} 1000`);
    const at = p.parsePlainDecimal(buf, 0, buf.length);
    equal(at, text.length, text);
    ok(q.parseValue(buf, 0, text.length), text);
    ok(Object.is(p.value, q.value), `${text}: ${p.value} against ${q.value}`);
  }
  // Not plain, too long, too small, not followed by a space: -1, for parseValue to handle.
  for (
    const text of [
      "1e5 ",
      "7i ",
      "NaN ",
      "- ",
      ". ",
      "1234567890123456 ",
      "0.00000000000000000000001 ",
      "1.5",
      "1.5,",
      "1.5\r ",
      "1.5.3 ",
    ]
  ) {
    const buf = enc.encode(text);
    equal(p.parsePlainDecimal(buf, 0, buf.length), -1, JSON.stringify(text));
  }
});
