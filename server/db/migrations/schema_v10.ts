/**
 * What schema version 10 had that version 11 does not: its index set (as found
 * in cc-backend's v10 test database) and the names of older indexes that
 * version-10 databases created by other cc-backend builds may still carry.
 *
 * @module
 */

import { type IndexDef, V11_INDEXES } from "./schema_v11.ts";

/** The index set of a version-10 database, restored by the down migration. */
export const V10_INDEXES: readonly IndexDef[] = [
  { name: "jobs_cluster_submittime", table: "job", columns: ["cluster", "submit_time"] },
  {
    name: "jobs_cluster_partition_submittime",
    table: "job",
    columns: ["cluster", "cluster_partition", "submit_time"],
  },
  {
    name: "jobs_cluster_partition_jobstate_submittime",
    table: "job",
    columns: ["cluster", "cluster_partition", "job_state", "submit_time"],
  },
  {
    name: "jobs_cluster_jobstate_submittime",
    table: "job",
    columns: ["cluster", "job_state", "submit_time"],
  },
  { name: "nodes_cluster", table: "node", columns: ["cluster"] },
  { name: "nodes_cluster_subcluster", table: "node", columns: ["cluster", "subcluster"] },
  { name: "nodestates_state", table: "node_state", columns: ["node_state"] },
  { name: "nodestates_health", table: "node_state", columns: ["health_state"] },
  { name: "nodestates_nodeid_state", table: "node_state", columns: ["node_id", "node_state"] },
  { name: "nodestates_nodeid_health", table: "node_state", columns: ["node_id", "health_state"] },
  { name: "tags_jobid", table: "jobtag", columns: ["job_id"] },
  { name: "tags_tagid", table: "jobtag", columns: ["tag_id"] },
];

const SORT_SUFFIXES = ["numnodes", "numhwthreads", "numacc", "energy"];
const SORT_PREFIXES = [
  "jobs_cluster_partition",
  "jobs_cluster_jobstate",
  "jobs_cluster_shared",
  "jobs_user",
  "jobs_project",
  "jobs_jobstate",
  "jobs_shared",
];

const V11_NAMES = new Set(V11_INDEXES.map((index) => index.name));

/**
 * Index names that version 11 no longer has: from the v10 set above and the
 * per-column sort indexes of cc-backend's own migration 09. The up migration
 * drops each of them if present.
 */
export const LEGACY_INDEX_NAMES: readonly string[] = [
  ...V10_INDEXES.map((index) => index.name),
  ...SORT_PREFIXES.flatMap((prefix) => SORT_SUFFIXES.map((suffix) => `${prefix}_${suffix}`)),
  "jobs_cluster_jobstate_user",
  "jobs_cluster_jobstate_project",
  "jobs_cluster_arrayjobid_starttime",
  "jobs_duration",
].filter((name) => !V11_NAMES.has(name));
