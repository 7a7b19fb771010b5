/**
 * Where a job's metric data comes from: the archive for finished jobs, the
 * metric store for running ones (a later addition plugs in through
 * {@link JobDataSource}). {@link selectJobData} applies cc-backend's rules
 * for narrowing stored data to the requested metrics and scopes.
 *
 * @module
 */

import type { FileArchive } from "../archive/file_archive.ts";
import type { Job, JobData, JobMetric, MetricScope } from "../archive/types.ts";
import { resampleJobData } from "./resample_job_data.ts";

/** The metrics, scopes and resolution a caller asks for. */
export interface JobDataRequest {
  /** Metric names; `null` means every metric. */
  metrics: string[] | null;
  /** Scopes; `null` means the source's default. */
  scopes: MetricScope[] | null;
  /** Seconds per point wanted; 0 means the native timestep. */
  resolution: number;
}

/** Loads the metric data of one job. */
export interface JobDataSource {
  /** A name for error messages, e.g. `archive` or `metric store`. */
  readonly name: string;
  /** The job's data, narrowed to the request; fresh objects the caller may change. */
  loadData(job: Job, request: JobDataRequest): Promise<JobData>;
}

/**
 * Narrows stored data as cc-backend does for archived jobs: only the
 * requested metrics (all when `metrics` is null); a metric with several
 * scopes keeps the requested ones, or all of them when none was requested or
 * none exists; a metric with one scope is kept as it is. With neither list
 * given nothing is filtered.
 */
export function selectJobData(
  data: JobData,
  request: Pick<JobDataRequest, "metrics" | "scopes">,
): JobData {
  if (request.metrics === null && request.scopes === null) return data;
  const out: JobData = {};
  for (const metric of request.metrics ?? Object.keys(data)) {
    if (!Object.hasOwn(data, metric)) continue;
    const perScope = data[metric];
    const scopes = Object.keys(perScope) as MetricScope[];
    if (scopes.length > 1 && request.scopes) {
      const subset: Partial<Record<MetricScope, JobMetric>> = {};
      for (const scope of request.scopes) {
        if (perScope[scope]) subset[scope] = perScope[scope];
      }
      out[metric] = Object.keys(subset).length > 0 ? subset : perScope;
    } else {
      out[metric] = perScope;
    }
  }
  return out;
}

/** Options of {@link ArchiveJobDataSource}. */
export interface ArchiveJobDataSourceOptions {
  /** `main.resampling.minimum-points`: shorter series are never resampled (default 1000). */
  minimumPoints?: number;
}

/**
 * Reads data.json(.gz) of archived jobs, narrowed to the request and, for a
 * `resolution` coarser than the stored timestep, resampled with LTTB (see
 * resample_job_data.ts); the archive keeps the native resolution.
 */
export class ArchiveJobDataSource implements JobDataSource {
  readonly name = "archive";
  readonly #archive: Pick<FileArchive, "loadJobData">;
  readonly #minimumPoints?: number;

  /** Serves data from `archive`. */
  constructor(
    archive: Pick<FileArchive, "loadJobData">,
    options: ArchiveJobDataSourceOptions = {},
  ) {
    this.#archive = archive;
    this.#minimumPoints = options.minimumPoints;
  }

  /** The archived data of `job`, narrowed by {@link selectJobData} and resampled. */
  async loadData(job: Job, request: JobDataRequest): Promise<JobData> {
    // Every call decodes the file afresh, so resampling in place changes no shared state.
    const data = selectJobData(await this.#archive.loadJobData(job), request);
    return resampleJobData(data, {
      resolution: request.resolution,
      minimumPoints: this.#minimumPoints,
    });
  }
}
