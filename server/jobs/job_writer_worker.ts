/**
 * Worker side of the REST job writer: its own connection to the server's
 * database, a savepoint per start or stop, and one reply per batch with
 * every outcome. Errors travel as status and message, so the main thread
 * answers exactly what the in-process path would.
 *
 * Group commit: a batch's writes run in the open transaction, and the
 * worker commits when no further batch is waiting (the main thread counts
 * the batches it sent in a shared counter), or when the transaction holds
 * {@link MAX_HELD_WRITES} writes or is {@link MAX_HOLD_MS} old. Replies go
 * out after the commit, so no caller hears of a write that is not durable,
 * and under load one COMMIT (the WAL write of every page the writes
 * touched) serves several batches.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { DatabaseSync } from "node:sqlite";
import type { DbConfig } from "../config/mod.ts";
import { openDatabase } from "../db/connection.ts";
import { type BatchOutcome, runInSavepoints } from "../db/write_batcher.ts";
import { AppError } from "../errors.ts";
import { type PreparedStart, storeStart } from "./start_job.ts";
import { type StopJobRequest, storeStop } from "./stop_job.ts";

/** One write of a batch. */
export type JobWrite =
  | { op: "start"; prepared: PreparedStart }
  | { op: "stop"; request: StopJobRequest };

/** A failed write as it crosses threads. */
export interface WriteFailure {
  /** The AppError status, absent for unexpected errors. */
  status?: number;
  message: string;
}

/** What the main thread sends. */
export type JobWriterRequest =
  | {
    type: "open";
    path: string;
    dbConfig?: Partial<DbConfig>;
    autocheckpointPages: number;
    /** Batches sent and not yet started: the main thread adds 1 before each post. */
    waiting: SharedArrayBuffer;
  }
  | { type: "batch"; writes: JobWrite[] }
  | { type: "close" };

/** What the worker answers, one reply per request in order. */
export type JobWriterReply =
  | { type: "opened" | "closed" }
  | { type: "failed"; error: string }
  | {
    type: "batch";
    outcomes: ({ ok: true; value: unknown } | { ok: false; error: WriteFailure })[];
  };

/** Most writes one transaction collects before it commits. */
export const MAX_HELD_WRITES = 1024;
/** Most milliseconds a transaction stays open to collect further batches. */
export const MAX_HOLD_MS = 4;

let db: DatabaseSync | undefined;
let waiting: Int32Array | undefined;
/** Outcomes of the batches run in the open transaction, in order. */
let held: BatchOutcome[][] = [];
let heldWrites = 0;
let heldSince = 0;

function failure(error: unknown): WriteFailure {
  if (error instanceof AppError) return { status: error.status, message: error.message };
  return { message: error instanceof Error ? error.message : String(error) };
}

function runBatch(conn: DatabaseSync, writes: JobWrite[]): JobWriterReply[] {
  if (waiting) Atomics.sub(waiting, 0, 1);
  if (!conn.isTransaction) {
    conn.exec("BEGIN IMMEDIATE");
    heldSince = performance.now();
  }
  held.push(runInSavepoints(
    conn,
    writes.map((write) => () =>
      write.op === "start" ? storeStart(conn, write.prepared) : storeStop(conn, write.request)
    ),
  ));
  heldWrites += writes.length;
  const more = waiting !== undefined && Atomics.load(waiting, 0) > 0;
  if (more && heldWrites < MAX_HELD_WRITES && performance.now() - heldSince < MAX_HOLD_MS) {
    return [];
  }
  return commitHeld(conn);
}

/** Commits the open transaction; one reply per held batch (all failed if COMMIT fails). */
function commitHeld(conn: DatabaseSync): JobWriterReply[] {
  const batches = held;
  held = [];
  heldWrites = 0;
  try {
    conn.exec("COMMIT");
  } catch (error) {
    if (conn.isTransaction) conn.exec("ROLLBACK");
    const message = failure(error).message;
    return batches.map(() => ({ type: "failed", error: message }));
  }
  return batches.map((outcomes) => ({
    type: "batch",
    outcomes: outcomes.map((o) =>
      o.ok ? { ok: true, value: o.value } : { ok: false, error: failure(o.error) }
    ),
  }));
}

function handle(request: JobWriterRequest): JobWriterReply[] {
  switch (request.type) {
    case "open": {
      db = openDatabase(request.path, { dbConfig: request.dbConfig });
      // PRAGMA arguments cannot be bound; the page count is an integer the main thread chose.
      db.exec(`PRAGMA wal_autocheckpoint = ${Math.trunc(request.autocheckpointPages)}`);
      waiting = new Int32Array(request.waiting);
      return [{ type: "opened" }];
    }
    case "batch": {
      if (!db) throw new Error("the job writer's database is not open");
      return runBatch(db, request.writes);
    }
    case "close": {
      const replies = db?.isTransaction ? commitHeld(db) : [];
      db?.close();
      db = undefined;
      return [...replies, { type: "closed" }];
    }
  }
}

self.onmessage = (event: MessageEvent<JobWriterRequest>) => {
  let replies: JobWriterReply[];
  try {
    replies = handle(event.data);
  } catch (error) {
    replies = [{ type: "failed", error: failure(error).message }];
  }
  for (const reply of replies) self.postMessage(reply);
};
