import assert from "node:assert/strict";
import { backgroundLevel, plotYMax, scopeThresholds } from "./plot_thresholds.ts";

const COUNTS = { socket: 2, memoryDomain: 4, core: 72, hwthread: 72, accelerator: 0 };
const FLOPS = { peak: 5600, normal: 1000, caution: 200, alert: 50, aggregation: "sum" };

Deno.test("scopeThresholds() divides summed metrics by the units per node", () => {
  assert.deepEqual(scopeThresholds(FLOPS, { scope: "node", counts: COUNTS }), {
    peak: 5600,
    normal: 1000,
    caution: 200,
    alert: 50,
  });
  assert.deepEqual(scopeThresholds(FLOPS, { scope: "socket", counts: COUNTS }), {
    peak: 2800,
    normal: 500,
    caution: 100,
    alert: 25,
  });
  assert.equal(scopeThresholds(FLOPS, { scope: "core", counts: COUNTS }).peak, 5600 / 72);
  assert.deepEqual(
    scopeThresholds({ ...FLOPS, aggregation: "avg" }, { scope: "core", counts: COUNTS }),
    { peak: 5600, normal: 1000, caution: 200, alert: 50 },
  );
  assert.equal(
    scopeThresholds(FLOPS, { scope: "accelerator", counts: COUNTS }).peak,
    5600,
    "no accelerators: unscaled",
  );
});

Deno.test("backgroundLevel() compares the mean of the averages with the thresholds", () => {
  const t = { peak: 100, normal: 50, caution: 20, alert: 10 };
  assert.equal(backgroundLevel([5, 7], t), "alert");
  assert.equal(backgroundLevel([15, 25], t), "caution");
  assert.equal(backgroundLevel([60], t), null);
  assert.equal(backgroundLevel([], t), null);
  const lower = { peak: 256, normal: 128, caution: 200, alert: 240 };
  assert.equal(backgroundLevel([250], lower), "alert");
  assert.equal(backgroundLevel([210], lower), "caution");
  assert.equal(backgroundLevel([100], lower), null);
});

Deno.test("plotYMax() leaves room above data and normal, capped at ten times the peak", () => {
  const t = { peak: 100, normal: 50, caution: 20, alert: 10 };
  assert.equal(plotYMax(20, t), 55.00000000000001);
  assert.equal(plotYMax(80, t), 88);
  assert.equal(plotYMax(5000, t), 1000);
  assert.equal(plotYMax(-Infinity, { ...t, normal: 0 }), 1);
});
