/**
 * The job services: starting, stopping, tagging, editing metadata of and
 * deleting jobs, with cc-backend's rules and messages. REST handlers and the
 * NATS subscriber call the same functions; the archiver and taggers listen on
 * {@link JobHooks}.
 *
 * @module
 */
export { type JobHook, JobHooks } from "./job_hooks.ts";
export { type JobServiceDeps, nowSeconds } from "./job_service_deps.ts";
export {
  findJobByLookup,
  findVisibleJob,
  type JobLookup,
  NO_ROWS,
  presentJob,
  readableTags,
} from "./job_lookup.ts";
export { ARCHIVING_SUCCESSFUL, isArchived, updateArchivedMeta } from "./archived_meta.ts";
export {
  announceStart,
  type PreparedStart,
  prepareStart,
  type StartedJob,
  startJob,
  type StartJobRequest,
  storeStart,
} from "./start_job.ts";
export { announceStop, stopJob, type StopJobRequest, storeStop } from "./stop_job.ts";
export { inProcessJobWriter, type JobWriter } from "./job_writer.ts";
export { openJobWriter } from "./worker_job_writer.ts";
export { editJobMeta, type MetadataEdit } from "./edit_job_meta.ts";
export {
  addJobTags,
  type DeletedTags,
  deleteTags,
  removeJobTags,
  type TagRequest,
} from "./job_tags.ts";
export { deleteJobById, deleteJobByLookup, deleteJobsBefore, usedNodes } from "./delete_jobs.ts";
