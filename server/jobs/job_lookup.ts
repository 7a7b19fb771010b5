/**
 * Finding the job a request means, by database id (with the visibility rule)
 * or by jobId with optional cluster and start time (the newest match), and
 * shaping a job for an answer: live duration of running jobs, readable tags.
 *
 * @module
 */
import type { Job, JobTag } from "../archive/types.ts";
import { canReadTagScope } from "../auth/tag_scope.ts";
import { canSeeJob } from "../auth/job_visibility.ts";
import { AppError } from "../errors.ts";
import { type JobServiceDeps, nowSeconds, reposOf } from "./job_service_deps.ts";

/** cc-backend's text for a job that is not there (Go's `sql.ErrNoRows`); clients match on it. */
export const NO_ROWS = "sql: no rows in result set";

/** Identifies a job the way the by-request endpoints do; `null` counts as absent. */
export interface JobLookup {
  jobId?: number | null;
  cluster?: string | null;
  startTime?: number | null;
}

/**
 * The job with database id `id`, if the acting user may see it; otherwise a
 * 404 `finding job failed: sql: no rows in result set`.
 */
export function findVisibleJob(id: number, deps: JobServiceDeps): Job {
  const job = reposOf(deps.db).jobs.findById(id);
  if (!job || (deps.user && !canSeeJob(deps.user, job))) {
    throw new AppError(404, `finding job failed: ${NO_ROWS}`);
  }
  return job;
}

/**
 * The newest job (highest database id) with `lookup.jobId`, narrowed by
 * cluster and start time when given. A missing jobId is a 400 `the field
 * 'jobId' is required`; no match is `notFoundStatus` (cc-backend answers 404
 * on stop, 422 on edit and delete) `finding job failed: ...`.
 */
export function findJobByLookup(
  lookup: JobLookup,
  deps: Pick<JobServiceDeps, "db">,
  options: { notFoundStatus: number },
): Job {
  if (lookup.jobId === undefined || lookup.jobId === null) {
    throw new AppError(400, "the field 'jobId' is required");
  }
  const job = reposOf(deps.db).jobs.find(lookup.jobId, {
    cluster: lookup.cluster ?? undefined,
    startTime: lookup.startTime ?? undefined,
  });
  if (!job) throw new AppError(options.notFoundStatus, `finding job failed: ${NO_ROWS}`);
  return job;
}

/** The tags of job `id` the acting user may read (all of them for trusted callers). */
export function readableTags(id: number, deps: JobServiceDeps): JobTag[] {
  return reposOf(deps.db).tags.tagsOfJob(id)
    .filter((t) => !deps.user || canReadTagScope(deps.user, t.scope))
    .map((t) => ({ type: t.type, name: t.name, scope: t.scope, id: t.id }));
}

/**
 * A job as the API answers it: a running job's duration is the time since its
 * start (`now - startTime`, as cc-backend computes on every read); `tags`
 * default to the ones the acting user may read.
 */
export function presentJob(job: Job, deps: JobServiceDeps, options: { tags?: JobTag[] } = {}): Job {
  const shown: Job = { ...job };
  if (shown.jobState === "running") shown.duration = nowSeconds(deps) - shown.startTime;
  const tags = options.tags ?? (job.id === undefined ? [] : readableTags(job.id, deps));
  if (tags.length > 0) shown.tags = tags;
  else delete shown.tags;
  return shown;
}
