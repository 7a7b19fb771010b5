/**
 * Deleting jobs from the database (REST `delete_job`, `delete_job_before`).
 * The archive is left alone, as in cc-backend; tag links go with the job.
 *
 * @module
 */
import type { OmitTagged } from "../db/mod.ts";
import { log } from "../log/logger.ts";
import { findJobByLookup, type JobLookup } from "./job_lookup.ts";
import { type JobServiceDeps, reposOf } from "./job_service_deps.ts";
import { stepError } from "./step_error.ts";

/**
 * Deletes the job with database id `id`. Deleting a job that is not there
 * succeeds too (DELETE is idempotent), as in cc-backend.
 */
export function deleteJobById(id: number, deps: JobServiceDeps): void {
  try {
    if (reposOf(deps.db).jobs.deleteJob(id)) log.info(`deleted job (dbid: ${id})`);
  } catch (error) {
    throw stepError(error, "deleting job failed");
  }
}

/**
 * Deletes the newest job matching `lookup` and returns its database id.
 * 400 without jobId, 422 `finding job failed: ...` when nothing matches.
 */
export function deleteJobByLookup(lookup: JobLookup, deps: JobServiceDeps): number {
  const job = findJobByLookup(lookup, deps, { notFoundStatus: 422 });
  deleteJobById(job.id!, deps);
  return job.id!;
}

/** Deletes the jobs started before `startTime`, keeping tagged ones per `omitTagged`; returns the count. */
export function deleteJobsBefore(
  startTime: number,
  omitTagged: OmitTagged,
  deps: JobServiceDeps,
): number {
  try {
    const n = reposOf(deps.db).jobs.deleteJobsBefore(startTime, omitTagged);
    log.info(`deleted ${n} jobs started before ${startTime} (omit-tagged: ${omitTagged})`);
    return n;
  } catch (error) {
    throw stepError(error, "deleting jobs failed");
  }
}

/**
 * The hosts of running jobs that started before `startTime`, per cluster
 * (sorted, unique): what an external metric store must not free.
 */
export function usedNodes(startTime: number, deps: JobServiceDeps): Record<string, string[]> {
  return reposOf(deps.db).jobs.usedNodes(startTime);
}
