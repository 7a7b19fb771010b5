/**
 * The database schema at version 11 (cc-backend 1.5): table definitions and
 * the index set, written as data so migrations can create, compare and drop
 * them without building identifiers from input.
 *
 * @module
 */

/** The schema version this code requires. */
export const SCHEMA_VERSION = 11;

/** The job states allowed by the `job_state` CHECK. */
const JOB_STATE_CHECK = "'boot_fail', 'cancelled', 'completed', 'deadline', 'failed', " +
  "'node_fail', 'out_of_memory', 'pending', 'preempted', 'running', 'suspended', 'timeout'";

/** The two tables with the job column list. */
export type JobTableName = "job" | "job_cache";

/**
 * `CREATE TABLE` for `job` or `job_cache` (which uses VARCHAR(255) strings and
 * restricts smt to 0/1), created under `createAs` (used for table rebuilds).
 */
export function jobTableSql(table: JobTableName, createAs: string = table): string {
  const str = table === "job" ? "TEXT" : "VARCHAR(255)";
  const smt = table === "job"
    ? "smt INT NOT NULL DEFAULT 1"
    : "smt TINYINT NOT NULL DEFAULT 1 CHECK (smt IN (0, 1))";
  return `CREATE TABLE ${createAs} (
  id INTEGER PRIMARY KEY,
  job_id BIGINT NOT NULL,
  cluster ${str} NOT NULL,
  subcluster ${str} NOT NULL,
  submit_time BIGINT NOT NULL DEFAULT 0,
  start_time BIGINT NOT NULL DEFAULT 0,
  hpc_user ${str} NOT NULL,
  project ${str} NOT NULL,
  cluster_partition ${str},
  array_job_id BIGINT,
  duration INT NOT NULL,
  walltime INT NOT NULL,
  job_state ${str} NOT NULL CHECK (job_state IN (${JOB_STATE_CHECK})),
  meta_data TEXT,
  resources TEXT NOT NULL,
  num_nodes INT NOT NULL,
  num_hwthreads INT,
  num_acc INT,
  ${smt},
  shared TEXT NOT NULL CHECK (shared IN ('none', 'single_user', 'multi_user')),
  monitoring_status TINYINT NOT NULL DEFAULT 1 CHECK (monitoring_status IN (0, 1, 2, 3)),
  energy REAL NOT NULL DEFAULT 0.0,
  energy_footprint TEXT DEFAULT NULL,
  footprint TEXT DEFAULT NULL,
  UNIQUE (job_id, cluster, start_time)
)`;
}

/** The column list shared by `job` and `job_cache`, in table order. */
export const JOB_TABLE_COLUMNS = [
  "id",
  "job_id",
  "cluster",
  "subcluster",
  "submit_time",
  "start_time",
  "hpc_user",
  "project",
  "cluster_partition",
  "array_job_id",
  "duration",
  "walltime",
  "job_state",
  "meta_data",
  "resources",
  "num_nodes",
  "num_hwthreads",
  "num_acc",
  "smt",
  "shared",
  "monitoring_status",
  "energy",
  "energy_footprint",
  "footprint",
] as const;

/** `CREATE TABLE` for `node_state`, created under `createAs` (used for rebuilds). */
export function nodeStateTableSql(createAs = "node_state"): string {
  return `CREATE TABLE ${createAs} (
  id INTEGER PRIMARY KEY,
  time_stamp INTEGER NOT NULL,
  jobs_running INTEGER DEFAULT 0 NOT NULL,
  cpus_allocated INTEGER DEFAULT 0 NOT NULL,
  memory_allocated INTEGER DEFAULT 0 NOT NULL,
  gpus_allocated INTEGER DEFAULT 0 NOT NULL,
  node_state VARCHAR(255) NOT NULL
    CHECK (node_state IN ('allocated', 'reserved', 'idle', 'mixed', 'down', 'unknown')),
  health_state VARCHAR(255) NOT NULL CHECK (health_state IN ('full', 'partial', 'failed')),
  health_metrics TEXT,
  node_id INTEGER,
  FOREIGN KEY (node_id) REFERENCES node (id)
)`;
}

/** The statements creating every v11 table, in dependency order. */
export const V11_TABLES: readonly string[] = [
  jobTableSql("job"),
  jobTableSql("job_cache"),
  `CREATE TABLE tag (
  id INTEGER PRIMARY KEY,
  tag_type VARCHAR(255) NOT NULL,
  tag_name VARCHAR(255) NOT NULL,
  insert_ts TEXT DEFAULT CURRENT_TIMESTAMP,
  tag_scope TEXT NOT NULL DEFAULT 'global',
  UNIQUE (tag_type, tag_name)
)`,
  `CREATE TABLE jobtag (
  job_id INTEGER,
  tag_id INTEGER,
  insert_ts TEXT DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (job_id, tag_id),
  FOREIGN KEY (job_id) REFERENCES job (id) ON DELETE CASCADE,
  FOREIGN KEY (tag_id) REFERENCES tag (id) ON DELETE CASCADE
)`,
  `CREATE TABLE hpc_user (
  username varchar(255) PRIMARY KEY NOT NULL,
  password varchar(255) DEFAULT NULL,
  ldap tinyint NOT NULL DEFAULT 0,
  name varchar(255) DEFAULT NULL,
  roles varchar(255) NOT NULL DEFAULT '[]',
  email varchar(255) DEFAULT NULL,
  projects varchar(255) NOT NULL DEFAULT '[]'
)`,
  `CREATE TABLE configuration (
  username varchar(255),
  confkey varchar(255),
  value text,
  PRIMARY KEY (username, confkey),
  FOREIGN KEY (username) REFERENCES hpc_user (username) ON DELETE CASCADE ON UPDATE NO ACTION
)`,
  `CREATE TABLE node (
  id INTEGER PRIMARY KEY,
  hostname VARCHAR(255) NOT NULL,
  cluster VARCHAR(255) NOT NULL,
  subcluster VARCHAR(255) NOT NULL,
  meta_data TEXT,
  UNIQUE (hostname, cluster)
)`,
  nodeStateTableSql(),
];

/** A named index: table, key columns (a column may carry ` DESC`) and optional WHERE clause. */
export interface IndexDef {
  name: string;
  table: string;
  columns: readonly string[];
  where?: string;
}

/** `CREATE INDEX IF NOT EXISTS` for one definition. */
export function indexSql(index: IndexDef): string {
  const where = index.where ? ` WHERE ${index.where}` : "";
  return `CREATE INDEX IF NOT EXISTS ${index.name} ON ${index.table} (${
    index.columns.join(", ")
  })${where}`;
}

function on(table: string, spec: string, where?: string): IndexDef {
  const [name, cols] = spec.split(":");
  return { name, table, columns: cols.split(","), where };
}

const STATS_TAIL = "num_nodes,num_hwthreads,num_acc,duration,start_time";

/** Every named index of schema v11 (the autoindexes of UNIQUE constraints excluded). */
export const V11_INDEXES: readonly IndexDef[] = [
  ...[
    "jobs_cluster_user:cluster,hpc_user",
    "jobs_cluster_project:cluster,project",
    "jobs_cluster_subcluster:cluster,subcluster",
    "jobs_cluster_numnodes:cluster,num_nodes",
    "jobs_cluster_numhwthreads:cluster,num_hwthreads",
    "jobs_cluster_numacc:cluster,num_acc",
    "jobs_cluster_energy:cluster,energy",
    "jobs_cluster_duration_starttime:cluster,duration,start_time",
    "jobs_cluster_starttime_duration:cluster,start_time,duration",
    "jobs_cluster_partition_user:cluster,cluster_partition,hpc_user",
    "jobs_cluster_partition_project:cluster,cluster_partition,project",
    "jobs_cluster_partition_jobstate:cluster,cluster_partition,job_state",
    "jobs_cluster_partition_shared:cluster,cluster_partition,shared",
    "jobs_cluster_partition_duration_starttime:cluster,cluster_partition,duration,start_time",
    "jobs_cluster_partition_starttime_duration:cluster,cluster_partition,start_time,duration",
    "jobs_cluster_jobstate_starttime_duration:cluster,job_state,start_time,duration",
    "jobs_cluster_jobstate_duration_starttime:cluster,job_state,duration,start_time",
    "jobs_cluster_shared_user:cluster,shared,hpc_user",
    "jobs_cluster_shared_project:cluster,shared,project",
    "jobs_cluster_shared_starttime_duration:cluster,shared,start_time,duration",
    "jobs_cluster_shared_duration_starttime:cluster,shared,duration,start_time",
    "jobs_user_starttime_duration:hpc_user,start_time,duration",
    "jobs_user_duration_starttime:hpc_user,duration,start_time",
    "jobs_project_user:project,hpc_user",
    "jobs_project_starttime_duration:project,start_time,duration",
    "jobs_project_duration_starttime:project,duration,start_time",
    "jobs_jobstate_user:job_state,hpc_user",
    "jobs_jobstate_project:job_state,project",
    "jobs_jobstate_starttime_duration:job_state,start_time,duration",
    "jobs_jobstate_duration_starttime:job_state,duration,start_time",
    "jobs_shared_user:shared,hpc_user",
    "jobs_shared_project:shared,project",
    "jobs_shared_starttime_duration:shared,start_time,duration",
    "jobs_shared_duration_starttime:shared,duration,start_time",
    "jobs_arrayjobid_starttime:array_job_id,start_time",
    "jobs_duration_starttime:duration,start_time",
    "jobs_numnodes_starttime:num_nodes,start_time",
    "jobs_numhwthreads_starttime:num_hwthreads,start_time",
    "jobs_numacc_starttime:num_acc,start_time",
    "jobs_energy_starttime:energy,start_time",
    "jobs_starttime_duration:start_time,duration",
    "jobs_numnodes_duration:num_nodes,duration",
    "jobs_numhwthreads_duration:num_hwthreads,duration",
    "jobs_numacc_duration:num_acc,duration",
    "jobs_energy_duration:energy,duration",
    "jobs_starttime:start_time",
    "jobs_cluster_user_starttime_stats:cluster,hpc_user,start_time,duration,job_state," +
    "num_nodes,num_hwthreads,num_acc",
    "jobs_cluster_project_starttime_stats:cluster,project,start_time,duration,job_state," +
    "num_nodes,num_hwthreads,num_acc",
    "jobs_cluster_jobstate_user_stats:cluster,job_state,hpc_user,duration,start_time," +
    "num_nodes,num_hwthreads,num_acc",
    "jobs_cluster_jobstate_project_stats:cluster,job_state,project,duration,start_time," +
    "num_nodes,num_hwthreads,num_acc",
    "jobs_cluster_jobstate_subcluster_stats:cluster,job_state,subcluster,duration,start_time," +
    "num_nodes,num_hwthreads,num_acc",
  ].map((spec) => on("job", spec)),
  ...[
    `jobs_running_user_stats:cluster,hpc_user,${STATS_TAIL}`,
    `jobs_running_project_stats:cluster,project,${STATS_TAIL}`,
    `jobs_running_subcluster_stats:cluster,subcluster,${STATS_TAIL}`,
  ].map((spec) => on("job", spec, "job_state = 'running'")),
  on("node", "nodes_cluster:cluster"),
  on("node", "nodes_cluster_subcluster:cluster,subcluster"),
  on("node_state", "nodestates_timestamp:time_stamp"),
  on("node_state", "nodestates_state_timestamp:node_state,time_stamp"),
  on("node_state", "nodestates_health_timestamp:health_state,time_stamp"),
  on("node_state", "nodestates_nodeid_state:node_id,node_state"),
  on("node_state", "nodestates_nodeid_health:node_id,health_state"),
  on("node_state", "nodestates_nodeid_timestamp:node_id,time_stamp DESC"),
  on("jobtag", "tags_jobid:job_id"),
  on("jobtag", "tags_tagid:tag_id"),
];
