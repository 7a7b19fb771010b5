/**
 * Checkpointing of the metric store: restore at start, a snapshot of every
 * changed host each `checkpoint-interval` and at shutdown, the journal's
 * WAL in between, and a host snapshot whenever its WAL outgrows
 * `max-wal-size`.
 *
 * Files: `<directory>/<cluster>/<host>/<ts>.bin` (format `wal`) or
 * `<ts>.json` (format `json`), written to `<name>.tmp`, fsynced and renamed;
 * `current.wal` beside them. The WAL is written in both formats (cc-backend
 * writes it only with `wal`), so that a crash loses at most the last flush
 * interval whatever the snapshot format.
 *
 * Differences to cc-backend: a WAL over `max-wal-size` triggers a snapshot
 * of its host and then restarts (cc-backend deletes it, losing the samples
 * since the last snapshot on a crash); WAL records are kept in memory, not
 * dropped, while a snapshot is written; late samples (older than the last
 * snapshot) are saved by the next one.
 *
 * @module
 */
import { log } from "../log/logger.ts";
import { encodeBinarySnapshot } from "./checkpoint_binary.ts";
import {
  type CheckpointFormat,
  hostDirectory,
  snapshotName,
  writeFileSafely,
} from "./checkpoint_file.ts";
import { encodeJsonSnapshot } from "./checkpoint_json.ts";
import { restoreCheckpoints, type RestoreResult } from "./checkpoint_restore.ts";
import { captureHost } from "./checkpoint_snapshot.ts";
import type { MemoryStore } from "./memory_store.ts";
import { type HostWal, WalJournal } from "./wal_journal.ts";

/** Options of a {@link Checkpointer}. */
export interface CheckpointerOptions {
  directory: string;
  format: CheckpointFormat;
  /** Seconds between periodic checkpoints. */
  intervalSeconds: number;
  /** `retention-in-memory` in seconds: the restore window. */
  retentionSeconds: number;
  /** Bytes of a host's WAL that trigger a snapshot of the host (0: no limit). */
  maxWalSize?: number;
  /** Hosts written or restored concurrently (default 4). */
  workers?: number;
  /** Clock in unix seconds. */
  now?: () => number;
  /** WAL flush interval in ms (default 1000). */
  flushIntervalMs?: number;
  /** Bound of buffered WAL bytes (default 256 MiB). */
  maxBufferedBytes?: number;
  /** fsync snapshot files before renaming them into place (default true). */
  sync?: boolean;
}

/** What a checkpoint pass did. */
export interface CheckpointResult {
  /** Files written. */
  files: number;
  /** Values written. */
  points: number;
  /** Hosts without changes. */
  unchanged: number;
  errors: number;
  seconds: number;
}

type HostOutcome = { written: true; points: number } | { written: false; failed: boolean };

/** Restores, snapshots and journals one store. */
export class Checkpointer {
  readonly store: MemoryStore;
  readonly journal: WalJournal;
  readonly options: CheckpointerOptions;
  /** Start of series the journal has no record of; advanced by error-free checkpoints. */
  lastCheckpoint: number;
  readonly #now: () => number;
  readonly #newest = new Map<string, number>();
  readonly #rotating = new Map<HostWal, Promise<void>>();
  #timer: number | undefined;
  #running: Promise<CheckpointResult> | null = null;
  #stopped = false;

  constructor(store: MemoryStore, options: CheckpointerOptions) {
    this.store = store;
    this.options = options;
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.lastCheckpoint = this.#now();
    this.journal = new WalJournal(store, {
      directory: options.directory,
      flushIntervalMs: options.flushIntervalMs,
      maxBufferedBytes: options.maxBufferedBytes,
      maxWalSize: options.maxWalSize,
      onOversize: (wal) => this.#rotate(wal),
      warn: (message) => log.warn(message),
    });
  }

  /**
   * Loads the checkpoints of the retention window. Hosts whose WAL was
   * damaged are snapshotted right away, so their WAL restarts clean.
   */
  async restore(): Promise<RestoreResult> {
    const started = performance.now();
    const result = await restoreCheckpoints(this.store, {
      directory: this.options.directory,
      from: this.#now() - this.options.retentionSeconds,
      journal: this.journal,
      workers: this.options.workers,
      warn: (message) => log.warn(message),
    });
    for (const [key, ts] of result.newestSnapshot) this.#newest.set(key, ts);
    for (const [cluster, host] of result.damagedWals) await this.snapshotHost(cluster, host);
    log.info(
      `metric store: restored ${result.points} values from ${result.files} checkpoint files ` +
        `and ${result.walRecords} WAL records of ${result.hosts} hosts in ` +
        `${((performance.now() - started) / 1000).toFixed(2)} s`,
    );
    return result;
  }

  /** Starts the WAL flush timer and the periodic checkpoint (timers do not keep the process alive). */
  start(): void {
    this.journal.start();
    if (this.#timer !== undefined) return;
    // Timers take at most 2^31 - 1 ms (24.8 days).
    const ms = Math.min(Math.max(1, this.options.intervalSeconds) * 1000, 2 ** 31 - 1);
    this.#timer = setInterval(() => void this.checkpoint(), ms) as unknown as number;
    Deno.unrefTimer(this.#timer);
  }

  /** Snapshots every changed host; one pass at a time (a call during a pass waits for it). */
  checkpoint(): Promise<CheckpointResult> {
    if (this.#running !== null) return this.#running;
    const pass = this.#checkpointPass().finally(() => {
      this.#running = null;
    });
    this.#running = pass;
    return pass;
  }

  /** Snapshots one host if it changed; true when a file was written. */
  async snapshotHost(cluster: string, host: string): Promise<boolean> {
    const outcome = await this.#snapshotHost(cluster, host);
    return outcome.written;
  }

  /** Resolves when no checkpoint pass and no WAL rotation is running. */
  async idle(): Promise<void> {
    while (this.#running !== null || this.#rotating.size > 0) {
      await Promise.all([this.#running, ...this.#rotating.values()]);
    }
  }

  /** Stops the timers, writes a final checkpoint and closes the WAL files. */
  async stop(): Promise<CheckpointResult> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#running !== null) await this.#running;
    await Promise.all(this.#rotating.values());
    const result = await this.#checkpointPass();
    await this.journal.close();
    return result;
  }

  async #checkpointPass(): Promise<CheckpointResult> {
    const started = performance.now();
    const at = this.#now();
    const result: CheckpointResult = { files: 0, points: 0, unchanged: 0, errors: 0, seconds: 0 };
    const hosts: [string, string][] = [];
    for (const [cluster, c] of this.store.root.children ?? []) {
      for (const host of c.children?.keys() ?? []) hosts.push([cluster, host]);
    }
    let next = 0;
    const worker = async () => {
      while (next < hosts.length) {
        const [cluster, host] = hosts[next++];
        const outcome = await this.#snapshotHost(cluster, host);
        if (outcome.written) {
          result.files++;
          result.points += outcome.points;
        } else if (outcome.failed) {
          result.errors++;
        } else {
          result.unchanged++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.workers ?? 4) }, worker));
    // WALs of hosts whose data left the store hold nothing worth replaying.
    for (const wal of this.journal.hostWals()) {
      if (this.store.findLevel([wal.cluster, wal.host]) === undefined) {
        await this.journal.dropHost(wal).catch((error) => {
          log.warn(`metric store: cannot remove ${wal.path}: ${(error as Error).message}`);
        });
      }
    }
    if (result.errors === 0) this.lastCheckpoint = at;
    result.seconds = (performance.now() - started) / 1000;
    const level = result.errors > 0 ? "warn" : "info";
    log[level](
      `metric store: checkpoint wrote ${result.files} files (${result.points} values, ` +
        `${result.unchanged} hosts unchanged, ${result.errors} failed) in ${
          result.seconds.toFixed(2)
        } s`,
    );
    return result;
  }

  async #snapshotHost(cluster: string, host: string): Promise<HostOutcome> {
    const wal = this.journal.hostWal(cluster, host);
    if (wal !== undefined) await this.journal.beginSnapshot(wal);
    // From here to the capture nothing may await: the capture must cover every
    // record set aside above.
    const level = this.store.findLevel([cluster, host]);
    const to = this.#now();
    const capture = level === undefined ? null : captureHost(this.store, level, {
      journal: this.journal,
      fallbackFrom: this.lastCheckpoint,
      to,
      float32: this.options.format === "wal",
    });
    if (capture === null) {
      if (wal !== undefined) await this.journal.endSnapshot(wal, false);
      return { written: false, failed: false };
    }
    const key = `${cluster}\0${host}`;
    try {
      const dir = hostDirectory(this.options.directory, cluster, host);
      await Deno.mkdir(dir, { recursive: true });
      let ts = Math.max(this.lastCheckpoint, (this.#newest.get(key) ?? -1) + 1);
      while (await exists(`${dir}/${snapshotName(ts, this.options.format)}`)) ts++;
      const path = `${dir}/${snapshotName(ts, this.options.format)}`;
      const bytes = this.options.format === "wal"
        ? encodeBinarySnapshot(capture.file)
        : new TextEncoder().encode(encodeJsonSnapshot(capture.file));
      await writeFileSafely(path, bytes, this.options.sync ?? true);
      this.#newest.set(key, ts);
    } catch (error) {
      capture.rollback();
      if (wal !== undefined) await this.journal.endSnapshot(wal, false);
      log.error(
        `metric store: cannot write the checkpoint of ${cluster}/${host}: ${
          (error as Error).message
        }`,
      );
      return { written: false, failed: true };
    }
    capture.commit();
    if (wal !== undefined) await this.journal.endSnapshot(wal, true);
    return { written: true, points: capture.points };
  }

  #rotate(wal: HostWal): void {
    if (this.#stopped || this.#rotating.has(wal)) return;
    const run = this.#snapshotHost(wal.cluster, wal.host).then(() => {}, (error) => {
      log.error(`metric store: WAL rotation of ${wal.path} failed: ${(error as Error).message}`);
    }).finally(() => this.#rotating.delete(wal));
    this.#rotating.set(wal, run);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
