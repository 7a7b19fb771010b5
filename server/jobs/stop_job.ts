/**
 * Stopping a job (REST `stop_job`, NATS `stop_job`): find the newest job with
 * the jobId (narrowed by cluster and start time when given), check it in
 * cc-backend's order with its messages, store state and duration, then tell
 * the stop hooks (the archiver). Nothing is archived here.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { type Job, JOB_STATES, type JobState } from "../archive/types.ts";
import { withTransaction } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import { log } from "../log/logger.ts";
import { findJobByLookup, type JobLookup } from "./job_lookup.ts";
import { type JobServiceDeps, reposOf } from "./job_service_deps.ts";
import { stepError } from "./step_error.ts";

/** A stop request as decoded from JSON; `null` counts as absent. */
export interface StopJobRequest extends JobLookup {
  /** The final state; empty or absent means `completed`. */
  jobState?: string | null;
  /** Unix seconds; absent means 0. */
  stopTime?: number | null;
}

/**
 * Marks the job stopped and returns it with its new state and duration
 * (`stopTime - startTime`). Throws an AppError: 400 without jobId, 404 when no
 * job matches, 422 when it is not running, 400 for a stop before the start or
 * an unknown state.
 */
export function stopJob(request: StopJobRequest, deps: JobServiceDeps): Job {
  const stopped = storeStop(deps.db, request);
  announceStop(stopped, deps);
  return stopped;
}

/**
 * The database part of a stop, in one transaction: find the job, check it,
 * store state and duration. Needs only a connection, so the REST job writer
 * can run it on its worker thread.
 */
export function storeStop(db: DatabaseSync, request: StopJobRequest): Job {
  return withTransaction(db, () => {
    const job = findJobByLookup(request, { db }, { notFoundStatus: 404 });
    const what = `jobId ${job.jobId} (id ${job.id}) on ${job.cluster} `;
    if (job.jobState !== "running") {
      throw new AppError(
        422,
        `${what}: job has already been stopped (state is: ${job.jobState})`,
      );
    }
    const stopTime = request.stopTime ?? 0;
    if (job.startTime > stopTime) {
      throw new AppError(
        400,
        `${what}: stopTime ${stopTime} must be larger/equal than startTime ${job.startTime}`,
      );
    }
    const state = (request.jobState || "completed") as JobState;
    if (!JOB_STATES.includes(state)) {
      throw new AppError(400, `${what}: invalid requested job state: ${JSON.stringify(state)}`);
    }
    const duration = stopTime - job.startTime;
    try {
      if (!reposOf(db).jobs.stopJob(job.id!, state, duration)) {
        throw new AppError(404, `job ${job.id} vanished`);
      }
    } catch (error) {
      throw stepError(
        error,
        `${what}: marking job as '${state}' (duration: ${duration}) in DB failed`,
      );
    }
    return { ...job, jobState: state, duration };
  });
}

/** Logs a stored stop and tells the stop hooks (the archiver). */
export function announceStop(stopped: Job, deps: Pick<JobServiceDeps, "hooks">): void {
  log.info(
    `stopped job (dbid: ${stopped.id}): cluster=${stopped.cluster}, ` +
      `jobId=${stopped.jobId}, user=${stopped.user}, startTime=${stopped.startTime}, ` +
      `duration=${stopped.duration}, state=${stopped.jobState}`,
  );
  void deps.hooks?.jobStopped(stopped);
}
