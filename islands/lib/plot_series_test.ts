import assert from "node:assert/strict";
import { linesLength, linesMax, plotLines, seriesLabel } from "./plot_series.ts";

const DATA = {
  timestep: 60,
  series: [
    { hostname: "e1", id: "0", data: [1, 2, null], statistics: { min: 1, avg: 1.5, max: 2 } },
    { hostname: "e2", id: "1", data: [3, 4, 5], statistics: { min: 3, avg: 4, max: 5 } },
  ],
  statisticsSeries: { min: [1, 2, 5], max: [3, 4, 5], mean: [], median: [2, 3, 5] },
};

Deno.test("seriesLabel() names series by host or by scope and id", () => {
  const s = { hostname: "f0101", id: "3", data: [] };
  assert.equal(seriesLabel(s, "node", true), "f0101");
  assert.equal(seriesLabel(s, "core", false), "core #3");
  assert.equal(seriesLabel(s, "core", true), "f0101: core #3");
  assert.equal(seriesLabel(s, "accelerator", false), "Acc #3");
});

Deno.test("plotLines() gives raw series, one host's series, or the statistics band", () => {
  const raw = plotLines(DATA, { scope: "node", stats: false, host: null, multiNode: true });
  assert.equal(raw.kind, "raw");
  assert.deepEqual(raw.labels, ["e1", "e2"]);
  assert.deepEqual(raw.averages, [1.5, 4]);
  assert.equal(linesMax(raw), 5);
  assert.equal(linesLength(raw), 3);
  const one = plotLines(DATA, { scope: "node", stats: false, host: "e2", multiNode: true });
  assert.deepEqual(one.values, [[3, 4, 5]]);
  const stats = plotLines(DATA, { scope: "node", stats: true, host: "e2", multiNode: true });
  assert.equal(stats.kind, "stats");
  assert.deepEqual(stats.labels, ["min", "max", "median"], "median stands in for a missing mean");
  assert.deepEqual(stats.values[2], [2, 3, 5]);
  assert.deepEqual(stats.averages, []);
  const noStats = plotLines({ timestep: 60, series: [{ hostname: "x", data: [1] }] }, {
    scope: "node",
    stats: false,
    host: null,
    multiNode: false,
  });
  assert.deepEqual(noStats.averages, [], "no background without statistics");
});
