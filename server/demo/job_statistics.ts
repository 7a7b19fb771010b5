/**
 * Statistics of a job, computed the way cc-backend's
 * archiver does when a job stops.
 *
 * @module
 */

import type { JobData, JobStatistics, MetricConfig, SeriesStatistics } from "../archive/types.ts";

import { round2 } from "../importer/enrich_job.ts";

export { round2 };

/** Min, average and max of a series ignoring NaN; NaN for all three if no value is set. */
export function seriesStatistics(data: ArrayLike<number>): SeriesStatistics {
  let min = Infinity, max = -Infinity, sum = 0, count = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    count++;
  }
  if (count === 0) return { min: NaN, avg: NaN, max: NaN };
  return { min: round2(min), avg: round2(sum / count), max: round2(max) };
}

/**
 * Job statistics per metric from the node-scope series: `avg` is the sum of
 * the per-node averages divided by the number of nodes, rounded to two
 * decimals; `min` and `max` are the extremes of the per-node minima and
 * maxima. Metrics without node-scope data get no entry.
 */
export function jobStatistics(
  data: JobData,
  options: { metrics: readonly MetricConfig[]; numNodes: number },
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
