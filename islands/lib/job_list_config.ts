/**
 * The job list's reading of the UI configuration (metric columns,
 * footprint column, histograms, paging) and of the cluster configuration
 * (metric availability, scopes to request and to plot). Key names and
 * fallbacks are cc-backend's, so stored settings keep working.
 *
 * @module
 */
import type { ClusterInfo, GlobalMetric, JobItem } from "./job_list_types.ts";
import { type PlotSettings, SCOPES } from "./job_types.ts";

/** A UI configuration map. */
export type UiConfig = Record<string, unknown>;

/** `base`, `base:<cluster>` or `base:<cluster>:<sub>`. */
export function configKey(base: string, cluster?: string, sub?: string): string {
  if (!cluster) return base;
  return sub ? `${base}:${cluster}:${sub}` : `${base}:${cluster}`;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v) => typeof v === "string") : undefined;
}

/**
 * The metric columns: `metricConfig_jobListMetrics:<cluster>:<partition>`,
 * then `:<cluster>`, then the global key (cc-backend's jobs view uses the
 * partition as the subcluster part of the key).
 */
export function listMetrics(config: UiConfig, cluster?: string, partition?: string): string[] {
  const base = "metricConfig_jobListMetrics";
  return strings(config[configKey(base, cluster, partition)]) ??
    strings(config[configKey(base, cluster)]) ?? strings(config[base]) ?? [];
}

/** Whether the footprint column shows: `jobList_showFootprint[:<cluster>]`. */
export function showFootprint(config: UiConfig, cluster?: string): boolean {
  const value = config[configKey("jobList_showFootprint", cluster)] ??
    config.jobList_showFootprint;
  return value === true;
}

/** The user view's histogram metrics; the cluster key has no fallback. */
export function histogramMetrics(config: UiConfig, cluster?: string): string[] {
  return strings(config[configKey("userView_histogramMetrics", cluster)]) ?? [];
}

/** Paging (true) or infinite scroll, and the page size. */
export function pagingOf(config: UiConfig): { usePaging: boolean; itemsPerPage: number } {
  const usePaging = config.jobList_usePaging === true;
  const size = Number(config.jobList_jobsPerPage);
  return { usePaging, itemsPerPage: usePaging && size > 0 ? size : 10 };
}

/** Scopes a list row requests: core (+accelerator) for single-node jobs, else node. */
export function rowScopes(job: Pick<JobItem, "numNodes" | "numAcc">): string[] {
  if (job.numNodes === 1) return job.numAcc >= 1 ? ["core", "accelerator"] : ["core"];
  return ["node"];
}

/** Of the returned scopes of a metric: the finest for single-node jobs, else the coarsest. */
export function plotScope<T extends { scope: string }>(
  entries: T[],
  numNodes: number,
): T | undefined {
  const rank = (e: T) => SCOPES.indexOf(e.scope);
  const sorted = [...entries].sort((a, b) => rank(a) - rank(b));
  return numNodes === 1 ? sorted[sorted.length - 1] : sorted[0];
}

/** How a metric stands on a job's subcluster. */
export type Availability = "ok" | "not-configured" | "disabled";

/** Whether `metric` exists on `cluster` and is enabled on `subCluster`. */
export function metricAvailability(
  metrics: readonly GlobalMetric[],
  metric: string,
  cluster: string,
  subCluster: string,
): Availability {
  const entry = metrics.find((m) => m.name === metric)?.availability
    .find((a) => a.cluster === cluster);
  if (!entry) return "not-configured";
  return entry.subClusters.includes(subCluster) ? "ok" : "disabled";
}

/** Global metrics available on `cluster` (all without one). */
export function metricsOn(metrics: readonly GlobalMetric[], cluster?: string): GlobalMetric[] {
  return cluster ? metrics.filter((m) => m.availability.some((a) => a.cluster === cluster)) : [
    ...metrics,
  ];
}

/** A job's subcluster. */
export function subClusterOf(
  clusters: readonly ClusterInfo[],
  job: Pick<JobItem, "cluster" | "subCluster">,
) {
  return clusters.find((c) => c.name === job.cluster)?.subClusters.find((s) =>
    s.name === job.subCluster
  );
}

/**
 * A list job without what the list never shows: of `metaData` only the job
 * name, of the resources only the host of a single-node job (long job
 * scripts and node lists would bloat the page).
 */
export function slimJob(job: JobItem): JobItem {
  const name = job.metaData?.jobName;
  return {
    ...job,
    metaData: typeof name === "string" ? { jobName: name } : null,
    resources: job.numNodes === 1 ? (job.resources ?? []).slice(0, 1) : [],
    tags: job.tags ?? [],
  };
}

/** The plot settings of the UI configuration (`plotConfiguration_*`). */
export function plotSettings(config: UiConfig): PlotSettings {
  const scheme = strings(config.plotConfiguration_colorScheme);
  return {
    colorScheme: scheme?.length ? scheme : ["#0000ff"],
    lineWidth: Number(config.plotConfiguration_lineWidth) || 1,
    colorBackground: config.plotConfiguration_colorBackground !== false,
    colorblind: config.plotConfiguration_colorblindMode === true,
    plotsPerRow: Number(config.plotConfiguration_plotsPerRow) || 3,
  };
}
