import assert from "node:assert/strict";
import { normalize } from "./normalize.ts";

Deno.test("normalize() scales large values up a prefix", () => {
  assert.deepEqual(normalize(2048, "M"), { factor: 1e-3, prefix: "G" });
  assert.deepEqual(normalize(2_500_000, "K"), { factor: 1e-6, prefix: "G" });
  assert.deepEqual(normalize(1500, ""), { factor: 1e-3, prefix: "K" });
  assert.deepEqual(normalize(1500, "k"), { factor: 1e-3, prefix: "M" });
});

Deno.test("normalize() scales small values down a prefix", () => {
  assert.deepEqual(normalize(0.5, "G"), { factor: 1e3, prefix: "M" });
  assert.deepEqual(normalize(0.0005, "G"), { factor: 1e6, prefix: "K" });
  assert.deepEqual(normalize(0.5, ""), { factor: 1e3, prefix: "m" });
});

Deno.test("normalize() leaves values in range and non-positive values alone", () => {
  assert.deepEqual(normalize(1000, "M"), { factor: 1, prefix: "M" });
  assert.deepEqual(normalize(1, "G"), { factor: 1, prefix: "G" });
  assert.deepEqual(normalize(0, "G"), { factor: 1, prefix: "G" });
  assert.deepEqual(normalize(-5000, "G"), { factor: 1, prefix: "G" });
  assert.deepEqual(normalize(NaN, "G"), { factor: 1, prefix: "G" });
});

Deno.test("normalize() keeps cc-lib's prefix quirks", () => {
  // Unknown prefixes count as exponent 0.
  assert.deepEqual(normalize(2048, "X"), { factor: 1e-3, prefix: "K" });
  // Sub-unit prefixes count as exponent 0 as well.
  assert.deepEqual(normalize(2048, "m"), { factor: 1e-3, prefix: "K" });
  // A result beyond the known prefixes.
  assert.deepEqual(normalize(1e-12, ""), { factor: 1e12, prefix: "inval" });
});
