/**
 * Restore at start: loads every host's snapshots of the retention window
 * (`<ts>.bin` and `<ts>.json`, whatever the configured format, so a site
 * can switch formats) and then replays its `current.wal`.
 *
 * Per host, as cc-backend: the files with `ts >= from`, plus the newest one
 * before `from` (it may hold data past `from`), in ascending order,
 * skipping files whose `to < from`; then WAL records with `ts >= from`.
 * Differences: a damaged snapshot is skipped with a warning instead of
 * failing the host; damaged WAL records are skipped and the rest kept (see
 * wal_format.ts); stray files in the first two directory levels are
 * ignored with a warning; left-over `*.tmp` files of interrupted snapshots
 * are removed. Replayed samples are marked changed in the journal, so the
 * next snapshot saves them before the WAL restarts (cc-backend's quirk of an
 * on-disk gap after a crash is not reproduced).
 *
 * @module
 */
import { join } from "node:path";
import { decodeBinarySnapshot } from "./checkpoint_binary.ts";
import {
  type CheckpointFile,
  isSafeName,
  listHostDirectories,
  listSnapshots,
  type SnapshotFileName,
  WAL_FILE_NAME,
} from "./checkpoint_file.ts";
import { decodeJsonSnapshot } from "./checkpoint_json.ts";
import { applyCheckpoint, type ApplyResult } from "./checkpoint_snapshot.ts";
import type { Level } from "./level.ts";
import type { MemoryStore } from "./memory_store.ts";
import { readWal } from "./wal_format.ts";
import type { WalJournal } from "./wal_journal.ts";

/** Options of {@link restoreCheckpoints}. */
export interface RestoreOptions {
  /** Checkpoint root. */
  directory: string;
  /** Oldest time to restore (now - retention-in-memory). */
  from: number;
  /** Marks replayed WAL samples as changed. */
  journal?: WalJournal;
  /** Hosts restored concurrently (file reads overlap decoding). Default 4. */
  workers?: number;
  warn?: (message: string) => void;
}

/** What a restore loaded. */
export interface RestoreResult {
  hosts: number;
  files: number;
  /** Values loaded from snapshots. */
  points: number;
  walRecords: number;
  /** WAL records skipped for damage (CRC, malformed). */
  walCorrupt: number;
  /** `[cluster, host]` of hosts whose WAL was damaged or cut off. */
  damagedWals: [string, string][];
  /** Largest snapshot name per host: `cluster\0host` → ts. */
  newestSnapshot: Map<string, number>;
  unknownMetrics: Set<string>;
  errors: number;
}

/** Loads the checkpoints under `options.directory` into `store`. */
export async function restoreCheckpoints(
  store: MemoryStore,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const warn = options.warn ?? (() => {});
  await Deno.mkdir(options.directory, { recursive: true });
  const result: RestoreResult = {
    hosts: 0,
    files: 0,
    points: 0,
    walRecords: 0,
    walCorrupt: 0,
    damagedWals: [],
    newestSnapshot: new Map(),
    unknownMetrics: new Set(),
    errors: 0,
  };
  const hosts = await listHostDirectories(options.directory, warn);
  let next = 0;
  const worker = async () => {
    while (next < hosts.length) {
      const [cluster, host, dir] = hosts[next++];
      try {
        await restoreHost(store, { cluster, host, dir }, options, result, warn);
      } catch (error) {
        result.errors++;
        warn(`checkpoints: cannot restore ${dir}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.workers ?? 4) }, worker));
  if (result.unknownMetrics.size > 0) {
    warn(
      `checkpoints: skipped metrics unknown to the cluster configs: ${
        [...result.unknownMetrics].sort().join(", ")
      }`,
    );
  }
  return result;
}

/** The snapshot files of a host to load for data from `from` on, oldest first. */
export function selectSnapshots(files: SnapshotFileName[], from: number): SnapshotFileName[] {
  const firstNew = files.findIndex((f) => f.ts >= from);
  if (firstNew < 0) return files.length > 0 ? [files[files.length - 1]] : [];
  return files.slice(Math.max(0, firstNew - 1));
}

async function restoreHost(
  store: MemoryStore,
  target: { cluster: string; host: string; dir: string },
  options: RestoreOptions,
  result: RestoreResult,
  warn: (message: string) => void,
): Promise<void> {
  const { cluster, host, dir } = target;
  await removeTempFiles(dir, warn);
  const files = await listSnapshots(dir);
  if (files.length > 0) {
    result.newestSnapshot.set(`${cluster}\0${host}`, files[files.length - 1].ts);
  }
  const applied: ApplyResult = { points: 0, unknownMetrics: result.unknownMetrics };
  let restored = false;
  for (const f of selectSnapshots(files, options.from)) {
    const path = join(dir, f.name);
    let file: CheckpointFile;
    try {
      file = f.format === "wal"
        ? decodeBinarySnapshot(await Deno.readFile(path))
        : decodeJsonSnapshot(await Deno.readTextFile(path));
    } catch (error) {
      result.errors++;
      warn(`checkpoints: skipping ${path}: ${(error as Error).message}`);
      continue;
    }
    if (file.to < options.from) continue;
    applyCheckpoint(store, [cluster, host], file, applied);
    result.files++;
    restored = true;
  }
  result.points += applied.points;
  const walPath = join(dir, WAL_FILE_NAME);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(walPath);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      if (restored) result.hosts++;
      return;
    }
    throw error;
  }
  const replay = replayWal(store, [cluster, host], bytes, options);
  result.walRecords += replay.records;
  result.walCorrupt += replay.corrupt;
  if (!replay.validHeader && bytes.length > 0) {
    warn(`checkpoints: ${walPath} is not a WAL file (bad header); ignored`);
    result.damagedWals.push([cluster, host]);
  } else if (replay.corrupt > 0 || replay.truncated) {
    warn(
      `checkpoints: ${walPath}: skipped ${replay.corrupt} damaged records` +
        `${replay.truncated ? " and a record cut off at the end" : ""}; ` +
        `${replay.records} records restored`,
    );
    result.damagedWals.push([cluster, host]);
  }
  if (restored || replay.records > 0) result.hosts++;
}

/** What replaying one WAL did. */
export interface ReplayResult {
  records: number;
  corrupt: number;
  truncated: boolean;
  validHeader: boolean;
  /** Records applied (not too old, known metric, not from the past). */
  applied: number;
}

/**
 * Replays WAL bytes into the store below `hostPath`: records older than
 * `from` and unknown metrics are skipped, writes into the past ignored.
 */
export function replayWal(
  store: MemoryStore,
  hostPath: readonly [string, string],
  bytes: Uint8Array,
  options: { from: number; journal?: WalJournal },
): ReplayResult {
  const decoder = new TextDecoder();
  let hostLevel: Level | undefined;
  const series = new Map<string, { level: Level; metric: number }>();
  const journal = options.journal;
  let applied = 0;
  const read = readWal(bytes, (r) => {
    if (r.ts < options.from) return;
    // Series keys are short; a latin1 string of their bytes is a cheap map key.
    let key = "";
    for (let i = r.keyStart; i < r.keyEnd; i++) key += String.fromCharCode(bytes[i]);
    let target = series.get(key);
    if (target === undefined) {
      let metric = store.metrics.indexOfBytes(bytes, r.nameStart, r.nameEnd);
      let level: Level = hostLevel ??= store.ensureLevel(hostPath);
      for (let i = 0; metric >= 0 && i < r.selector.length; i += 2) {
        const name = decoder.decode(bytes.subarray(r.selector[i], r.selector[i + 1]));
        // Names ingestion would have rejected are not trusted from a file either.
        if (isSafeName(name)) level = store.ensureChild(level, name);
        else metric = -1;
      }
      target = { level, metric };
      series.set(key, target);
    }
    if (target.metric < 0) return;
    if (store.writeSample(target.level, target.metric, r.ts, r.value)) {
      // The store marks the change; the journal only needs to know the level.
      journal?.ensureState(target.level);
      applied++;
    }
  });
  return { ...read, applied };
}

async function removeTempFiles(dir: string, warn: (message: string) => void): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".tmp")) {
      try {
        await Deno.remove(join(dir, entry.name));
      } catch (error) {
        warn(`checkpoints: cannot remove ${join(dir, entry.name)}: ${(error as Error).message}`);
      }
    }
  }
}
