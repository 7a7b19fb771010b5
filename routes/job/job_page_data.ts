/**
 * Everything the job view shows, read on the server: the job (404 when
 * there is none, 403 when the viewer may not see it), its readable tags,
 * concurrent jobs, the metrics of its subcluster, the footprint bars, and
 * the viewer's UI settings. Metric data itself is fetched by the islands
 * over GraphQL (the archive or, for running jobs, the metric store).
 *
 * @module
 */
import type {
  SubClusterInfo,
  SubClusterMetricConfig,
} from "../../server/archive/cluster_config.ts";
import type { Job } from "../../server/archive/types.ts";
import { type AuthUser, hasAnyRole, hasRole } from "../../server/auth/auth_user.ts";
import { canSeeJob, jobVisibilityCondition } from "../../server/auth/job_visibility.ts";
import { canReadTagScope } from "../../server/auth/tag_scope.ts";
import { JobQuery, TagRepository, UserRepository } from "../../server/db/mod.ts";
import { AppError } from "../../server/errors.ts";
import type { PageDeps } from "../../server/render/page_deps.ts";
import { type UiConfigMap, userUiConfig } from "../../server/render/ui_config.ts";
import { metricSelection, uiSetting } from "./ui_settings.ts";
import {
  type FootprintBar,
  footprintBars,
  jobThresholds,
} from "../../islands/lib/job_footprint.ts";
import type { TagItem, TagViewer } from "../../islands/lib/job_tag_rules.ts";
import type { JobRef, MetricInfo, PlotSettings } from "../../islands/lib/job_types.ts";
import type { ScopeCounts } from "../../islands/lib/plot_thresholds.ts";
import type { ResamplingOptions } from "../../islands/lib/plot_resolution.ts";
import type { Roof } from "../../islands/lib/plot_roofline.ts";

/** Which parts of the view show (`jobView_*`). */
export interface JobViewSwitches {
  footprint: boolean;
  polar: boolean;
  roofline: boolean;
  statTable: boolean;
}

/** A concurrent job. */
export interface ConcurrentJob {
  id: number;
  jobId: number;
}

/** Props of the job page. */
export interface JobPageData {
  job: Job;
  ref: JobRef;
  /** Real name of the job's user, when the viewer may see it. */
  userName: string | null;
  tags: TagItem[];
  /** Tags the viewer may read (offered in the tag manager). */
  allTags: TagItem[];
  viewer: TagViewer;
  /** Support and admins get links to concurrent jobs. */
  linkConcurrent: boolean;
  concurrent: { items: ConcurrentJob[]; listQuery: string } | null;
  footprint: FootprintBar[];
  /** Footprint metrics of the subcluster with their (shared-scaled) peaks, for the polar plot. */
  polarMetrics: { name: string; peak: number }[];
  metrics: MetricInfo[];
  /** Metrics of the cluster removed on the job's subcluster. */
  disabledMetrics: string[];
  plotMetrics: string[];
  tableMetrics: string[];
  counts: ScopeCounts;
  roof: Roof;
  settings: PlotSettings;
  resampling: ResamplingOptions | null;
  switches: JobViewSwitches;
  /** `emission-constant` in g CO2 per kWh, 0 when unset. */
  emission: number;
}

function metricInfo(mc: SubClusterMetricConfig): MetricInfo {
  return {
    name: mc.name,
    unit: { base: mc.unit.base, prefix: mc.unit.prefix ?? "" },
    scope: mc.scope,
    aggregation: mc.aggregation,
    timestep: mc.timestep,
    peak: mc.peak,
    normal: mc.normal,
    caution: mc.caution,
    alert: mc.alert,
    lowerIsBetter: mc.lowerIsBetter ?? false,
  };
}

function scopeCounts(sc: SubClusterInfo | undefined): ScopeCounts {
  const t = sc?.topology;
  return {
    socket: t?.socket?.length ?? 0,
    memoryDomain: t?.memoryDomain?.length ?? 0,
    core: t?.core?.length ?? 0,
    hwthread: t?.node?.length ?? 0,
    accelerator: t?.accelerators?.length ?? 0,
  };
}

function plotSettings(ui: UiConfigMap): PlotSettings {
  const lineWidth = uiSetting(ui, { key: "plotConfiguration_lineWidth", fallback: 3 });
  const plotsPerRow = uiSetting(ui, { key: "plotConfiguration_plotsPerRow", fallback: 3 });
  return {
    lineWidth: lineWidth > 0 ? lineWidth : 3,
    plotsPerRow: Math.min(6, Math.max(1, Math.round(plotsPerRow))),
    colorScheme: uiSetting(ui, {
      key: "plotConfiguration_colorScheme",
      fallback: ["#00bfff", "#0000ff", "#ff00ff"],
    }),
    colorBackground: uiSetting(ui, { key: "plotConfiguration_colorBackground", fallback: true }),
    colorblind: uiSetting(ui, { key: "plotConfiguration_colorblindMode", fallback: false }),
  };
}

/** The job `id` as `user` may see it, or an AppError (404 absent, 403 not allowed). */
export function visibleJobById(deps: PageDeps, request: { user: AuthUser; id: number }): Job {
  const { user, id } = request;
  const query = new JobQuery(deps.db, { now: deps.now });
  const job = query.findById(id, { visibility: null });
  if (!job) throw new AppError(404, `cannot find job with id ${id}`);
  if (!canSeeJob(user, job)) throw new AppError(403, "you are not allowed to see this job");
  return job;
}

/** Loads the job view of job `id` for `user`. */
export function loadJobPage(deps: PageDeps, request: { user: AuthUser; id: number }): JobPageData {
  const { user } = request;
  const job = visibleJobById(deps, request);
  const cluster = deps.archive.cluster(job.cluster);
  const sc = cluster?.subClusters.find((s) => s.name === job.subCluster);
  const staff = hasAnyRole(user, ["admin", "support"]);
  const restricted = !staff && hasAnyRole(user, ["user", "manager"]);
  const configs = (sc?.metricConfig ?? []).filter((m) => !(restricted && m.restrict));
  const ui = userUiConfig(deps, user);
  const where = { cluster: job.cluster, subCluster: job.subCluster };

  const tagRepo = new TagRepository(deps.db);
  const readable = (t: TagItem) => canReadTagScope(user, t.scope);
  const tags = tagRepo.tagsOfJob(job.id!).filter(readable);
  const allTags = tagRepo.listTags().filter(readable);

  const mayName = user.username === job.user || hasAnyRole(user, ["admin", "support", "manager"]);
  const userName = mayName ? new UserRepository(deps.db).getUser(job.user)?.name || null : null;

  let concurrent: JobPageData["concurrent"] = null;
  if (job.shared !== "none" && job.duration > 600) {
    const items = new JobQuery(deps.db, { now: deps.now })
      .concurrentJobs(job, { visibility: jobVisibilityCondition(user) });
    if (items.length > 0) {
      const listQuery = [`cluster=${encodeURIComponent(job.cluster)}`]
        .concat(items.map((i) => `jobId=${i.jobId}`)).join("&");
      concurrent = { items, listQuery };
    }
  }

  const hwthreadsPerNode = sc?.topology.node.length ?? 0;
  const footprintJob = {
    shared: job.shared,
    numHWThreads: job.numHwthreads ?? 0,
    footprint: Object.entries(job.footprint ?? {}).map(([key, value]) => {
      const cut = key.lastIndexOf("_");
      return cut < 0
        ? { name: key, stat: "", value }
        : { name: key.slice(0, cut), stat: key.slice(cut + 1), value };
    }),
  };
  const footprint = footprintBars(footprintJob, configs, hwthreadsPerNode);
  const polarMetrics = [...(sc?.footprint ?? [])].sort().flatMap((name) => {
    const mc = configs.find((c) => c.name === name);
    if (!mc) return [];
    const stat = mc.footprint ?? "avg";
    const { peak } = jobThresholds(mc, { ...footprintJob, stat, hwthreadsPerNode });
    return peak > 0 ? [{ name, peak }] : [];
  });

  const clusterNames = new Set(sc?.metricConfig.map((m) => m.name));
  const resampling = deps.config.main.resampling;
  return {
    job,
    ref: {
      id: job.id!,
      jobId: job.jobId,
      cluster: job.cluster,
      subCluster: job.subCluster,
      numNodes: job.numNodes,
      numAcc: job.numAcc ?? 0,
      shared: job.shared,
      state: job.jobState,
      monitoringStatus: job.monitoringStatus ?? 0,
      hosts: job.resources.map((r) => r.hostname),
    },
    userName,
    tags,
    allTags,
    viewer: {
      username: user.username,
      isAdmin: hasRole(user, "admin"),
      isSupport: hasRole(user, "support"),
    },
    linkConcurrent: staff,
    concurrent,
    footprint,
    polarMetrics,
    metrics: configs.map(metricInfo),
    disabledMetrics: (cluster?.metricConfig ?? []).map((m) => m.name).filter((m) =>
      !clusterNames.has(m)
    ),
    plotMetrics: metricSelection(ui, "metricConfig_jobViewPlotMetrics", where),
    tableMetrics: metricSelection(ui, "metricConfig_jobViewTableMetrics", where),
    counts: scopeCounts(sc),
    roof: {
      memoryBandwidth: sc?.memoryBandwidth?.value ?? 0,
      flopRateScalar: sc?.flopRateScalar?.value ?? 0,
      flopRateSimd: sc?.flopRateSimd?.value ?? 0,
    },
    settings: plotSettings(ui),
    resampling: resampling
      ? { resolutions: resampling.resolutions, trigger: resampling.trigger }
      : null,
    switches: {
      footprint: uiSetting(ui, { key: "jobView_showFootprint", fallback: false }),
      polar: uiSetting(ui, { key: "jobView_showPolarPlot", fallback: true }),
      roofline: uiSetting(ui, { key: "jobView_showRoofline", fallback: true }),
      statTable: uiSetting(ui, { key: "jobView_showStatTable", fallback: true }),
    },
    emission: deps.config.main.emissionConstant ?? 0,
  };
}
