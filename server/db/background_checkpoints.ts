/**
 * WAL checkpoints on a worker thread. By default SQLite copies the WAL back
 * into the database file inside the COMMIT that crosses
 * `wal_autocheckpoint` pages, with an fsync, on the thread that commits: for
 * the server that is the event loop, and under a stream of start/stop
 * requests that copy is about half of every commit's cost.
 *
 * With background checkpoints the server's connection only appends to the
 * WAL, and a worker with its own connection runs `PRAGMA
 * wal_checkpoint(PASSIVE)` (which never blocks the writer) every
 * `busyIntervalMs` while the WAL has frames it has not copied yet, and every
 * `intervalMs` otherwise. The
 * writer's auto-checkpoint stays on with a high threshold, as a safety net:
 * if the worker cannot finish a checkpoint between commits for a long time
 * (so SQLite never restarts the WAL from its beginning), the writer
 * checkpoints the few frames left itself and the WAL does not grow without
 * bound. Stopping runs a last checkpoint in the worker and restores the
 * connection's own threshold.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { log } from "../log/logger.ts";

/**
 * The auto-checkpoint threshold (pages) of writing connections while a
 * worker checkpoints: 16,384 pages, 64 MiB of WAL at 4 KiB pages.
 */
export const SAFETY_NET_PAGES = 16_384;

/** Options of {@link startBackgroundCheckpoints}. */
export interface BackgroundCheckpointOptions {
  /** Milliseconds between checkpoints while the WAL has nothing new (default 500). */
  intervalMs?: number;
  /** Milliseconds between checkpoints while it has (default 50). */
  busyIntervalMs?: number;
  /** The writer's own auto-checkpoint threshold meanwhile, in pages (default {@link SAFETY_NET_PAGES}). */
  safetyNetPages?: number;
}

/** What the worker did so far. */
export interface CheckpointStats {
  /** Checkpoints run. */
  runs: number;
  /** Frames in the WAL at the last checkpoint, and how many of them are in the database. */
  lastLog: number;
  lastCheckpointed: number;
}

/** Running background checkpoints; `stop()` is idempotent. */
export interface BackgroundCheckpoints {
  /** The worker's latest report (updated as it runs). */
  stats(): CheckpointStats;
  /** Last checkpoint, worker closed, the connection's threshold restored. */
  stop(): Promise<void>;
}

/** The worker: its own connection, a checkpoint loop, a last checkpoint on "stop". */
function checkpointWorkerMain(): void {
  // deno-lint-ignore no-explicit-any
  const self = globalThis as any;
  // deno-lint-ignore no-explicit-any
  let db: any = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let runs = 0;
  let busyMs = 50;
  let idleMs = 500;
  // deno-lint-ignore no-explicit-any
  let checkpoint: any = null;
  const once = () => {
    const row = checkpoint.get();
    runs++;
    return { runs, lastLog: Number(row.log), lastCheckpointed: Number(row.checkpointed) };
  };
  const loop = () => {
    try {
      const stats = once();
      self.postMessage({ type: "stats", stats });
      // Frames left to copy: go again soon (a PASSIVE checkpoint with nothing to do is cheap).
      const behind = stats.lastLog > 0 && stats.lastCheckpointed < stats.lastLog;
      timer = setTimeout(loop, behind ? busyMs : idleMs);
    } catch (error) {
      self.postMessage({ type: "error", message: String((error as Error)?.message ?? error) });
    }
  };
  self.onmessage = async (event: MessageEvent) => {
    const message = event.data;
    if (message.type === "start") {
      try {
        const { DatabaseSync } = await import("node:sqlite");
        db = new DatabaseSync(message.path);
        // Never wait for a lock: a PASSIVE checkpoint that finds one busy just tries later.
        db.exec("PRAGMA busy_timeout = 0");
        checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
        busyMs = message.busyIntervalMs;
        idleMs = message.intervalMs;
        self.postMessage({ type: "started" });
        loop();
      } catch (error) {
        self.postMessage({ type: "error", message: String((error as Error)?.message ?? error) });
      }
    } else if (message.type === "stop") {
      clearTimeout(timer);
      let stats = null;
      try {
        if (checkpoint) stats = once();
        db?.close();
      } catch { /* the writer's own checkpoint at close covers it */ }
      self.postMessage({ type: "stopped", stats });
    }
  };
}

function workerSource(): string {
  return `${String(checkpointWorkerMain)}\ncheckpointWorkerMain();\n`;
}

/**
 * Moves the WAL checkpoints of `db` (a file database in WAL mode, the
 * server's writing connection) to a worker thread. Resolves once the worker
 * has opened the database; rejects (with the connection unchanged) if it
 * cannot.
 */
export async function startBackgroundCheckpoints(
  db: DatabaseSync,
  options: BackgroundCheckpointOptions = {},
): Promise<BackgroundCheckpoints> {
  const path = db.location();
  if (!path) throw new Error("background checkpoints need a file database");
  const journal = db.prepare("PRAGMA journal_mode").get() as { journal_mode?: string };
  if (journal.journal_mode !== "wal") {
    throw new Error(`background checkpoints need WAL mode, not ${journal.journal_mode}`);
  }
  const previous = Number(
    (db.prepare("PRAGMA wal_autocheckpoint").get() as { wal_autocheckpoint: number })
      .wal_autocheckpoint,
  );
  const url = URL.createObjectURL(new Blob([workerSource()], { type: "application/javascript" }));
  const worker = new Worker(url, { type: "module" });
  let stats: CheckpointStats = { runs: 0, lastLog: 0, lastCheckpointed: 0 };
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    // PRAGMA arguments cannot be bound; `previous` is an integer SQLite gave us.
    if (db.isOpen) db.exec(`PRAGMA wal_autocheckpoint = ${previous}`);
  };
  let stopped: (() => void) | undefined;
  const started = new Promise<void>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent) => {
      const message = event.data;
      if (message.type === "started") resolve();
      else if (message.type === "stats") stats = message.stats;
      else if (message.type === "stopped") {
        if (message.stats) stats = message.stats;
        stopped?.();
      } else if (message.type === "error") {
        // The writer takes its checkpoints back; the server goes on.
        log.warn(`database: background WAL checkpoints stopped: ${message.message}`);
        restore();
        reject(new Error(message.message));
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      log.warn(`database: background WAL checkpoint worker failed: ${event.message}`);
      restore();
      reject(new Error(event.message));
    };
  });
  try {
    worker.postMessage({
      type: "start",
      path,
      intervalMs: options.intervalMs ?? 500,
      busyIntervalMs: options.busyIntervalMs ?? 50,
    });
    await started;
  } catch (error) {
    worker.terminate();
    throw error;
  } finally {
    // The worker has loaded its module (or failed to): the URL is no longer needed.
    URL.revokeObjectURL(url);
  }
  const safetyNet = Math.trunc(options.safetyNetPages ?? SAFETY_NET_PAGES);
  db.exec(`PRAGMA wal_autocheckpoint = ${safetyNet}`);
  let stopping: Promise<void> | undefined;
  return {
    stats: () => stats,
    stop() {
      stopping ??= (async () => {
        if (!restored) {
          const done = new Promise<void>((resolve) => stopped = resolve);
          worker.postMessage({ type: "stop" });
          // A worker that does not answer within 5 s is ended; the writer checkpoints at close.
          let timer: ReturnType<typeof setTimeout> | undefined;
          const timeout = new Promise<void>((resolve) => timer = setTimeout(resolve, 5000));
          await Promise.race([done, timeout]);
          clearTimeout(timer);
        }
        worker.terminate();
        restore();
      })();
      return stopping;
    },
  };
}
