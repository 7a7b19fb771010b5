/**
 * Keeping an archived job's meta.json in step with tag and metadata changes
 * in the database. Only jobs whose archiving succeeded (monitoringStatus 3)
 * have a meta.json; for all others there is nothing to update. Changes of one
 * job's file are serialised so concurrent edits do not overwrite each other.
 *
 * @module
 */
import type { Job } from "../archive/types.ts";
import { AppError } from "../errors.ts";
import type { JobServiceDeps } from "./job_service_deps.ts";

/** monitoringStatus of a job whose archiving succeeded. */
export const ARCHIVING_SUCCESSFUL = 3;

/** Whether `job` has a meta.json in the archive. */
export function isArchived(job: Pick<Job, "monitoringStatus" | "jobState">): boolean {
  return job.monitoringStatus === ARCHIVING_SUCCESSFUL && job.jobState !== "running";
}

const pending = new Map<string, Promise<void>>();

/**
 * Loads the job's meta.json, lets `change` edit it and writes it back, when
 * the job is archived. `change` runs while this job's file is locked, so it
 * should read the current database state there. Failures are a 500 that says
 * the database was updated but the archive was not.
 */
export async function updateArchivedMeta(
  job: Job,
  deps: Pick<JobServiceDeps, "archive">,
  change: (meta: Job) => void,
): Promise<void> {
  if (!isArchived(job)) return;
  const key = deps.archive.jobDir(job);
  const previous = pending.get(key) ?? Promise.resolve();
  const run = previous.then(async () => {
    const meta = await deps.archive.loadJobMeta(job);
    change(meta);
    await deps.archive.writeJobMeta(meta);
  });
  const settled = run.catch(() => {});
  pending.set(key, settled);
  try {
    await run;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(
      500,
      `the database is updated, but the archive of job ${job.jobId} on ${
        JSON.stringify(job.cluster)
      } (start ${job.startTime}) is not: ${reason}`,
      { cause: error },
    );
  } finally {
    if (pending.get(key) === settled) pending.delete(key);
  }
}
