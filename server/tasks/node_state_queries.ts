/**
 * The SQL of node-state retention: which `node_state` rows are old enough
 * to go (older than the cut-off, but never a node's newest row, which is
 * its current state), reading them with their node, and deleting them.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";

/** A `node_state` row with its node's names, as node-state retention writes it out. */
export interface NodeStateRecord {
  id: number;
  timeStamp: number;
  nodeState: string;
  healthState: string;
  healthMetrics: string | null;
  cpusAllocated: number;
  memoryAllocated: number;
  gpusAllocated: number;
  jobsRunning: number;
  hostname: string;
  cluster: string;
  subCluster: string;
}

/** "Newest row of its node" by time stamp, then id, as the latest-state queries order them. */
const EXPIRED_WHERE = "s.time_stamp < ? AND s.id NOT IN (" +
  "SELECT id FROM (SELECT id, ROW_NUMBER() OVER " +
  "(PARTITION BY node_id ORDER BY time_stamp DESC, id DESC) AS rn FROM node_state) " +
  "WHERE rn = 1)";

const ORDER = "ORDER BY n.cluster, n.subcluster, n.hostname, s.time_stamp, s.id";

/** Rows fetched per statement when reading expired states. */
const READ_CHUNK = 5_000;

/** Deletes the expired rows (see {@link expiredNodeStateIds}); returns how many. */
export function deleteExpiredNodeStates(db: DatabaseSync, cutoff: number): number {
  const result = db.prepare(`DELETE FROM node_state AS s WHERE ${EXPIRED_WHERE}`).run(cutoff);
  return Number(result.changes);
}

/**
 * Ids of the rows with `time_stamp < cutoff` that are not their node's
 * newest, ordered by cluster, subcluster, hostname and time.
 */
export function expiredNodeStateIds(db: DatabaseSync, cutoff: number): number[] {
  const rows = db.prepare(
    `SELECT s.id FROM node_state s LEFT JOIN node n ON n.id = s.node_id WHERE ${EXPIRED_WHERE} ` +
      ORDER,
  ).all(cutoff);
  return rows.map((row) => Number(row.id));
}

/** The rows with these ids (in that order when `ids` is sorted like {@link expiredNodeStateIds}), in chunks. */
export function* readNodeStates(
  db: DatabaseSync,
  ids: readonly number[],
): Generator<NodeStateRecord> {
  const statement = db.prepare(
    "SELECT s.id, s.time_stamp, s.node_state, s.health_state, s.health_metrics, " +
      "s.cpus_allocated, s.memory_allocated, s.gpus_allocated, s.jobs_running, " +
      "n.hostname, n.cluster, n.subcluster FROM node_state s LEFT JOIN node n ON n.id = s.node_id " +
      `WHERE s.id IN (SELECT value FROM json_each(?)) ${ORDER}`,
  );
  for (let i = 0; i < ids.length; i += READ_CHUNK) {
    const rows = statement.all(JSON.stringify(ids.slice(i, i + READ_CHUNK)));
    for (const row of rows) {
      yield {
        id: Number(row.id),
        timeStamp: Number(row.time_stamp),
        nodeState: String(row.node_state),
        healthState: String(row.health_state),
        healthMetrics: row.health_metrics === null ? null : String(row.health_metrics),
        cpusAllocated: Number(row.cpus_allocated),
        memoryAllocated: Number(row.memory_allocated),
        gpusAllocated: Number(row.gpus_allocated),
        jobsRunning: Number(row.jobs_running),
        hostname: String(row.hostname ?? ""),
        cluster: String(row.cluster ?? ""),
        subCluster: String(row.subcluster ?? ""),
      };
    }
  }
}
