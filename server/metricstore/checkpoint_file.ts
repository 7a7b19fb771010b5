/**
 * The checkpoint data model shared by both file formats (cc-backend's
 * `CheckpointFile`), the directory layout `<dir>/<cluster>/<host>/` with
 * `<from>.bin` / `<from>.json` snapshots and `current.wal`, and the name
 * checks that keep cluster and host names inside that directory.
 *
 * @module
 */
import { join } from "node:path";

/** One metric's series in a snapshot: `data[i]` is the sample at `start + i·frequency`. */
export interface CheckpointSeries {
  frequency: number;
  start: number;
  /** NaN marks a missing sample. */
  data: Float32Array | Float64Array;
}

/** A snapshot of one level and its descendants. */
export interface CheckpointFile {
  from: number;
  to: number;
  metrics: Map<string, CheckpointSeries>;
  children: Map<string, CheckpointFile>;
}

/** The snapshot formats (`checkpoints.file-format`). */
export type CheckpointFormat = "wal" | "json";

/** Name of a host's write-ahead log. */
export const WAL_FILE_NAME = "current.wal";

/** An empty checkpoint. */
export function emptyCheckpoint(from: number, to: number): CheckpointFile {
  return { from, to, metrics: new Map(), children: new Map() };
}

/**
 * Whether `name` may be used as a cluster, host or level directory name:
 * not empty, not `.` or `..`, and without `/`, `\` or NUL (cc-backend
 * rejects `..`, `/` and `\`).
 */
export function isSafeName(name: string): boolean {
  return name !== "" && name !== "." && !name.includes("..") && !/[/\\\0]/.test(name);
}

/** The directory of a host's checkpoints; throws for names that would leave `root`. */
export function hostDirectory(root: string, cluster: string, host: string): string {
  for (const name of [cluster, host]) {
    if (!isSafeName(name)) {
      throw new Error(
        `cannot use ${JSON.stringify(name)} as a checkpoint directory name: ` +
          `it is empty or contains "..", "/", "\\" or NUL`,
      );
    }
  }
  return join(root, cluster, host);
}

/** A snapshot file in a host directory. */
export interface SnapshotFileName {
  name: string;
  /** The `<from>` of the name. */
  ts: number;
  format: CheckpointFormat;
}

/** Parses `<ts>.bin` (format wal) or `<ts>.json`; null for any other name. */
export function parseSnapshotName(name: string): SnapshotFileName | null {
  const m = /^(\d{1,15})\.(bin|json)$/.exec(name);
  if (m === null) return null;
  return { name, ts: Number(m[1]), format: m[2] === "bin" ? "wal" : "json" };
}

/** The file name of a snapshot starting at `ts`. */
export function snapshotName(ts: number, format: CheckpointFormat): string {
  return `${ts}.${format === "wal" ? "bin" : "json"}`;
}

/** The snapshot files of a host directory, oldest first (none when it does not exist). */
export async function listSnapshots(dir: string): Promise<SnapshotFileName[]> {
  const out: SnapshotFileName[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile) continue;
      const parsed = parseSnapshotName(entry.name);
      if (parsed !== null) out.push(parsed);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return out;
    throw error;
  }
  return out.sort((a, b) => a.ts - b.ts || a.name.localeCompare(b.name));
}

/** `[cluster, host, directory]` of every host directory under `root` with safe names. */
export async function listHostDirectories(
  root: string,
  warn: (message: string) => void,
): Promise<[string, string, string][]> {
  const out: [string, string, string][] = [];
  for (const cluster of await sortedEntries(root)) {
    const clusterDir = join(root, cluster.name);
    if (!cluster.isDirectory) {
      warn(`checkpoints: ignoring ${clusterDir}: not a cluster directory`);
      continue;
    }
    if (!isSafeName(cluster.name)) continue;
    for (const host of await sortedEntries(clusterDir)) {
      const hostDir = join(clusterDir, host.name);
      if (!host.isDirectory) {
        warn(`checkpoints: ignoring ${hostDir}: not a host directory`);
        continue;
      }
      if (!isSafeName(host.name)) continue;
      out.push([cluster.name, host.name, hostDir]);
    }
  }
  return out;
}

async function sortedEntries(dir: string): Promise<Deno.DirEntry[]> {
  const out: Deno.DirEntry[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) out.push(entry);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return out;
    throw error;
  }
  return out.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Writes all of `bytes` (a write may be partial). */
export async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await file.write(bytes.subarray(off));
}

/** Writes `path` via `<path>.tmp` and a rename, so a crash never leaves half a file under `path`. */
export async function writeFileSafely(
  path: string,
  bytes: Uint8Array,
  sync: boolean,
): Promise<void> {
  const tmp = `${path}.tmp`;
  const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    await writeAll(file, bytes);
    if (sync) await file.syncData();
  } finally {
    file.close();
  }
  await Deno.rename(tmp, path);
}
