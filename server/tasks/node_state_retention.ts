/**
 * Node-state retention (`main.nodestate-retention`): `node_state` rows older
 * than `age` hours (default 24) are deleted (`delete`) or first written to
 * Parquet files in `target-path` and then deleted (`move`). A node's newest
 * row is always kept, as it is the node's current state.
 *
 * Files are `<target-path>/cc-nodestate-<YYYY-MM-DD>-<NNN>.parquet` with
 * cc-backend's columns, sorted by cluster, subcluster, hostname and time,
 * split at `max-file-size-mb` (default 128). `move` deletes exactly the rows
 * it wrote, after their file is on disk.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { NodestateRetentionConfig } from "../config/mod.ts";
import { deleteRowsById } from "./job_task_queries.ts";
import {
  deleteExpiredNodeStates,
  expiredNodeStateIds,
  type NodeStateRecord,
  readNodeStates,
} from "./node_state_queries.ts";
import { type ColumnSource, localDate, ParquetBatchWriter } from "./parquet_files.ts";

/** Options of {@link runNodeStateRetention}. */
export interface NodeStateRetentionOptions {
  db: DatabaseSync;
  config: NodestateRetentionConfig;
  /** Unix seconds. */
  now: number;
}

/** What a node-state retention run did. */
export interface NodeStateRetentionResult {
  policy: "delete" | "move";
  cutoff: number;
  /** Rows written to Parquet (`move`). */
  written: number;
  deleted: number;
  files: string[];
}

/** Why `config` cannot run here, or undefined when it can. */
export function nodeStateRetentionProblem(config: NodestateRetentionConfig): string | undefined {
  if (config.policy !== "move") return undefined;
  if (config.targetKind === "s3") return "target-kind s3 is not supported (use a file target)";
  if (!config.targetPath) return "policy move needs a target-path";
  return undefined;
}

function estimate(row: NodeStateRecord): number {
  return 100 + row.nodeState.length + row.healthState.length +
    (row.healthMetrics?.length ?? 0) + row.hostname.length + row.cluster.length +
    row.subCluster.length;
}

function columns(rows: NodeStateRecord[]): ColumnSource[] {
  const required = { nullable: false } as const;
  const str = (f: (r: NodeStateRecord) => string) => rows.map(f);
  const int32 = (f: (r: NodeStateRecord) => number) => Int32Array.from(rows, f);
  const int64 = (f: (r: NodeStateRecord) => number) =>
    BigInt64Array.from(rows, (r) => BigInt(f(r)));
  return [
    { name: "time_stamp", data: int64((r) => r.timeStamp), type: "INT64", ...required },
    { name: "node_state", data: str((r) => r.nodeState), type: "STRING", ...required },
    { name: "health_state", data: str((r) => r.healthState), type: "STRING", ...required },
    { name: "health_metrics", data: rows.map((r) => r.healthMetrics || null), type: "STRING" },
    { name: "cpus_allocated", data: int32((r) => r.cpusAllocated), type: "INT32", ...required },
    { name: "memory_allocated", data: int64((r) => r.memoryAllocated), type: "INT64", ...required },
    { name: "gpus_allocated", data: int32((r) => r.gpusAllocated), type: "INT32", ...required },
    { name: "jobs_running", data: int32((r) => r.jobsRunning), type: "INT32", ...required },
    { name: "hostname", data: str((r) => r.hostname), type: "STRING", ...required },
    { name: "cluster", data: str((r) => r.cluster), type: "STRING", ...required },
    { name: "subcluster", data: str((r) => r.subCluster), type: "STRING", ...required },
  ];
}

/** Runs the configured policy once; throws when the configuration cannot work. */
export async function runNodeStateRetention(
  options: NodeStateRetentionOptions,
): Promise<NodeStateRetentionResult> {
  const { db, config } = options;
  const problem = nodeStateRetentionProblem(config);
  if (problem) throw new Error(`node-state retention ${config.policy}: ${problem}`);
  const ageHours = config.age > 0 ? config.age : 24;
  const cutoff = options.now - ageHours * 3600;
  const result: NodeStateRetentionResult = {
    policy: config.policy,
    cutoff,
    written: 0,
    deleted: 0,
    files: [],
  };
  if (config.policy === "delete") {
    result.deleted = deleteExpiredNodeStates(db, cutoff);
    return result;
  }
  const ids = expiredNodeStateIds(db, cutoff);
  if (ids.length === 0) return result;
  const written: number[] = [];
  const writer = new ParquetBatchWriter<NodeStateRecord>({
    dir: config.targetPath!,
    prefix: `cc-nodestate-${localDate(options.now)}`,
    maxBytes: (config.maxFileSizeMb > 0 ? config.maxFileSizeMb : 128) * 1024 * 1024,
    estimate,
    columns,
    onWritten: (rows) => {
      for (const row of rows) written.push(row.id);
    },
  });
  try {
    for (const row of readNodeStates(db, ids)) await writer.add(row);
    await writer.flush();
  } finally {
    // Rows already in a file go even when a later file fails, so they are not written twice.
    result.written = written.length;
    result.files = writer.files;
    result.deleted = deleteRowsById(db, { table: "node_state", ids: written });
  }
  return result;
}
