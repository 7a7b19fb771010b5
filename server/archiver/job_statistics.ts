/**
 * Job statistics as cc-backend's archiver computes them when a job stops:
 * per-series min/avg/max over time, and per-metric job statistics from the
 * node-scope series. The demo generator uses the same functions, so demo
 * archives and archived jobs agree.
 *
 * @module
 */

import type { JobData, JobStatistics, MetricConfig, SeriesStatistics } from "../archive/types.ts";
import { round2 } from "../importer/enrich_job.ts";

export { round2 };

/** Min, average and max of a series ignoring NaN, rounded to two decimals; NaN for all three if no value is set. */
export function seriesStatistics(data: ArrayLike<number>): SeriesStatistics {
  let min = Infinity, max = -Infinity, sum = 0, count = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    count++;
  }
  if (count === 0) return { min: NaN, avg: NaN, max: NaN };
  return { min: round2(min), avg: round2(sum / count), max: round2(max) };
}

/**
 * Series statistics as they go into data.json: when any of min/avg/max is
 * NaN (a series without a single value) all three become 0, as cc-backend's
 * `SanitizeStats` does.
 */
export function sanitizeStatistics(stats: SeriesStatistics): SeriesStatistics {
  const { min, avg, max } = stats;
  return min !== min || avg !== avg || max !== max ? { min: 0, avg: 0, max: 0 } : { min, avg, max };
}

/**
 * Job statistics per metric from the node-scope series: `avg` is the sum of
 * the per-node averages divided by the number of nodes (not of series, so a
 * missing host pulls the average down), rounded to two decimals; `min` and
 * `max` are the extremes of the per-node minima and maxima. Metrics without
 * node-scope data get no entry; the unit is the metric's from `metrics` (the
 * cluster-level metric config).
 */
export function jobStatistics(
  data: JobData,
  options: { metrics: readonly Pick<MetricConfig, "name" | "unit">[]; numNodes: number },
): Record<string, JobStatistics> {
  const result: Record<string, JobStatistics> = {};
  for (const metric of options.metrics) {
    const node = data[metric.name]?.node;
    if (!node || node.series.length === 0) continue;
    let sum = 0, min = Infinity, max = -Infinity;
    for (const { statistics } of node.series) {
      sum += statistics.avg;
      min = Math.min(min, statistics.min);
      max = Math.max(max, statistics.max);
    }
    result[metric.name] = {
      unit: metric.unit,
      avg: round2(sum / options.numNodes),
      min,
      max,
    };
  }
  return result;
}
