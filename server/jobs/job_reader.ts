/**
 * The read side of jobs for one viewer: lists and single jobs under the
 * viewer's visibility (cc-backend's `SecurityCheck`), with the tags the
 * viewer may read, metadata and archived statistics attached on request,
 * and metric data from the right source.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { FileArchive } from "../archive/file_archive.ts";
import type { Job, JobData, JobTag } from "../archive/types.ts";
import type { AuthUser } from "../auth/auth_user.ts";
import { jobVisibilityCondition } from "../auth/job_visibility.ts";
import { type JobPage, JobQuery, type JobQueryFilter } from "../db/job_query.ts";
import { AppError } from "../errors.ts";
import {
  ArchiveJobDataSource,
  type JobDataRequest,
  type JobDataSource,
} from "./job_data_source.ts";
import { readableTags } from "./job_lookup.ts";
import { loadJobData } from "./load_job_data.ts";

/** What a {@link JobReader} reads from. */
export interface JobReaderDeps {
  db: DatabaseSync;
  archive: FileArchive;
  /** The metric store's data of running jobs; absent until one is configured. */
  live?: JobDataSource;
  /** Unix seconds; running jobs report `now - startTime` as duration. */
  now?: () => number;
  /** `main.resampling.minimum-points` for archived data (default 1000). */
  minimumPoints?: number;
}

/** Options of {@link JobReader.listJobs}. */
export interface ListJobsRequest {
  filter: JobQueryFilter;
  page: JobPage;
  /** Attach `metaData` (otherwise it is null). */
  withMetadata?: boolean;
}

/**
 * The viewer a request acts for; `undefined` when authentication is
 * disabled, which sees every job and tag.
 */
export type Viewer = AuthUser | undefined;

/** Reads jobs as one viewer is allowed to see them. */
export class JobReader {
  readonly #query: JobQuery;
  readonly #db: DatabaseSync;
  readonly #archive: FileArchive;
  readonly #sources: { archive: JobDataSource; live?: JobDataSource };

  /** Reads from `deps`. */
  constructor(deps: JobReaderDeps) {
    this.#query = new JobQuery(deps.db, { now: deps.now });
    this.#db = deps.db;
    this.#archive = deps.archive;
    const archive = new ArchiveJobDataSource(deps.archive, { minimumPoints: deps.minimumPoints });
    this.#sources = { archive, live: deps.live };
  }

  #readableTags(viewer: Viewer, jobDbId: number): JobTag[] {
    return readableTags(jobDbId, { db: this.#db, archive: this.#archive, user: viewer });
  }

  async #statistics(job: Job): Promise<Job["statistics"]> {
    try {
      return (await this.#archive.loadJobMeta(job)).statistics;
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
   * One page of the jobs `viewer` may see, newest first, each with its
   * readable tags, `metaData` when asked for, and the archived `statistics`
   * of jobs archived successfully (monitoring status 3).
   */
  async listJobs(viewer: Viewer, request: ListJobsRequest): Promise<Job[]> {
    const visibility = viewer ? jobVisibilityCondition(viewer) : null;
    const jobs = this.#query.list({ filters: [request.filter], visibility, page: request.page });
    for (const job of jobs) {
      if (!request.withMetadata) job.metaData = null;
      job.tags = this.#readableTags(viewer, job.id!);
    }
    await Promise.all(jobs.map(async (job) => {
      if (job.monitoringStatus === 3) job.statistics = await this.#statistics(job);
    }));
    return jobs;
  }

  /**
   * The job with database id `id` with its readable tags and metadata, or
   * null when it does not exist or `viewer` may not see it.
   */
  findJob(viewer: Viewer, id: number | bigint): Job | null {
    const visibility = viewer ? jobVisibilityCondition(viewer) : null;
    const job = this.#query.findById(id, { visibility });
    if (!job) return null;
    job.metaData ??= null;
    job.tags = this.#readableTags(viewer, job.id!);
    return job;
  }

  /** The job's metric data, from the archive or the metric store. */
  loadData(job: Job, request: JobDataRequest): Promise<JobData> {
    return loadJobData(job, request, this.#sources);
  }
}
