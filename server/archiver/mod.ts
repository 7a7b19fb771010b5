/**
 * The archiver: when a job stops, its metric data moves from the metric
 * store into the job archive with statistics, footprint and energy, and the
 * job row is marked archived (monitoring status 3, or 2 on failure).
 *
 * @module
 */
export {
  type ArchiveDataReader,
  type ArchivedJob,
  archiveJob,
  type ArchiveJobDeps,
  archiveScopes,
  CORE_SCOPE_MAX_NODES,
} from "./archive_job.ts";
export {
  Archiver,
  type ArchiverOptions,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  type ShutdownResult,
} from "./archiver.ts";
export { jobStatistics, round2, sanitizeStatistics, seriesStatistics } from "./job_statistics.ts";
