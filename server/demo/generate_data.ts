/**
 * Metric time series (data.json) of a planned demo job, and a cheap model
 * estimate of its statistics for when only meta.json is wanted.
 *
 * @module
 */

import type { Job, JobData, JobMetric, JobStatistics, Series } from "../archive/types.ts";
import type { PlannedMetric } from "./job_profiles.ts";
import { round2, seriesStatistics } from "./job_statistics.ts";
import { deriveSeed, Rng } from "./rng.ts";

/** A demo job before its data exists: meta.json without statistics, plus metric levels. */
export interface JobPlan {
  meta: Job;
  metrics: PlannedMetric[];
  /** Seed of the job's series; independent of how many jobs are generated. */
  dataSeed: number;
  /** The job crashed: activity collapses over its last samples. */
  crashed: boolean;
  /** Activity dips periodically (checkpoints, I/O phases). */
  dips: boolean;
}

/** Options of {@link generateJobData}. */
export interface JobDataOptions {
  /** Longest series; longer jobs get a coarser timestep (default 1440). */
  maxPoints?: number;
}

/** Timestep and number of samples of a series, coarsened to at most `maxPoints` samples. */
export function sampling(
  duration: number,
  options: { timestep: number; maxPoints: number },
): { timestep: number; points: number } {
  let timestep = options.timestep;
  let points = Math.max(1, Math.ceil(duration / timestep));
  if (points > options.maxPoints) {
    timestep *= Math.ceil(points / options.maxPoints);
    points = Math.max(1, Math.ceil(duration / timestep));
  }
  return { timestep, points };
}

interface NodeShape {
  activity: Float64Array;
  gaps: Uint8Array;
}

function nodeShape(plan: JobPlan, node: number, n: number): NodeShape {
  const rng = new Rng(deriveSeed(plan.dataSeed, `shape/${node}/${n}`));
  const activity = new Float64Array(n);
  const gaps = new Uint8Array(n);
  const ramp = Math.min(3, Math.floor(n / 4));
  const period = plan.dips && n > 30 ? rng.int(15, 60) : 0;
  const phase = period ? rng.int(0, period - 1) : 0;
  for (let t = 0; t < n; t++) {
    let a = t < ramp ? (t + 1) / (ramp + 1) : 1;
    if (period && t >= ramp && (t + phase) % period === 0) a *= rng.float(0.2, 0.6);
    activity[t] = a;
  }
  if (plan.crashed) {
    for (let t = Math.max(1, n - 2); t < n; t++) activity[t] = 0.02;
  }
  // Collector gaps; never the first or last sample, so no series is empty.
  if (n >= 5 && rng.chance(0.12)) {
    for (let k = rng.int(1, 3); k > 0; k--) {
      const t0 = rng.int(1, n - 2);
      for (let t = t0; t < Math.min(t0 + rng.int(1, 2), n - 1); t++) gaps[t] = 1;
    }
  }
  return { activity, gaps };
}

function fill(
  out: Float64Array,
  spec: { metric: PlannedMetric; level: number; base: number; shape: NodeShape; noise: Rng },
): void {
  const { metric, level, base, noise } = spec;
  const { activity, gaps } = spec.shape;
  const n = out.length;
  const cap = metric.config.name === "cpu_load" ? Infinity : metric.config.peak;
  const grow = Math.max(1, Math.ceil(0.15 * n));
  for (let t = 0; t < n; t++) {
    if (gaps[t]) {
      out[t] = NaN;
      continue;
    }
    let v: number;
    if (metric.shape === "activity") v = base + (level - base) * activity[t];
    else if (metric.shape === "memory") v = level * Math.min(1, 0.1 + 0.9 * (t + 1) / grow);
    else v = level * (0.2 + 0.8 * (t + 1) / n);
    v *= 1 + metric.sigma * noise.normal();
    out[t] = round2(Math.min(cap, Math.max(0, v)));
  }
}

function toSeries(hostname: string, values: Float64Array, id?: string): Series {
  const statistics = seriesStatistics(values);
  const data = Array.from(values);
  return id === undefined ? { hostname, statistics, data } : { hostname, id, statistics, data };
}

/**
 * Generates data.json for a planned job: node-scope series for every planned
 * metric, plus accelerator-scope series for GPU metrics (whose node series
 * aggregate the job's GPUs on that node by the metric's aggregation).
 */
export function generateJobData(plan: JobPlan, options: JobDataOptions = {}): JobData {
  const maxPoints = options.maxPoints ?? 1440;
  const { resources, duration } = plan.meta;
  const noise = new Rng(plan.dataSeed);
  const shapes = new Map<string, NodeShape>();
  const shapeOf = (node: number, n: number): NodeShape => {
    const key = `${node}/${n}`;
    let s = shapes.get(key);
    if (!s) shapes.set(key, s = nodeShape(plan, node, n));
    return s;
  };

  const data: JobData = {};
  for (const metric of plan.metrics) {
    const { config } = metric;
    const { timestep, points } = sampling(duration, { timestep: config.timestep, maxPoints });
    const nodeSeries: Series[] = [];
    const accSeries: Series[] = [];
    resources.forEach((res, node) => {
      const shape = shapeOf(node, points);
      const gpuLevels = metric.accLevels?.[node];
      if (!gpuLevels) {
        const out = new Float64Array(points);
        fill(out, { metric, level: metric.levels[node], base: metric.base, shape, noise });
        nodeSeries.push(toSeries(res.hostname, out));
        return;
      }
      const sum = new Float64Array(points);
      const count = new Uint16Array(points);
      gpuLevels.forEach((level, g) => {
        const out = new Float64Array(points);
        fill(out, { metric, level, base: metric.base, shape, noise });
        accSeries.push(toSeries(res.hostname, out, res.accelerators?.[g] ?? String(g)));
        for (let t = 0; t < points; t++) {
          if (Number.isNaN(out[t])) continue;
          sum[t] += out[t];
          count[t]++;
        }
      });
      const avg = config.aggregation === "avg";
      const out = sum.map((s, t) => count[t] === 0 ? NaN : round2(avg ? s / count[t] : s));
      nodeSeries.push(toSeries(res.hostname, out));
    });
    const jobMetric = (series: Series[]): JobMetric => ({ unit: config.unit, series, timestep });
    data[config.name] = accSeries.length > 0
      ? { node: jobMetric(nodeSeries), accelerator: jobMetric(accSeries) }
      : { node: jobMetric(nodeSeries) };
  }
  return data;
}

/**
 * Model estimate of the job statistics from the planned levels alone, without
 * generating series: cheap enough for tens of thousands of jobs. The values
 * follow the same formula shape as {@link generateJobData}'s real statistics
 * but are not recomputed from series.
 */
export function estimateStatistics(plan: JobPlan): Record<string, JobStatistics> {
  const result: Record<string, JobStatistics> = {};
  const numNodes = plan.meta.numNodes;
  for (const metric of plan.metrics) {
    const { config, shape, sigma } = metric;
    const gpus = metric.accLevels?.[0]?.length ?? 1;
    const base = config.aggregation === "sum" ? metric.base * gpus : metric.base;
    const cap = config.name === "cpu_load" ? Infinity : config.peak * gpus;
    let sum = 0, min = Infinity, max = -Infinity;
    for (const level of metric.levels) {
      const span = shape === "activity" ? level - base : level;
      const from = shape === "activity" ? base : 0;
      const [lo, mean] = shape === "activity"
        ? [0.25, 0.93]
        : shape === "memory"
        ? [0.1, 0.85]
        : [0.2, 0.6];
      sum += round2(from + span * mean);
      min = Math.min(min, round2(from + span * lo));
      max = Math.max(max, round2(Math.min(cap, from + span * (1 + 2 * sigma))));
    }
    result[config.name] = { unit: config.unit, avg: round2(sum / numNodes), min, max };
  }
  return result;
}
