/**
 * Metric data of one job (`jobMetrics`, `jobStats`, `scopedJobStats`) and
 * of many (`jobsMetricStats`), each under the viewer's job visibility.
 *
 * @module
 */
import type { Job, JobMetric, MetricScope } from "../../../archive/types.ts";
import type { GraphqlContext } from "../graphql_context.ts";
import { jobVisibility } from "../graphql_context.ts";
import { type JobFilterInput, toJobFilters } from "../job_filter_input.ts";
import { jobStats, loadMetricData, namedMetrics } from "../metric_data.ts";
import { log } from "../../../log/logger.ts";
import { visibleJob } from "./job_resolvers.ts";
import { mapLimited, type ResolverMap } from "./resolver_types.ts";

interface JobMetricArgs {
  id: string;
  metrics?: string[] | null;
  scopes?: MetricScope[] | null;
  resolution?: number | null;
}

/** Archive reads in flight at once for multi-job queries. */
const PARALLEL_LOADS = 8;

/** Resolvers of the job metric queries. */
export const metricResolvers: ResolverMap = {
  Query: {
    jobMetrics: async (_: unknown, args: JobMetricArgs, ctx: GraphqlContext) => {
      const job = visibleJob(ctx, args.id);
      const data = await loadMetricData(ctx, job, args);
      return namedMetrics(data, args.metrics ?? null);
    },
    jobStats: async (_: unknown, args: JobMetricArgs, ctx: GraphqlContext) => {
      const job = visibleJob(ctx, args.id);
      return await jobStats(ctx, job, args.metrics ?? null);
    },
    scopedJobStats: async (_: unknown, args: JobMetricArgs, ctx: GraphqlContext) => {
      const job = visibleJob(ctx, args.id);
      const data = await loadMetricData(ctx, job, { ...args, resolution: 0 });
      return namedMetrics(data, args.metrics ?? null).map(({ name, scope, metric }) => ({
        name,
        scope,
        stats: metric.series.map((s) => ({
          hostname: s.hostname,
          id: s.id ?? null,
          data: s.statistics,
        })),
      }));
    },
    jobsMetricStats: async (
      _: unknown,
      args: { filter?: JobFilterInput[] | null; metrics?: string[] | null },
      ctx: GraphqlContext,
    ) => {
      const jobs = ctx.services.jobs.list({
        filters: toJobFilters(args.filter),
        visibility: jobVisibility(ctx),
        order: { field: "startTime", order: "ASC" },
      });
      const stats = await mapLimited(jobs, PARALLEL_LOADS, async (job) => {
        try {
          return await jobStats(ctx, job, args.metrics ?? null);
        } catch (error) {
          // As cc-backend: a job whose statistics cannot be loaded is left out of the comparison.
          log.warn(`jobsMetricStats: ${(error as Error).message}`);
          return null;
        }
      });
      return jobs.flatMap((job: Job, i) =>
        stats[i] === null ? [] : [{
          id: job.id,
          jobId: String(job.jobId),
          startTime: job.startTime,
          duration: job.duration,
          cluster: job.cluster,
          subCluster: job.subCluster,
          numNodes: job.numNodes,
          numHWThreads: job.numHwthreads ?? null,
          numAccelerators: job.numAcc ?? null,
          stats: stats[i],
        }]
      );
    },
  },
  JobMetric: {
    series: (metric: JobMetric) => metric.series ?? [],
    statisticsSeries: (metric: JobMetric) => {
      const s = metric.statisticsSeries;
      if (!s) return null;
      return { mean: s.mean ?? [], median: s.median ?? [], min: s.min ?? [], max: s.max ?? [] };
    },
  },
  Series: {
    id: (s: { id?: string | number | null }) =>
      s.id === undefined || s.id === null ? null : String(s.id),
  },
};
