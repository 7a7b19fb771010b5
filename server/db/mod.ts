/**
 * The SQLite database: connection, schema migrations and one repository per
 * table family.
 *
 * @module
 */

export {
  openDatabase,
  type OpenDatabaseOptions,
  resolveDbConfig,
  withTransaction,
} from "./connection.ts";
export {
  checkVersion,
  forceVersion,
  migrateDown,
  migrateUp,
  type MigrationResult,
  readVersion,
  SCHEMA_VERSION,
} from "./migrations/mod.ts";
export { JOB_FIELD_COLUMNS, jobColumn, jobToValues, validateJob } from "./job_mapping.ts";
export {
  DUPLICATE_START_WINDOW,
  type InsertJobsOptions,
  type JobFilter,
  JobRepository,
  type ListJobsOptions,
  OMIT_TAGGED_VALUES,
  type OmitTagged,
} from "./job_repository.ts";
export {
  type JobCondition,
  type JobCountOptions,
  type JobListOptions,
  type JobOrder,
  type JobPage,
  JobQuery,
  type JobQueryFilter,
  jobWhereClause,
  type NumberRange,
  type StringMatch,
  TIME_RANGES,
  type TimeRange,
} from "./job_query.ts";
export {
  type FilterContext,
  type FootprintRange,
  type JobWhereOptions,
  listCondition,
  stringCondition,
} from "./job_filter_sql.ts";
export {
  COUNT_COLUMNS,
  type FootprintBin,
  GROUP_COLUMNS,
  type GroupBy,
  type HistogramPoint,
  JobStatistics,
  type JobStatisticsOptions,
  type JobTotals,
  STAT_FIELDS,
  type StatField,
} from "./job_statistics.ts";
export { BatchLookups, type UserContact } from "./batch_lookups.ts";
export {
  NODE_SORT_COLUMNS,
  type NodeQueryFilter,
  type NodeRow,
  NodeStateQuery,
  type TimedCounts,
} from "./node_state_query.ts";
export {
  type Tag,
  TagRepository,
  type TagRepositoryOptions,
  type TagSpec,
} from "./tag_repository.ts";
export {
  AUTH_SOURCES,
  type AuthSource,
  BCRYPT_COST,
  hashPassword,
  type NewUser,
  type User,
  UserRepository,
  VALID_ROLES,
} from "./user_repository.ts";
export { UserConfigRepository } from "./user_config_repository.ts";
export {
  HEALTH_STATES,
  type HealthMetrics,
  type HealthState,
  type Node,
  NODE_STATES,
  NodeRepository,
  type NodeSpec,
  type NodeState,
  type NodeStateSpec,
  type NodeWithState,
  type SchedulerState,
} from "./node_repository.ts";
