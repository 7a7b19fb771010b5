/**
 * The metric data of running jobs (and of jobs being archived) from the
 * built-in store: for every host of the job and every requested metric, the
 * scope queries of `buildScopeQueries` over the job's time range, answered
 * by `fetchData`, assembled into {@link JobData} as cc-backend's internal
 * metric-store `LoadData` does.
 *
 * - Metrics are taken from the cluster-level metric config; metrics the
 *   job's subcluster removes, and accelerator metrics of jobs without
 *   accelerators, are skipped.
 * - Each series gets the statistics of its native-resolution data (NaN for
 *   a series without values becomes 0/0/0) and starts at the job start
 *   (missing leading samples are NaN).
 * - A host or metric without data simply yields no series; read errors are
 *   collected and only fail the load when nothing could be read at all.
 * - A coarser `resolution` resamples with LTTB (`minimumPoints` rule).
 *
 * @module
 */
import type { ClusterInfo, SubClusterInfo } from "../archive/cluster_config.ts";
import type { Job, JobData, JobMetric, MetricScope, Series } from "../archive/types.ts";
import { AppError } from "../errors.ts";
import type { JobDataRequest, JobDataSource } from "../jobs/job_data_source.ts";
import { resampleJobData } from "../jobs/resample_job_data.ts";
import { fetchData } from "./fetch_data.ts";
import type { MemoryStore } from "./memory_store.ts";
import type { APIQuery } from "./query_types.ts";
import { buildScopeQueries } from "./scope_queries.ts";
import { TopologyIndex } from "./topology_index.ts";

/** Options of {@link JobDataLoader}. */
export interface JobDataLoaderOptions {
  /** Where cluster configs come from (the job archive). */
  clusters: { cluster(name: string): ClusterInfo | undefined };
  /** Clock in unix seconds: the end of a running job's range (default: the wall clock). */
  now?: () => number;
  /** `main.resampling.minimum-points` (default 1000). */
  minimumPoints?: number;
}

/** Loaded data and the read errors met on the way (`<metric>/<scope> on <host>: <error>`). */
export interface LoadedJobData {
  data: JobData;
  errors: string[];
}

/** Where one query's results go. */
interface Target {
  metric: string;
  scope: MetricScope;
  host: string;
  /** The series id of an aggregated unit query. */
  id?: string;
}

const topologies = new WeakMap<SubClusterInfo, TopologyIndex>();

function topologyOf(sc: SubClusterInfo): TopologyIndex {
  let index = topologies.get(sc);
  if (!index) topologies.set(sc, index = new TopologyIndex(sc.topology));
  return index;
}

function describe(job: Job): string {
  return `job ${job.jobId} (id ${job.id}) on ${JSON.stringify(job.cluster)}`;
}

function sanitized(avg: number, min: number, max: number): Series["statistics"] {
  return avg !== avg || min !== min || max !== max ? { min: 0, avg: 0, max: 0 } : { min, avg, max };
}

/** A {@link JobDataSource} reading from a {@link MemoryStore}. */
export class JobDataLoader implements JobDataSource {
  readonly name = "metric store";
  readonly #store: MemoryStore;
  readonly #clusters: JobDataLoaderOptions["clusters"];
  readonly #now: () => number;
  readonly #minimumPoints?: number;

  /** Reads from `store`. */
  constructor(store: MemoryStore, options: JobDataLoaderOptions) {
    this.#store = store;
    this.#clusters = options.clusters;
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.#minimumPoints = options.minimumPoints;
  }

  /**
   * The job's data for `request` (metrics `null` = every metric of the
   * cluster, scopes `null` = node) with the read errors. Throws a 500
   * AppError when the job's cluster or subcluster is unknown.
   */
  load(job: Job, request: JobDataRequest): LoadedJobData {
    const cluster = this.#clusters.cluster(job.cluster);
    if (!cluster) {
      throw new AppError(500, `cannot load ${describe(job)}: unknown cluster`);
    }
    const sc = cluster.subClusters.find((s) => s.name === job.subCluster);
    if (!sc) {
      throw new AppError(
        500,
        `cannot load ${describe(job)}: unknown subcluster ${JSON.stringify(job.subCluster)}`,
      );
    }
    const scopes = request.scopes ?? ["node"];
    const configs = new Map(cluster.metricConfig.map((m) => [m.name, m]));
    const available = new Map(sc.metricConfig.map((m) => [m.name, m]));
    const names = request.metrics ?? cluster.metricConfig.map((m) => m.name);
    const topology = topologyOf(sc);
    const queries: APIQuery[] = [];
    const targets: Target[] = [];
    for (const name of names) {
      const mc = available.get(name);
      if (!mc || !configs.has(name)) continue;
      if (mc.scope === "accelerator" && !(job.numAcc! > 0)) continue;
      for (const resource of job.resources) {
        const built = buildScopeQueries(
          {
            host: resource.hostname,
            topology,
            hwthreads: resource.hwthreads,
            accelerators: resource.accelerators,
          },
          { name, scope: mc.scope },
          { scopes, resolution: 0 },
        );
        for (const { query, scope, id } of built) {
          queries.push(query);
          targets.push({ metric: name, scope, host: resource.hostname, id });
        }
      }
    }
    const from = job.startTime;
    const end = job.startTime + job.duration;
    const to = Math.max(from, job.jobState === "running" ? Math.max(end, this.#now()) : end);
    const response = fetchData(this.#store, {
      cluster: job.cluster,
      queries,
      from,
      to,
      "with-stats": true,
      "with-data": true,
      "with-padding": true,
    });
    const data: JobData = {};
    const errors: string[] = [];
    response.results.forEach((row, i) => {
      const target = targets[i];
      for (const entry of row) {
        if (entry.error !== undefined) {
          errors.push(`${target.metric}/${target.scope} on ${target.host}: ${entry.error}`);
          continue;
        }
        const perScope = data[target.metric] ??= {};
        const metric: JobMetric = perScope[target.scope] ??= {
          unit: configs.get(target.metric)!.unit,
          timestep: entry.resolution,
          series: [],
        };
        const series: Series = {
          hostname: target.host,
          statistics: sanitized(entry.avg, entry.min, entry.max),
          data: Array.from(entry.data ?? []),
        };
        const id = target.id ?? entry.id;
        if (id !== undefined) series.id = id;
        metric.series.push(series);
      }
    });
    resampleJobData(data, { resolution: request.resolution, minimumPoints: this.#minimumPoints });
    return { data, errors };
  }

  /**
   * {@link load} for the job readers: read errors are ignored while some
   * data was found, and a 500 AppError listing them when nothing was.
   */
  loadData(job: Job, request: JobDataRequest): Promise<JobData> {
    try {
      const { data, errors } = this.load(job, request);
      if (errors.length > 0 && Object.keys(data).length === 0) {
        throw new AppError(500, `no data for ${describe(job)}: ${errors.join("; ")}`);
      }
      return Promise.resolve(data);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
