import assert from "node:assert/strict";
import { fixed2, fixed2f32, goFloat, goString } from "./go_json.ts";

Deno.test("fixed2() formats two decimals like Go, ties to even", () => {
  assert.equal(fixed2(0.1), "0.10");
  assert.equal(fixed2(3), "3.00");
  assert.equal(fixed2(17.98), "17.98");
  assert.equal(fixed2(0.125), "0.12");
  assert.equal(fixed2(0.375), "0.38");
  assert.equal(fixed2(2.625), "2.62");
  assert.equal(fixed2(-0.125), "-0.12");
  assert.equal(fixed2(1.005), "1.00"); // 1.005 is 1.00499999... in binary
  assert.equal(fixed2(-0.001), "-0.00");
  assert.equal(fixed2(-0), "-0.00");
  assert.equal(fixed2(1e21), "1000000000000000000000.00");
  assert.equal(fixed2(NaN), "null");
  assert.equal(fixed2(Infinity), "null");
});

Deno.test("fixed2f32() rounds to float32 first", () => {
  assert.equal(fixed2f32(1.21951219512195), "1.22");
  assert.equal(fixed2f32(0.015), "0.01"); // float32(0.015) = 0.01499999966...
  assert.equal(fixed2f32(16777217), "16777216.00");
});

Deno.test("goFloat() and goString() match Go's encoding/json", () => {
  assert.equal(goFloat(0.510204081632653), "0.510204081632653");
  assert.equal(goFloat(1e-7), "1e-7");
  assert.equal(goFloat(1e21), "1e+21");
  assert.equal(goFloat(-0), "-0");
  assert.equal(goFloat(NaN), "null");
  assert.equal(goString('a<b>&"c"\n'), '"a\\u003cb\\u003e\\u0026\\"c\\"\\n"');
});
