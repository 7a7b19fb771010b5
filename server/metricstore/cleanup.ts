/**
 * Clean-up of old checkpoint files (`metric-store.cleanup`, cc-backend §5.9):
 * every `retention-in-memory`, and once by `-cleanup-checkpoints`, the
 * snapshot files `<ts>.bin` / `<ts>.json` with `0 < ts <= before` (before =
 * now - retention) are deleted (`delete`) or first converted to one Parquet
 * file per cluster, `<cleanup.directory>/<cluster>/<before>.parquet`
 * (`archive`, see cleanup_parquet.ts). `current.wal` is never touched.
 *
 * Deliberate difference: per host, the newest selected file is kept when
 * its data reaches past `before` (its `to`): it is the file a restart loads
 * for the start of the retention window (cc-backend deletes it, so a
 * restart right after a clean-up misses up to one checkpoint interval).
 *
 * @module
 */
import { join } from "node:path";
import { decodeBinarySnapshot, SNAPSHOT_MAGIC } from "./checkpoint_binary.ts";
import {
  type CheckpointFile,
  listHostDirectories,
  listSnapshots,
  type SnapshotFileName,
} from "./checkpoint_file.ts";
import { decodeJsonSnapshot } from "./checkpoint_json.ts";
import { writeClusterParquet } from "./cleanup_parquet.ts";
import { getInt64 } from "./wal_format.ts";

/** The clean-up modes (`cleanup.mode`). */
export type CleanupMode = "delete" | "archive";

/** Options of {@link cleanupCheckpoints}. */
export interface CleanupOptions {
  /** Checkpoint root (`checkpoints.directory`). */
  directory: string;
  /** Files named `<ts>` with `ts <= before` are old. */
  before: number;
  mode: CleanupMode;
  /** Parquet root (`cleanup.directory`); required for `archive`. */
  archiveDirectory?: string;
  warn?: (message: string) => void;
}

/** What a clean-up did. */
export interface CleanupResult {
  mode: CleanupMode;
  /** Files deleted (delete) or archived and then deleted (archive). */
  files: number;
  /** Parquet files written. */
  parquetFiles: string[];
  /** Rows written to Parquet. */
  rows: number;
  errors: number;
}

/** One host's files to clean up. */
export interface HostFiles {
  cluster: string;
  host: string;
  dir: string;
  files: SnapshotFileName[];
}

/** Deletes or archives the checkpoint files older than `options.before`. */
export async function cleanupCheckpoints(options: CleanupOptions): Promise<CleanupResult> {
  const warn = options.warn ?? (() => {});
  const result: CleanupResult = {
    mode: options.mode,
    files: 0,
    parquetFiles: [],
    rows: 0,
    errors: 0,
  };
  if (options.mode === "archive" && !options.archiveDirectory) {
    throw new Error('metric-store.cleanup.directory is required with cleanup mode "archive"');
  }
  const byCluster = new Map<string, HostFiles[]>();
  for (const [cluster, host, dir] of await listHostDirectories(options.directory, warn)) {
    const files = await oldFiles(dir, options.before);
    if (files.length === 0) continue;
    const list = byCluster.get(cluster) ?? [];
    list.push({ cluster, host, dir, files });
    byCluster.set(cluster, list);
  }
  for (const [cluster, hosts] of byCluster) {
    if (options.mode === "archive") {
      const target = join(options.archiveDirectory!, cluster, `${options.before}.parquet`);
      try {
        result.rows += await writeClusterParquet(target, hosts, loadSnapshot);
        result.parquetFiles.push(target);
      } catch (error) {
        result.errors++;
        warn(
          `checkpoint clean-up: cannot archive cluster ${cluster} to ${target}: ` +
            `${(error as Error).message}; its checkpoint files are kept`,
        );
        await Deno.remove(target).catch((e) => {
          if (!(e instanceof Deno.errors.NotFound)) warn(`cannot remove ${target}: ${e.message}`);
        });
        continue;
      }
    }
    for (const { dir, files } of hosts) {
      for (const f of files) {
        try {
          await Deno.remove(join(dir, f.name));
          result.files++;
        } catch (error) {
          result.errors++;
          warn(
            `checkpoint clean-up: cannot remove ${join(dir, f.name)}: ${(error as Error).message}`,
          );
        }
      }
    }
  }
  return result;
}

/**
 * The snapshot files of a host directory named `<ts> <= before`, oldest
 * first, without the newest one when its data reaches past `before`.
 */
export async function oldFiles(dir: string, before: number): Promise<SnapshotFileName[]> {
  const old = (await listSnapshots(dir)).filter((f) => f.ts > 0 && f.ts <= before);
  if (old.length === 0) return old;
  const newest = old[old.length - 1];
  const to = await snapshotEnd(join(dir, newest.name));
  if (to === null || to > before) old.pop();
  return old;
}

/** The `to` of a snapshot file, or null when it cannot be read. */
async function snapshotEnd(path: string): Promise<number | null> {
  try {
    if (path.endsWith(".bin")) {
      const file = await Deno.open(path);
      try {
        const head = new Uint8Array(20);
        let n = 0;
        while (n < 20) {
          const got = await file.read(head.subarray(n));
          if (got === null) return null;
          n += got;
        }
        const view = new DataView(head.buffer);
        return view.getUint32(0, true) === SNAPSHOT_MAGIC ? getInt64(view, 12) : null;
      } finally {
        file.close();
      }
    }
    return decodeJsonSnapshot(await Deno.readTextFile(path)).to;
  } catch (error) {
    // An unreadable file is kept (null): its end is unknown.
    if (error instanceof Error) return null;
    throw error;
  }
}

/** Reads a snapshot file of either format. */
export async function loadSnapshot(path: string): Promise<CheckpointFile> {
  return path.endsWith(".bin")
    ? decodeBinarySnapshot(await Deno.readFile(path))
    : decodeJsonSnapshot(await Deno.readTextFile(path));
}
