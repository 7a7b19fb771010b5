import assert from "node:assert/strict";
import { REFRESH_INTERVALS, refreshesMetrics } from "./refresher.tsx";

Deno.test("the refresher offers cc-backend's intervals", () => {
  assert.deepEqual(REFRESH_INTERVALS.map(([s]) => s), [0, 30, 60, 120, 300]);
  assert.equal(REFRESH_INTERVALS[0][1], "No Interval");
});

Deno.test("only running jobs with metric data refresh their metrics", () => {
  assert.equal(refreshesMetrics({ state: "running", monitoringStatus: 1 }), true);
  assert.equal(refreshesMetrics({ state: "running", monitoringStatus: 3 }), true);
  assert.equal(refreshesMetrics({ state: "running", monitoringStatus: 0 }), false);
  assert.equal(refreshesMetrics({ state: "completed", monitoringStatus: 1 }), false);
  assert.equal(refreshesMetrics({ state: "failed", monitoringStatus: 1 }), false);
});
