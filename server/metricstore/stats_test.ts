import { deepEqual, equal } from "node:assert/strict";
import { quantile, seriesStats, statisticsSeries } from "./stats.ts";
import { values } from "./test_helpers.ts";

Deno.test("seriesStats() ignores NaN", () => {
  deepEqual(seriesStats([1, NaN, 3, 5]), { min: 1, avg: 3, max: 5, samples: 3 });
  deepEqual(seriesStats([NaN, NaN]), { min: NaN, avg: NaN, max: NaN, samples: 0 });
  deepEqual(seriesStats([]), { min: NaN, avg: NaN, max: NaN, samples: 0 });
});

Deno.test("quantile() interpolates linearly", () => {
  equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  equal(quantile([1, 2, 3], 0.5), 2);
  equal(quantile([10, 20, 30, 40, 50], 0.25), 20);
  equal(quantile([10, 20], 0.1), 11);
  equal(quantile([], 0.5), NaN);
});

Deno.test("statisticsSeries() computes per-step statistics across series", () => {
  const s = statisticsSeries(
    [[1, 10, 5], [2, 20, NaN], [3, 30, 7], [4, NaN, 9], [5, 50]],
    { percentiles: [25, 75] },
  );
  deepEqual(values(s.min), [1, 10, 5]);
  deepEqual(values(s.max), [5, 50, 9]);
  deepEqual(values(s.mean), [3, 27.5, 7]);
  // Median over real values only (not with 0 for missing ones).
  deepEqual(values(s.median), [3, 25, 7]);
  deepEqual(values(s.percentiles.get(25)), [2, 17.5, 6]);
  deepEqual(values(s.percentiles.get(75)), [4, 35, 8]);
});

Deno.test("statisticsSeries() gives NaN with fewer than minSeries values", () => {
  const s = statisticsSeries([[1, NaN], [2, NaN], [3, 7]]);
  deepEqual(values(s.median), [2, NaN]);
  deepEqual(values(statisticsSeries([[1], [2]]).max), [NaN]);
  deepEqual(values(statisticsSeries([[1], [2]], { minSeries: 1 }).max), [2]);
});
