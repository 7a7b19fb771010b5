/**
 * Statistics of metric series: min/avg/max over time (NaN ignored) and
 * per-timestep statistics across many series (the job view's
 * `statisticsSeries`: min, max, mean, median, percentiles).
 *
 * Deliberate differences to cc-backend's `AddStatisticsSeries`: the median
 * is taken over the real values only (cc-backend counts missing series as
 * 0), `mean` is filled in (cc-backend leaves it null), percentiles are
 * computed, and steps beyond the shortest series use the series that still
 * have data instead of becoming NaN.
 *
 * @module
 */

/** Min/avg/max over the non-NaN values; all NaN when there is none. */
export interface SeriesStats {
  min: number;
  avg: number;
  max: number;
  /** Number of non-NaN values. */
  samples: number;
}

/** Statistics of one series, ignoring NaN. */
export function seriesStats(data: ArrayLike<number>): SeriesStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    n++;
  }
  if (n === 0) return { min: NaN, avg: NaN, max: NaN, samples: 0 };
  return { min, avg: sum / n, max, samples: n };
}

/** Per-timestep statistics across series. */
export interface StatisticsSeries {
  min: Float64Array;
  max: Float64Array;
  mean: Float64Array;
  median: Float64Array;
  /** By percentile (e.g. 10, 25, 75, 90). */
  percentiles: Map<number, Float64Array>;
}

/** Options of {@link statisticsSeries}. */
export interface StatisticsSeriesOptions {
  /** Percentiles to compute, 0-100 (default 10, 25, 75, 90). */
  percentiles?: readonly number[];
  /** Steps with fewer real values than this are NaN (cc-backend: 3). */
  minSeries?: number;
}

/**
 * Statistics across `series` at each index up to the longest one; a
 * percentile interpolates linearly between the closest ranks.
 */
export function statisticsSeries(
  series: readonly ArrayLike<number>[],
  options: StatisticsSeriesOptions = {},
): StatisticsSeries {
  const percentiles = options.percentiles ?? [10, 25, 75, 90];
  const minSeries = Math.max(1, options.minSeries ?? 3);
  let len = 0;
  for (const s of series) if (s.length > len) len = s.length;
  const result: StatisticsSeries = {
    min: new Float64Array(len),
    max: new Float64Array(len),
    mean: new Float64Array(len),
    median: new Float64Array(len),
    percentiles: new Map(percentiles.map((p) => [p, new Float64Array(len)])),
  };
  const pArrays = percentiles.map((p) => result.percentiles.get(p)!);
  const column = new Float64Array(series.length);
  for (let t = 0; t < len; t++) {
    let n = 0;
    let sum = 0;
    for (let s = 0; s < series.length; s++) {
      const data = series[s];
      if (t >= data.length) continue;
      const v = data[t];
      if (v !== v) continue;
      column[n++] = v;
      sum += v;
    }
    if (n < minSeries) {
      result.min[t] =
        result.max[t] =
        result.mean[t] =
        result.median[t] =
          NaN;
      for (const arr of pArrays) arr[t] = NaN;
      continue;
    }
    const sorted = column.subarray(0, n).sort();
    result.min[t] = sorted[0];
    result.max[t] = sorted[n - 1];
    result.mean[t] = sum / n;
    result.median[t] = quantile(sorted, 0.5);
    for (let k = 0; k < percentiles.length; k++) {
      pArrays[k][t] = quantile(sorted, percentiles[k] / 100);
    }
  }
  return result;
}

/** Linear-interpolated quantile `q` (0-1) of an ascending array. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = Math.min(Math.max(q, 0), 1) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
