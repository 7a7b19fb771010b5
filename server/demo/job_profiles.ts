/**
 * Metric levels of the demo profiles: for each profile kind, the range of
 * each metric as a share of a reference (usually the metric's peak), and the
 * per-job modifiers (out of memory, high memory, oversubscription, imbalance).
 *
 * @module
 */

import type { MetricConfig } from "../archive/types.ts";
import type { ProfileKind } from "./demo_apps.ts";
import type { Rng } from "./rng.ts";

/** How a series evolves over the job: busy with ramp-up and dips, growing memory, or a leak. */
export type SeriesShape = "activity" | "memory" | "leak";

/** The planned levels of one metric of one job. */
export interface PlannedMetric {
  config: MetricConfig;
  shape: SeriesShape;
  /** Relative noise of each sample. */
  sigma: number;
  /** The value an idle node (or accelerator) shows. */
  base: number;
  /** Target level per node (for accelerator metrics: aggregated over the job's GPUs). */
  levels: number[];
  /** Accelerator metrics only: target level per node and GPU. */
  accLevels?: number[][];
}

/** What {@link planMetrics} needs to know about a job. */
export interface PlanContext {
  metrics: readonly MetricConfig[];
  profile: ProfileKind;
  numNodes: number;
  /** Share of each node's cores the job holds (1 for exclusive jobs). */
  coreShare: number;
  /** Cores the job holds per node. */
  cores: number;
  /** GPUs per node; 0 for CPU jobs. */
  gpusPerNode: number;
  outOfMemory: boolean;
}

type Range = readonly [number, number];
type Row = Readonly<Partial<Record<ProfileKind, Range>>>;

// Shares of the metric's reference value; see referenceOf() for the references.
const LEVELS: Readonly<Record<string, Row>> = {
  cpu_load: {
    compute: [.97, 1],
    memory: [.95, 1],
    balanced: [.88, 1],
    serial: [.014, .06],
    idle: [0, .012],
    gpu: [.04, .15],
    gpuLow: [.02, .08],
  },
  cpu_user: {
    compute: [.93, .99],
    memory: [.9, .98],
    balanced: [.82, .97],
    serial: [.012, .05],
    idle: [0, .01],
    gpu: [.04, .15],
    gpuLow: [.02, .08],
  },
  flops_any: {
    compute: [.15, .45],
    memory: [.02, .08],
    balanced: [.06, .2],
    serial: [.001, .005],
    idle: [0, .0002],
    gpu: [.0005, .003],
    gpuLow: [.0001, .001],
  },
  mem_bw: {
    compute: [.1, .35],
    memory: [.75, .95],
    balanced: [.35, .65],
    serial: [.01, .05],
    idle: [0, .003],
    gpu: [.01, .06],
    gpuLow: [.005, .03],
  },
  mem_used: {
    compute: [.05, .3],
    memory: [.2, .6],
    balanced: [.1, .45],
    serial: [.01, .1],
    idle: [.005, .03],
    gpu: [.05, .3],
    gpuLow: [.03, .2],
  },
  clock: {
    compute: [.72, .85],
    memory: [.78, .88],
    balanced: [.75, .86],
    serial: [.9, 1],
    idle: [.3, .5],
    gpu: [.8, .95],
    gpuLow: [.5, .8],
  },
  ipc: {
    compute: [1.6, 2.8],
    memory: [.3, .8],
    balanced: [.8, 1.6],
    serial: [1, 2],
    idle: [.1, .5],
    gpu: [.8, 1.5],
    gpuLow: [.4, 1],
  },
  cpu_power: {
    compute: [.85, .98],
    memory: [.75, .9],
    balanced: [.7, .9],
    serial: [.35, .45],
    idle: [.28, .35],
    gpu: [.35, .5],
    gpuLow: [.3, .4],
  },
  mem_power: {
    compute: [.45, .65],
    memory: [.7, .95],
    balanced: [.5, .8],
    serial: [.25, .35],
    idle: [.2, .3],
    gpu: [.3, .45],
    gpuLow: [.22, .3],
  },
  // MB/s on multi-node jobs; single-node jobs see a hundredth.
  net_bw: {
    compute: [100, 2500],
    memory: [50, 1500],
    balanced: [50, 1000],
    serial: [0, 2],
    idle: [0, .5],
    gpu: [50, 4000],
    gpuLow: [0, 50],
  },
  acc_utilization: { gpu: [.7, .99], gpuLow: [.02, .3] },
  acc_mem_used: { gpu: [.3, .95], gpuLow: [.05, .4] },
  acc_power: { gpu: [.6, .95], gpuLow: [.15, .35] },
};

/** Idle level as a share of the peak. */
const BASE: Readonly<Record<string, number>> = {
  clock: .35,
  cpu_power: .25,
  mem_power: .18,
  acc_power: .12,
};

const SIGMA: Readonly<Record<string, number>> = {
  cpu_load: .02,
  cpu_user: .02,
  flops_any: .08,
  mem_bw: .06,
  mem_used: .01,
  clock: .015,
  net_bw: .3,
  acc_mem_used: .01,
};

const OOM_RANGE: Range = [0.96, 0.995];
const HIGH_MEMORY_RANGE: Range = [0.85, 0.97];
const OVERSUBSCRIBED_RANGE: Range = [1.25, 1.6];

/** Metrics that follow the job's activity and drop on one node of an imbalanced job. */
const IMBALANCED = new Set(["cpu_load", "cpu_user", "flops_any", "mem_bw", "ipc", "net_bw"]);

function referenceOf(m: MetricConfig, ctx: PlanContext): number {
  switch (m.name) {
    case "cpu_load":
      return ctx.cores;
    case "cpu_user":
      return 100 * ctx.coreShare;
    case "ipc":
      return 1;
    case "net_bw":
      return ctx.numNodes > 1 ? 1 : 0.01;
    case "flops_any":
    case "mem_bw":
    case "mem_used":
      return m.peak * ctx.coreShare;
    default:
      return m.peak;
  }
}

/**
 * Draws the levels of every metric the job's profile knows. Metrics without
 * a level for the profile (e.g. GPU metrics of a CPU job) are left out, so
 * the job gets no data and no statistics for them.
 */
export function planMetrics(rng: Rng, ctx: PlanContext): PlannedMetric[] {
  const oversubscribed = ["compute", "memory", "balanced"].includes(ctx.profile) &&
    ctx.gpusPerNode === 0 && rng.chance(0.03);
  const highMemory = !ctx.outOfMemory && ctx.profile !== "idle" && rng.chance(0.05);
  const slowNode = ctx.numNodes > 1 && rng.chance(0.1) ? rng.int(0, ctx.numNodes - 1) : -1;
  const slowFactor = rng.float(0.3, 0.6);

  const planned: PlannedMetric[] = [];
  for (const config of ctx.metrics) {
    const range = LEVELS[config.name]?.[ctx.profile];
    if (!range) continue;
    const isAcc = config.scope === "accelerator";
    if (isAcc && ctx.gpusPerNode === 0) continue;
    let lo = range[0], hi = range[1];
    let shape: SeriesShape = "activity";
    if (config.name === "mem_used") {
      shape = ctx.outOfMemory ? "leak" : "memory";
      if (ctx.outOfMemory) [lo, hi] = OOM_RANGE;
      else if (highMemory) [lo, hi] = HIGH_MEMORY_RANGE;
    } else if (config.name === "acc_mem_used") {
      shape = "memory";
    } else if (config.name === "cpu_load" && oversubscribed) {
      [lo, hi] = OVERSUBSCRIBED_RANGE;
    }
    const level = rng.float(lo, hi) * referenceOf(config, ctx);
    const base = (BASE[config.name] ?? 0) * config.peak;
    const cap = config.name === "cpu_load" ? Infinity : config.peak;
    const imbalanced = IMBALANCED.has(config.name);
    const metric: PlannedMetric = {
      config,
      shape,
      sigma: SIGMA[config.name] ?? 0.05,
      base,
      levels: [],
    };
    const perNode = isAcc ? ctx.gpusPerNode : 1;
    const accLevels: number[][] = [];
    for (let node = 0; node < ctx.numNodes; node++) {
      const values: number[] = [];
      let sum = 0;
      for (let g = 0; g < perNode; g++) {
        let v = level * (1 + rng.normal(0, 0.03));
        if (node === slowNode && imbalanced) v *= slowFactor;
        v = Math.min(cap, Math.max(base, v));
        values.push(v);
        sum += v;
      }
      accLevels.push(values);
      metric.levels.push(isAcc && config.aggregation === "avg" ? sum / perNode : sum);
    }
    if (isAcc) metric.accLevels = accLevels;
    planned.push(metric);
  }
  return planned;
}
