/**
 * `jobsStatistics`: one aggregate statement over the matching jobs (overall
 * or grouped), computing only the selected totals, plus one statement per
 * selected histogram. Groups are sorted descending by `sortBy` and paged in
 * memory, as in cc-backend. Metric histograms come from the footprint
 * column, or for "running jobs only" filters from the metric store.
 *
 * @module
 */
import type { GraphQLResolveInfo } from "graphql";
import type { ClusterInfo } from "../../../archive/mod.ts";
import type { JobQueryFilter } from "../../../db/job_query.ts";
import {
  type GroupBy,
  type HistogramPoint,
  type JobTotals,
  STAT_FIELDS,
  type StatField,
} from "../../../db/job_statistics.ts";
import { AppError } from "../../../errors.ts";
import { type GraphqlContext, jobVisibility } from "../graphql_context.ts";
import {
  asksForRunningOnly,
  clusterOfFilters,
  type JobFilterInput,
  type PageInput,
  toJobFilters,
} from "../job_filter_input.ts";
import { jobAverages } from "../metric_data.ts";
import { selectedFields } from "../selected_fields.ts";
import { mapLimited, type ResolverMap } from "./resolver_types.ts";

/** Duration bins per `numDurationBins` value: [bin size in seconds, number of bins]. */
export const DURATION_BINS: Readonly<Record<string, [number, number]>> = {
  "1m": [60, 60],
  "10m": [600, 72],
  "1h": [3600, 48],
  "6h": [21600, 12],
  "12h": [43200, 14],
};

/** cc-backend's bins for any other value (including "24h"): 24 one-hour bins. */
const OTHER_DURATION_BINS: [number, number] = [3600, 24];

/** Most running jobs read from the metric store for live metric histograms. */
export const LIVE_HISTOGRAM_LIMIT = 5000;

const SORT_FIELDS: Readonly<Record<string, StatField>> = {
  TOTALWALLTIME: "totalWalltime",
  TOTALJOBS: "totalJobs",
  TOTALUSERS: "totalUsers",
  TOTALNODES: "totalNodes",
  TOTALNODEHOURS: "totalNodeHours",
  TOTALCORES: "totalCores",
  TOTALCOREHOURS: "totalCoreHours",
  TOTALACCS: "totalAccs",
  TOTALACCHOURS: "totalAccHours",
};

const HISTOGRAMS = ["histDuration", "histNumNodes", "histNumCores", "histNumAccs", "histMetrics"];

interface StatisticsArgs {
  filter?: JobFilterInput[] | null;
  metrics?: string[] | null;
  page?: PageInput | null;
  sortBy?: string | null;
  groupBy?: GroupBy | null;
  numDurationBins?: string | null;
  numMetricBins?: number | null;
}

type StatisticsRow = JobTotals & {
  name: string;
  histDuration: HistogramPoint[];
  histNumNodes: HistogramPoint[];
  histNumCores: HistogramPoint[];
  histNumAccs: HistogramPoint[];
  histMetrics: unknown[];
};

/** The metric config a histogram uses: of the filtered cluster, else the largest peak anywhere. */
function histogramMetric(
  clusters: readonly ClusterInfo[],
  clusterName: string | undefined,
  metric: string,
): { peak: number; stat?: string; unit: string } {
  const candidates = clusters
    .filter((c) => clusterName === undefined || c.name === clusterName)
    .flatMap((c) => {
      const mc = c.metricConfig.find((m) => m.name === metric);
      if (!mc) return [];
      // A footprint set only by a subcluster override still names the statistic.
      const stat = mc.footprint ??
        c.subClusters.flatMap((sc) => sc.metricConfig).find((m) => m.name === metric)?.footprint;
      return [{ peak: mc.peak, stat, unit: `${mc.unit.prefix ?? ""}${mc.unit.base}` }];
    });
  if (candidates.length === 0) {
    const where = clusterName === undefined
      ? "any cluster"
      : `cluster ${JSON.stringify(clusterName)}`;
    throw new AppError(
      400,
      `cannot build a histogram of ${JSON.stringify(metric)}: not a metric of ${where}`,
    );
  }
  return candidates.reduce((a, b) => (b.peak > a.peak ? b : a));
}

function checkBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1 || bins > 1000) {
    throw new AppError(400, `numMetricBins must be between 1 and 1000, got ${bins}`);
  }
}

async function metricHistograms(
  ctx: GraphqlContext,
  filters: JobQueryFilter[],
  metrics: readonly string[],
  bins: number,
): Promise<unknown[]> {
  checkBins(bins);
  const clusters = ctx.services.clusters();
  const cluster = clusterOfFilters(filters);
  const specs = metrics.map((m) => ({ name: m, ...histogramMetric(clusters, cluster, m) }));
  const visibility = jobVisibility(ctx);
  if (!asksForRunningOnly(filters)) {
    return specs.map((spec) => {
      if (!spec.stat) {
        throw new AppError(
          400,
          `cannot build a histogram of ${JSON.stringify(spec.name)}: it has no footprint statistic`,
        );
      }
      const data = ctx.services.statistics.footprintHistogram(
        { filters, visibility },
        { key: `${spec.name}_${spec.stat}`, peak: spec.peak, bins },
      );
      return { metric: spec.name, unit: spec.unit, stat: spec.stat, data };
    });
  }
  // Running jobs have no footprint yet: their averages come from the metric store.
  const jobs = ctx.services.jobs.list({
    filters,
    visibility,
    page: { itemsPerPage: LIVE_HISTOGRAM_LIMIT + 1, page: 1 },
  });
  if (jobs.length > LIVE_HISTOGRAM_LIMIT) return [];
  const monitored = jobs.filter((j) => j.monitoringStatus !== 0 && j.monitoringStatus !== 2);
  const averages = await mapLimited(monitored, 8, (job) => jobAverages(ctx, job, metrics));
  return specs.map((spec, m) => {
    const step = Math.trunc(Math.trunc(spec.peak) / bins);
    const data = Array.from({ length: bins }, (_, i) => ({
      bin: i + 1,
      count: 0,
      min: step * i,
      max: step * (i + 1),
    }));
    for (const values of averages) {
      const value = Math.trunc(values[m]);
      if (!Number.isFinite(value) || step <= 0) continue;
      const bin = data[Math.floor(value / step)];
      if (value >= 0 && bin) bin.count++;
    }
    return { metric: spec.name, unit: spec.unit, stat: null, data };
  });
}

async function jobsStatistics(
  ctx: GraphqlContext,
  args: StatisticsArgs,
  info: GraphQLResolveInfo,
): Promise<StatisticsRow[]> {
  const wanted = selectedFields(info);
  const fields = new Set(STAT_FIELDS.filter((f) => wanted.has(f)));
  const filters = toJobFilters(args.filter);
  const visibility = jobVisibility(ctx);
  const where = { filters, visibility };
  const stats = ctx.services.statistics;
  const sortField = args.sortBy ? SORT_FIELDS[args.sortBy] : undefined;
  if (sortField) fields.add(sortField);
  const empty = {
    histDuration: [],
    histNumNodes: [],
    histNumCores: [],
    histNumAccs: [],
    histMetrics: [],
  };

  if (args.groupBy) {
    if (HISTOGRAMS.some((h) => wanted.has(h))) {
      throw new AppError(400, "histograms are only available without groupBy");
    }
    let rows = stats.grouped(where, args.groupBy, fields);
    if (sortField) rows.sort((a, b) => b[sortField] - a[sortField]);
    if (args.page && args.page.itemsPerPage !== -1) {
      const { itemsPerPage, page } = args.page;
      if (itemsPerPage < 1) {
        throw new AppError(400, `invalid items-per-page value: ${itemsPerPage}`);
      }
      const start = (Math.max(page, 1) - 1) * itemsPerPage;
      rows = rows.slice(start, start + itemsPerPage);
    }
    const names = args.groupBy === "USER" && wanted.has("name")
      ? ctx.services.lookups.usersByName(rows.map((r) => r.id))
      : new Map();
    return rows.map((r) => ({ ...r, name: names.get(r.id)?.name ?? "", ...empty }));
  }

  const totals = fields.size > 0
    ? stats.totals(where, fields)
    : Object.fromEntries([["id", ""], ...STAT_FIELDS.map((f) => [f, 0])]) as JobTotals;
  const row: StatisticsRow = { ...totals, name: "", ...empty };
  if (wanted.has("histDuration")) {
    const [binSeconds, bins] = DURATION_BINS[args.numDurationBins ?? "1h"] ?? OTHER_DURATION_BINS;
    row.histDuration = stats.durationHistogram(where, { binSeconds, bins });
  }
  if (wanted.has("histNumNodes")) row.histNumNodes = stats.countHistogram(where, "numNodes");
  if (wanted.has("histNumCores")) row.histNumCores = stats.countHistogram(where, "numHWThreads");
  if (wanted.has("histNumAccs")) row.histNumAccs = stats.countHistogram(where, "numAcc");
  if (wanted.has("histMetrics") && args.metrics?.length) {
    row.histMetrics = await metricHistograms(ctx, filters, args.metrics, args.numMetricBins ?? 10);
  }
  return [row];
}

/** Resolvers of `jobsStatistics`. */
export const statisticsResolvers: ResolverMap = {
  Query: {
    jobsStatistics: (
      _: unknown,
      args: StatisticsArgs,
      ctx: GraphqlContext,
      info: GraphQLResolveInfo,
    ) => jobsStatistics(ctx, args, info),
  },
};
