/**
 * Metric data of jobs in the shapes of the GraphQL API: series per metric
 * and scope, job-level statistics from the archive or (for running jobs)
 * from the metric store's per-node series.
 *
 * @module
 */
import {
  type Job,
  type JobData,
  type JobMetric,
  METRIC_SCOPES,
  type MetricScope,
} from "../../archive/types.ts";
import { AppError } from "../../errors.ts";
import { isLiveJob } from "../../jobs/load_job_data.ts";
import type { GraphqlContext } from "./graphql_context.ts";
import { round2 } from "./scalars.ts";

/** Min/avg/max of a metric. */
export interface Stats {
  avg: number;
  min: number;
  max: number;
}

/** `JobMetricWithName`. */
export interface NamedMetric {
  name: string;
  scope: MetricScope;
  metric: JobMetric;
}

/** The default `resolution`: the largest configured resampling resolution, else 0 (native). */
export function defaultResolution(ctx: GraphqlContext): number {
  const resolutions = ctx.services.deps.config.main.resampling?.resolutions ?? [];
  return resolutions.length ? Math.max(...resolutions) : 0;
}

/** One entry per metric and scope: metrics in `order` (then the rest), scopes coarse to fine. */
export function namedMetrics(data: JobData, order: readonly string[] | null = null): NamedMetric[] {
  const names = [
    ...new Set([...(order ?? []).filter((m) => Object.hasOwn(data, m)), ...Object.keys(data)]),
  ];
  const out: NamedMetric[] = [];
  for (const name of names) {
    const perScope = data[name];
    for (const scope of METRIC_SCOPES) {
      const metric = perScope[scope];
      if (metric) out.push({ name, scope, metric });
    }
  }
  return out;
}

/** Loads a job's data narrowed to metrics and scopes; running jobs default to node scope. */
export async function loadMetricData(
  ctx: GraphqlContext,
  job: Job,
  request: { metrics?: string[] | null; scopes?: MetricScope[] | null; resolution?: number | null },
): Promise<JobData> {
  const scopes = request.scopes ?? (isLiveJob(job) ? ["node" as const] : null);
  return await ctx.services.reader.loadData(job, {
    metrics: request.metrics ?? null,
    scopes,
    resolution: request.resolution ?? defaultResolution(ctx),
  });
}

/**
 * Job-level statistics of running jobs from the node-scope series: the mean
 * of the node averages, the smallest minimum and the largest maximum.
 */
function liveStats(job: Job, data: JobData, metric: string): Stats | undefined {
  const series = data[metric]?.node?.series;
  if (!series || series.length === 0) return undefined;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    sum += s.statistics.avg;
    min = Math.min(min, s.statistics.min);
    max = Math.max(max, s.statistics.max);
  }
  return { avg: round2(sum / Math.max(job.numNodes, series.length)), min, max };
}

/**
 * Job-level min/avg/max per metric: from meta.json for archived jobs, from
 * the metric store for running ones. `metrics` null means every metric the
 * source has; a requested metric without data gets zeros (as cc-backend).
 */
export async function jobStats(
  ctx: GraphqlContext,
  job: Job,
  metrics: readonly string[] | null,
): Promise<{ name: string; data: Stats }[]> {
  const zero = { avg: 0, min: 0, max: 0 };
  if (isLiveJob(job)) {
    const data = await ctx.services.reader.loadData(job, {
      metrics: metrics ? [...metrics] : null,
      scopes: ["node"],
      resolution: 0,
    });
    return (metrics ?? Object.keys(data)).map((name) => ({
      name,
      data: liveStats(job, data, name) ?? zero,
    }));
  }
  const statistics = await archivedStatistics(ctx, job);
  return (metrics ?? Object.keys(statistics)).map((name) => {
    const s = statistics[name];
    return { name, data: s ? { avg: s.avg, min: s.min, max: s.max } : zero };
  });
}

/** meta.json statistics of an archived job, or a 500 naming the job. */
export async function archivedStatistics(
  ctx: GraphqlContext,
  job: Job,
): Promise<NonNullable<Job["statistics"]>> {
  try {
    return (await ctx.services.deps.archive.loadJobMeta(job)).statistics ?? {};
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    throw new AppError(
      500,
      `cannot load statistics of job ${job.jobId} (id ${job.id}) on ${
        JSON.stringify(job.cluster)
      } from the archive: ${error.message}`,
      { cause: error },
    );
  }
}

/**
 * The average of `metrics` for one job, NaN where unknown: archived jobs
 * from the footprint column when it holds `<metric>_avg` (the same number
 * meta.json has), else from meta.json; running jobs the mean of the node
 * averages from the metric store.
 */
export async function jobAverages(
  ctx: GraphqlContext,
  job: Job,
  metrics: readonly string[],
): Promise<number[]> {
  if (isLiveJob(job)) {
    if (!ctx.services.deps.liveJobData) return metrics.map(() => NaN);
    const data = await ctx.services.reader.loadData(job, {
      metrics: [...metrics],
      scopes: ["node"],
      resolution: 0,
    });
    return metrics.map((m) => liveStats(job, data, m)?.avg ?? NaN);
  }
  const footprint = job.footprint ?? {};
  if (metrics.every((m) => typeof footprint[`${m}_avg`] === "number")) {
    return metrics.map((m) => footprint[`${m}_avg`]);
  }
  const statistics = await archivedStatistics(ctx, job);
  return metrics.map((m) => statistics[m]?.avg ?? NaN);
}
