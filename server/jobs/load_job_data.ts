/**
 * Loads a job's metric data from the right source, as cc-backend's
 * `metricdispatch.LoadData`: running jobs and jobs still being archived
 * (monitoring status 1) from the metric store, every other job from the
 * archive; then the common post-processing.
 *
 * @module
 */

import type { Job, JobData } from "../archive/types.ts";
import { AppError } from "../errors.ts";
import type { JobDataRequest, JobDataSource } from "./job_data_source.ts";
import { prepareJobData } from "./prepare_job_data.ts";

/** The sources to choose from; `live` is absent until a metric store is configured. */
export interface JobDataSources {
  archive: JobDataSource;
  live?: JobDataSource;
}

/** Whether the job's data lives in the metric store rather than the archive. */
export function isLiveJob(job: Pick<Job, "jobState" | "monitoringStatus">): boolean {
  return job.jobState === "running" || job.monitoringStatus === 1;
}

function describe(job: Job): string {
  return `job ${job.jobId} (id ${job.id}) on ${JSON.stringify(job.cluster)}`;
}

/**
 * The job's data narrowed to `request` and post-processed. Failures are
 * AppErrors naming the job and the source: 500 when a running job has no
 * metric store, the source's status otherwise.
 */
export async function loadJobData(
  job: Job,
  request: JobDataRequest,
  sources: JobDataSources,
): Promise<JobData> {
  const source = isLiveJob(job) ? sources.live : sources.archive;
  if (!source) {
    throw new AppError(
      500,
      `cannot load metric data of ${describe(job)}: the job is running ` +
        `(state ${JSON.stringify(job.jobState)}, monitoring status ${job.monitoringStatus}) ` +
        "and no metric store is configured",
    );
  }
  let data: JobData;
  try {
    data = await source.loadData(job, request);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const status = error instanceof AppError ? error.status : 500;
    throw new AppError(
      status,
      `cannot load metric data of ${describe(job)} from the ${source.name}: ${error.message}`,
      { cause: error },
    );
  }
  return prepareJobData(data, request.scopes);
}
