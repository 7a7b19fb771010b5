/**
 * The analysis view's multi-job queries: `jobsFootprints` (per job the
 * average of each metric with time weights) and `rooflineHeatmap` (a 2-D
 * histogram of arithmetic intensity and flop rate over all samples of the
 * matching jobs). Both read at most 500 jobs, as cc-backend does.
 *
 * @module
 */
import type { Job } from "../../../archive/types.ts";
import { AppError } from "../../../errors.ts";
import { type GraphqlContext, jobVisibility } from "../graphql_context.ts";
import { type JobFilterInput, toJobFilters } from "../job_filter_input.ts";
import { jobAverages } from "../metric_data.ts";
import { mapLimited, type ResolverMap } from "./resolver_types.ts";

/** Most jobs the analysis queries read. */
export const ANALYSIS_JOB_LIMIT = 500;

/** Largest heatmap accepted (rows × cols). */
export const MAX_HEATMAP_CELLS = 1_000_000;

/** The matching jobs with monitoring data (status neither disabled nor failed), at most 500. */
function analysisJobs(ctx: GraphqlContext, filter: JobFilterInput[] | null | undefined): Job[] {
  const jobs = ctx.services.jobs.list({
    filters: toJobFilters(filter),
    visibility: jobVisibility(ctx),
    page: { itemsPerPage: ANALYSIS_JOB_LIMIT + 1, page: 1 },
  });
  if (jobs.length > ANALYSIS_JOB_LIMIT) {
    throw new AppError(400, `too many jobs matched (max: ${ANALYSIS_JOB_LIMIT})`);
  }
  return jobs.filter((j) => j.monitoringStatus !== 0 && j.monitoringStatus !== 2);
}

interface HeatmapArgs {
  filter: JobFilterInput[];
  rows: number;
  cols: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

function checkHeatmap(args: HeatmapArgs): void {
  if (args.rows < 1 || args.cols < 1 || args.rows * args.cols > MAX_HEATMAP_CELLS) {
    throw new AppError(
      400,
      `cannot build a roofline heatmap of ${args.rows} × ${args.cols} cells ` +
        `(each at least 1, at most ${MAX_HEATMAP_CELLS} cells)`,
    );
  }
  for (const key of ["minX", "minY", "maxX", "maxY"] as const) {
    if (!(args[key] > 0)) {
      throw new AppError(
        400,
        `cannot build a roofline heatmap: ${key} must be positive (log scale)`,
      );
    }
  }
  if (args.minX >= args.maxX || args.minY >= args.maxY) {
    throw new AppError(
      400,
      "cannot build a roofline heatmap: each minimum must be below its maximum",
    );
  }
}

/**
 * Counts samples into `tiles` (row = flop rate, col = intensity), cc-backend's
 * rule: log10 of both axes, points outside `[min, max)` (flop rate up to
 * and including max) skipped.
 */
export function addRooflineSamples(
  tiles: number[][],
  flops: ArrayLike<number>,
  membw: ArrayLike<number>,
  args: Omit<HeatmapArgs, "filter">,
): void {
  const lminX = Math.log10(args.minX), lmaxX = Math.log10(args.maxX);
  const lminY = Math.log10(args.minY), lmaxY = Math.log10(args.maxY);
  const n = Math.min(flops.length, membw.length);
  for (let i = 0; i < n; i++) {
    const f = flops[i];
    const x = Math.log10(f / membw[i]);
    const y = Math.log10(f);
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    if (x < lminX || x >= lmaxX || y < lminY || y > lmaxY) continue;
    const col = Math.floor((x - lminX) / (lmaxX - lminX) * args.cols);
    const row = Math.floor((y - lminY) / (lmaxY - lminY) * args.rows);
    if (row >= 0 && row < args.rows && col >= 0 && col < args.cols) tiles[row][col] += 1;
  }
}

/** Resolvers of the analysis queries. */
export const analysisResolvers: ResolverMap = {
  Query: {
    jobsFootprints: async (
      _: unknown,
      args: { filter?: JobFilterInput[] | null; metrics: string[] },
      ctx: GraphqlContext,
    ) => {
      const jobs = analysisJobs(ctx, args.filter);
      const averages = await mapLimited(jobs, 8, (job) => jobAverages(ctx, job, args.metrics));
      // Weights in minutes (cc-backend's naming says hours); jobs without cores/GPUs weigh 1.
      const minutes = jobs.map((j) => j.duration / 60);
      return {
        timeWeights: {
          nodeHours: jobs.map((j, i) => minutes[i] * j.numNodes),
          accHours: jobs.map((j, i) => (j.numAcc ? minutes[i] * j.numAcc : 1)),
          coreHours: jobs.map((j, i) => (j.numHwthreads ? minutes[i] * j.numHwthreads : 1)),
        },
        metrics: args.metrics.map((metric, m) => ({
          metric,
          data: averages.map((values) => values[m]),
        })),
      };
    },
    rooflineHeatmap: async (_: unknown, args: HeatmapArgs, ctx: GraphqlContext) => {
      checkHeatmap(args);
      const jobs = analysisJobs(ctx, args.filter);
      const tiles = Array.from({ length: args.rows }, () => new Array<number>(args.cols).fill(0));
      await mapLimited(jobs, 4, async (job) => {
        const data = await ctx.services.reader.loadData(job, {
          metrics: ["flops_any", "mem_bw"],
          scopes: ["node"],
          resolution: 0,
        });
        const flops = data.flops_any?.node?.series;
        const membw = data.mem_bw?.node?.series;
        if (!flops || !membw) return;
        // Pair the series of the same host (cc-backend pairs them by position).
        const byHost = new Map(membw.map((s) => [s.hostname, s]));
        for (const f of flops) {
          const m = byHost.get(f.hostname);
          if (m) addRooflineSamples(tiles, f.data, m.data, args);
        }
      });
      return tiles;
    },
  },
};
