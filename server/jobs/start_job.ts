/**
 * Starting a job (REST `start_job`, NATS `start_job`): cc-backend's checks in
 * its order and words, then the duplicate check, the insert and the tags in
 * one transaction, so that of concurrent identical starts exactly one wins
 * and a failed tag leaves no job behind. The job goes straight into `job`
 * (no `job_cache` staging): it is visible at once.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { Job, JobTag, Resource } from "../archive/types.ts";
import { assertCanWriteTagScope } from "../auth/tag_scope.ts";
import { withTransaction } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import { sanityCheck } from "../importer/sanity_checks.ts";
import { log } from "../log/logger.ts";
import { type JobServiceDeps, reposOf } from "./job_service_deps.ts";
import { stepError } from "./step_error.ts";

/** `T` with every field optional and nullable, as Go decodes JSON into a struct. */
type Nullable<T> = { [K in keyof T]?: T[K] | null };

/** A start request: a job as decoded from JSON, where `null` means absent (as in Go). */
export type StartJobRequest = Omit<Nullable<Job>, "resources" | "tags"> & {
  resources?: Nullable<Resource>[] | null;
  tags?: Nullable<JobTag>[] | null;
};

/** What {@link startJob} stored. */
export interface StartedJob {
  /** The new database id. */
  id: number;
  /** The job as stored (state `running`, subcluster assigned, tags with their ids). */
  job: Job;
}

/** A start that passed every check that needs no database: what {@link storeStart} writes. */
export interface PreparedStart {
  /** The job to insert (state `running`, subcluster assigned). */
  job: Job;
  /** The tags to attach, scopes defaulted to `global`. */
  tags: Required<Omit<JobTag, "id">>[];
}

/**
 * Validates and stores a new running job, attaching its tags. Throws an
 * AppError: 400 for a failed check (cc-backend's message), 403 for a tag scope
 * the user may not write, 422 when the same jobId started on the same cluster
 * less than a day before (or at any time after) this start.
 */
export function startJob(request: StartJobRequest, deps: JobServiceDeps): StartedJob {
  const started = storeStart(deps.db, prepareStart(request, deps));
  announceStart(started, deps);
  return started;
}

/**
 * The checks of a start that need no database, in cc-backend's order: the
 * job's fields and cluster (400) and the tag scopes the user may write (403).
 */
export function prepareStart(request: StartJobRequest, deps: JobServiceDeps): PreparedStart {
  const job = jobFromRequest(request);
  sanityCheck(deps.archive.clusters(), job, { wording: "cc-backend" });
  const tags = (request.tags ?? []).map((t): Required<Omit<JobTag, "id">> => ({
    type: t.type ?? "",
    name: t.name ?? "",
    scope: t.scope || "global",
  }));
  if (deps.user) { for (const tag of tags) assertCanWriteTagScope(deps.user, tag.scope); }
  return { job, tags };
}

/**
 * The database part of a start, in one transaction: the duplicate check
 * (422), the insert and the tags. Needs only a connection, so the REST job
 * writer can run it on its worker thread.
 */
export function storeStart(db: DatabaseSync, prepared: PreparedStart): StartedJob {
  const { job, tags } = prepared;
  const { jobs, tags: tagRepo } = reposOf(db);
  const id = withTransaction(db, () => {
    const duplicate = jobs.findDuplicateStart(job.jobId, job.cluster, job.startTime);
    if (duplicate) {
      throw new AppError(
        422,
        "a job with that jobId, cluster and startTime already exists: " +
          `dbid: ${duplicate.id}, jobid: ${duplicate.jobId}`,
      );
    }
    const id = insertOrExplain(() => jobs.insertJob(job));
    job.tags = tags.map((spec) => {
      try {
        const tag = tagRepo.getOrCreateTag(spec);
        tagRepo.addTagToJob(id, tag.id);
        return { type: tag.type, name: tag.name, scope: tag.scope, id: tag.id };
      } catch (error) {
        throw stepError(error, "adding tag to new job failed");
      }
    });
    return id;
  });
  job.id = id;
  if (job.tags?.length === 0) delete job.tags;
  return { id, job };
}

/** Logs a stored start and tells the start hooks (the taggers). */
export function announceStart(started: StartedJob, deps: Pick<JobServiceDeps, "hooks">): void {
  const { id, job } = started;
  log.info(
    `new job (id: ${id}): cluster=${job.cluster}, jobId=${job.jobId}, user=${job.user}, ` +
      `startTime=${job.startTime}`,
  );
  void deps.hooks?.jobStarted(job);
}

/** The job to store: Go's zero values for absent fields, cc-backend's defaults, state running. */
function jobFromRequest(r: StartJobRequest): Job {
  const job: Job = {
    jobId: r.jobId ?? 0,
    user: r.user ?? "",
    project: r.project ?? "",
    cluster: r.cluster ?? "",
    subCluster: r.subCluster ?? "",
    partition: r.partition ?? "",
    arrayJobId: r.arrayJobId ?? 0,
    numNodes: r.numNodes ?? 0,
    numHwthreads: r.numHwthreads ?? 0,
    numAcc: r.numAcc ?? 0,
    shared: r.shared ?? "none",
    monitoringStatus: r.monitoringStatus ?? 1,
    smt: r.smt ?? 0,
    // The request's state is ignored: a started job is running.
    jobState: "running",
    submitTime: r.submitTime ?? 0,
    startTime: r.startTime ?? 0,
    duration: r.duration ?? 0,
    walltime: r.walltime ?? 0,
    resources: (r.resources ?? []).map(normalizeResource),
    metaData: r.metaData ?? null,
    footprint: r.footprint ?? null,
    energyFootprint: null,
    energy: r.energy ?? 0,
  };
  return job;
}

/** A resource as Go stores it: empty optional parts left out. */
function normalizeResource(r: Nullable<Resource>): Resource {
  const resource: Resource = { hostname: r.hostname ?? "" };
  if (r.hwthreads?.length) resource.hwthreads = r.hwthreads;
  if (r.accelerators?.length) resource.accelerators = r.accelerators;
  if (r.configuration) resource.configuration = r.configuration;
  return resource;
}

function insertOrExplain(insert: () => number): number {
  try {
    return insert();
  } catch (error) {
    throw stepError(error, "insert into database failed");
  }
}
