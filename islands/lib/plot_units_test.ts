import assert from "node:assert/strict";
import {
  formatDuration,
  formatNumber,
  formatRuntime,
  roundTwoDigits,
  unitText,
} from "./plot_units.ts";

Deno.test("formatNumber() uses SI prefixes and two decimals", () => {
  assert.equal(formatNumber(1234567), "1.23 M");
  assert.equal(formatNumber(12.345), "12.35");
  assert.equal(formatNumber(-2500), "-2.5 k");
  assert.equal(formatNumber(null), "-");
  assert.equal(formatNumber(NaN), "-");
  assert.equal(roundTwoDigits(3.14159), 3.14);
});

Deno.test("unitText() joins prefix and base", () => {
  assert.equal(unitText({ prefix: "G", base: "B/s" }), "GB/s");
  assert.equal(unitText({ base: "load" }), "load");
  assert.equal(unitText(null), "");
});

Deno.test("formatDuration() and formatRuntime() format seconds", () => {
  assert.equal(formatDuration(86486), "24:01:26");
  assert.equal(formatDuration(59), "0:00:59");
  assert.equal(formatRuntime(0), "0m");
  assert.equal(formatRuntime(1500), "25m");
  assert.equal(formatRuntime(7200), "2h");
  assert.equal(formatRuntime(5400), "1:30h");
  assert.equal(formatRuntime(-5400), "-1:30h");
});
