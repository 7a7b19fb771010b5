import assert from "node:assert/strict";
import { parseNodeList } from "./nodelist.ts";

function check(expr: string, yes: string[], no: string[]): void {
  const nl = parseNodeList(expr);
  for (const h of yes) assert.ok(nl.contains(h), `${expr} should contain ${h}`);
  for (const h of no) assert.ok(!nl.contains(h), `${expr} should not contain ${h}`);
}

Deno.test("parseNodeList() matches literals and zero-padded ranges", () => {
  check(
    "hallo,wel123t,emmy[01-99],fritz[005-500],woody[100-200]",
    ["hallo", "wel123t", "emmy01", "emmy42", "emmy99", "woody100", "woody199"],
    ["hello", "woody", "fritz1", "fritz9", "fritz004", "woody201", "emmy1", "hallo1", "emmy100"],
  );
  check(
    "a[1000-2000,2010-2090,3000-5000]",
    ["a1001", "a2000", "a2042", "a4321", "a3000"],
    ["hello", "woody", "a0", "a0000", "a5001", "a2005"],
  );
  check(
    "cn-0010,cn0011,cn-00[13-18,22-24]",
    ["cn-0010", "cn0011", "cn-0013", "cn-0015", "cn-0022", "cn-0018"],
    ["cn-0019", "cn-0012", "cn0010"],
  );
  check("w11[27-45,49-63,69-72]", ["w1127", "w1145", "w1169"], ["w1146", "w1173", "w11+5"]);
  check("a[1-9]", ["a1", "a9"], ["a0", "a01", "a10"]);
  check("r[1-2]n[01-02]", ["r1n01", "r2n02"], ["r3n01", "r1n03", "r1n1"]);
});

Deno.test("parseNodeList() counts and expands every node", () => {
  const nl = parseNodeList("f[0101-0103,0201-0202],g0001");
  assert.equal(nl.count(), 6);
  assert.deepEqual(nl.expand(), ["f0101", "f0102", "f0103", "f0201", "f0202", "g0001"]);
  const multi = parseNodeList("r[1-2]n[01-03]");
  assert.equal(multi.count(), 6);
  assert.deepEqual(multi.expand(), ["r1n01", "r1n02", "r1n03", "r2n01", "r2n02", "r2n03"]);
  assert.equal(parseNodeList("w11[27-45,49-63,69-72]").count(), 19 + 15 + 4);
});

Deno.test("parseNodeList() treats * as every host", () => {
  const nl = parseNodeList("*");
  assert.ok(nl.wildcard);
  assert.ok(nl.contains("anything"));
  assert.equal(nl.count(), 0);
  assert.deepEqual(nl.expand(), []);
});

Deno.test("parseNodeList() accepts what cc-backend accepts: empty terms, reversed ranges", () => {
  assert.deepEqual(parseNodeList("a,,b").expand(), ["a", "b"]);
  assert.deepEqual(parseNodeList("a,").expand(), ["a"]);
  assert.equal(parseNodeList("").count(), 0);
  assert.equal(parseNodeList("").contains(""), false);
  const reversed = parseNodeList("a[10-05],b");
  assert.equal(reversed.count(), 1);
  assert.equal(reversed.contains("a07"), false);
  assert.deepEqual(reversed.expand(), ["b"]);
});

Deno.test("parseNodeList() rejects malformed expressions with position", async (t) => {
  const cases: [string, RegExp][] = [
    ["a[01-10", /"a\[01-10" at position 1: unclosed '\['/],
    ["a01]", /at position 3: '\]' without '\['/],
    ["a[1-10]", /do not have the same number of digits/],
    ["a[5]", /has no '-'/],
    ["a[-5]", /lacks a number/],
    ["a[0x-10]", /at position 3: unexpected character "x"/],
    ["a b", /at position 1: unexpected character " "/],
    ["a*", /unexpected character "\*"/],
    ["-a", /at position 0: unexpected character "-"/],
    ["a[]", /has no '-'/],
    ["x/../y", /unexpected character "\/"/],
  ];
  for (const [expr, re] of cases) {
    await t.step(JSON.stringify(expr), () => {
      assert.throws(() => parseNodeList(expr), re);
    });
  }
});
