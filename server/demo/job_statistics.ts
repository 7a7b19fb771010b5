/**
 * Statistics, footprint and energy of a job, computed the way cc-backend's
 * archiver does when a job stops.
 *
 * @module
 */

import type { JobData, JobStatistics, MetricConfig, SeriesStatistics } from "../archive/types.ts";

/** Rounds to two decimals, as the archive files show values. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

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

/** The job footprint: `<metric>_<stat>` for every metric with a `footprint` statistic. */
export function jobFootprint(
  statistics: Record<string, JobStatistics>,
  metrics: readonly MetricConfig[],
): Record<string, number> {
  const footprint: Record<string, number> = {};
  for (const m of metrics) {
    const stats = statistics[m.name];
    if (m.footprint && stats) footprint[`${m.name}_${m.footprint}`] = stats[m.footprint];
  }
  return footprint;
}

/** Energy per power metric in kWh, and the total. */
export interface JobEnergy {
  energyFootprint: Record<string, number>;
  energy: number;
}

/**
 * Energy of a job from the average node power of each `energy: "power"`
 * metric: kWh = avg × numNodes × duration / 3600 / 1000, rounded to two
 * decimals. Metrics with `energy: "energy"` count as 0, as in cc-backend.
 */
export function jobEnergy(
  statistics: Record<string, JobStatistics>,
  options: { metrics: readonly MetricConfig[]; numNodes: number; duration: number },
): JobEnergy {
  const energyFootprint: Record<string, number> = {};
  let energy = 0;
  for (const m of options.metrics) {
    if (!m.energy) continue;
    const stats = statistics[m.name];
    const kwh = m.energy === "power" && stats
      ? round2(stats.avg * options.numNodes * options.duration / 3600 / 1000)
      : 0;
    energyFootprint[m.name] = kwh;
    energy += kwh;
  }
  return { energyFootprint, energy: round2(energy) };
}
