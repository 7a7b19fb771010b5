/**
 * Background tasks (cc-backend's task manager): a scheduler for interval and
 * daily wall-clock tasks, and the tasks themselves — duration and footprint
 * workers for running jobs, stopping jobs beyond their walltime, archive
 * compression and retention, node-state retention.
 *
 * @module
 */

export { describeSchedule, type Schedule, Scheduler, type SchedulerOptions } from "./scheduler.ts";
export type { Task } from "./scheduler.ts";
export { localTimeZone, nextDailyTime, type TimeOfDay } from "./wall_clock.ts";
export { buildTasks, intervalOf, type TaskDeps } from "./task_list.ts";
export {
  type ArchiveRetentionOptions,
  type ArchiveRetentionResult,
  removeJobDirectory,
  type RetentionPolicy,
  retentionProblem,
  runArchiveRetention,
} from "./archive_retention.ts";
export {
  compressArchive,
  type CompressArchiveOptions,
  type CompressArchiveResult,
  DEFAULT_COMPRESS_DAYS,
} from "./compress_archive.ts";
export {
  type NodeStateRetentionOptions,
  nodeStateRetentionProblem,
  type NodeStateRetentionResult,
  runNodeStateRetention,
} from "./node_state_retention.ts";
export {
  MIN_RUNTIME,
  type RunningFootprintOptions,
  type RunningFootprintResult,
  statisticsFromHosts,
  updateRunningFootprints,
} from "./running_footprints.ts";
export {
  type HostStatistics,
  metricStoreStats,
  type RunningJobStatsSource,
} from "./running_job_stats.ts";
export {
  failJobsExceedingWalltime,
  findFinishedJobs,
  type JobRef,
  updateRunningDurations,
} from "./job_task_queries.ts";
