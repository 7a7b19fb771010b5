/**
 * The post-processing cc-backend applies to every loaded job data set
 * before it is served: statistics series for metrics with many series, a
 * synthesised node scope for `flops_any` and `mem_bw`, and series
 * statistics rounded to two decimals.
 *
 * @module
 */

import type { JobData, JobMetric, MetricScope, Series } from "../archive/types.ts";
import { METRIC_SCOPES } from "../archive/types.ts";

/** Metric/scope entries with at least this many series get a statistics series. */
export const STATISTICS_SERIES_MIN = 8;

const MAX_FLOAT32 = 3.4028234663852886e38;

function seriesLengths(series: readonly Series[]): { shortest: number; longest: number } {
  let shortest = series.length ? series[0].data.length : 0;
  let longest = 0;
  for (const s of series) {
    if (s.data.length > longest) longest = s.data.length;
    if (s.data.length < shortest) shortest = s.data.length;
  }
  return { shortest, longest };
}

/**
 * Adds min/median/max over the series per time index, as cc-lib's
 * `AddStatisticsSeries`: NaN where fewer than three series have a value or
 * beyond the shortest series. The median is taken over all series with 0
 * standing in for missing values (as the original does); `mean` stays unset.
 */
export function addStatisticsSeries(metric: JobMetric): void {
  if (metric.statisticsSeries || metric.series.length === 0) return;
  const { shortest, longest } = seriesLengths(metric.series);
  const count = metric.series.length;
  const min = new Array<number>(longest).fill(NaN);
  const median = new Array<number>(longest).fill(NaN);
  const max = new Array<number>(longest).fill(NaN);
  const column = new Float64Array(count);
  for (let i = 0; i < shortest; i++) {
    let lo = MAX_FLOAT32;
    let hi = -MAX_FLOAT32;
    let present = 0;
    for (let j = 0; j < count; j++) {
      const x = metric.series[j].data[i];
      if (x !== x) {
        column[j] = 0;
        continue;
      }
      present++;
      column[j] = x;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (present < 3) continue;
    column.sort();
    const mid = count >> 1;
    min[i] = lo;
    max[i] = hi;
    median[i] = count % 2 === 0 ? (column[mid - 1] + column[mid]) / 2 : column[mid];
  }
  metric.statisticsSeries = { min, median, max };
}

function coarsestScope(scopes: readonly string[]): MetricScope | undefined {
  // METRIC_SCOPES lists scopes from coarse to fine.
  return METRIC_SCOPES.find((s) => scopes.includes(s));
}

/**
 * Synthesises the `node` scope of `metric` from its coarsest scope by summing
 * the series of each host, as cc-lib's `AddNodeScope` (always a sum, whatever
 * the metric's aggregation). Does nothing when the metric is missing or
 * already has node data.
 */
export function addNodeScope(data: JobData, metric: string): void {
  const perScope = data[metric];
  if (!perScope) return;
  const scope = coarsestScope(Object.keys(perScope));
  if (scope === undefined || scope === "node") return;
  const source = perScope[scope]!;
  const byHost = new Map<string, Series[]>();
  for (const s of source.series) {
    const list = byHost.get(s.hostname);
    if (list) list.push(s);
    else byHost.set(s.hostname, [s]);
  }
  const { shortest, longest } = seriesLengths(source.series);
  const series: Series[] = [];
  for (const [hostname, list] of byHost) {
    let lo = MAX_FLOAT32;
    let hi = -MAX_FLOAT32;
    let sum = 0;
    for (const s of list) {
      sum += s.statistics.avg;
      lo = Math.min(lo, s.statistics.min);
      hi = Math.max(hi, s.statistics.max);
    }
    const sums = new Array<number>(longest).fill(NaN);
    for (let i = 0; i < shortest; i++) {
      let total = 0;
      for (const s of list) total += s.data[i];
      sums[i] = total;
    }
    series.push({ hostname, statistics: { min: lo, avg: sum / list.length, max: hi }, data: sums });
  }
  perScope.node = { unit: source.unit, timestep: source.timestep, series };
}

function round2(x: number): number {
  // Go's math.Round rounds halves away from zero.
  return x < 0 ? -Math.round(-x * 100) / 100 : Math.round(x * 100) / 100;
}

/** Rounds every series' min/avg/max to two decimals. */
export function roundMetricStats(data: JobData): void {
  for (const perScope of Object.values(data)) {
    for (const metric of Object.values(perScope)) {
      for (const s of metric?.series ?? []) {
        s.statistics = {
          min: round2(s.statistics.min),
          avg: round2(s.statistics.avg),
          max: round2(s.statistics.max),
        };
      }
    }
  }
}

/** Applies the three steps in cc-backend's order; `scopes` are the requested ones. */
export function prepareJobData(data: JobData, scopes: readonly MetricScope[] | null): JobData {
  for (const perScope of Object.values(data)) {
    for (const metric of Object.values(perScope)) {
      if (metric && metric.series.length >= STATISTICS_SERIES_MIN) addStatisticsSeries(metric);
    }
  }
  if (scopes?.includes("node")) {
    addNodeScope(data, "flops_any");
    addNodeScope(data, "mem_bw");
  }
  roundMetricStats(data);
  return data;
}
