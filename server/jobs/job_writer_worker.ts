/**
 * Worker side of the REST job writer: its own connection to the server's
 * database, a savepoint per start or stop, and one reply per batch with
 * every outcome. Errors travel as status and message, so the main thread
 * answers exactly what the in-process path would.
 *
 * Group commit: a batch (the writes the main thread collected while the
 * worker was busy) is one transaction, and its reply goes out after the
 * COMMIT, so no caller hears of a write that is not durable. (Holding the
 * transaction open for the next batch saved commits but cost more in
 * latency: 1,823-1,951 against 2,025-2,169 pairs/s in the benchmark.)
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { DatabaseSync } from "node:sqlite";
import type { DbConfig } from "../config/mod.ts";
import { openDatabase } from "../db/connection.ts";
import { commitBatch } from "../db/write_batcher.ts";
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

let db: DatabaseSync | undefined;

function failure(error: unknown): WriteFailure {
  if (error instanceof AppError) return { status: error.status, message: error.message };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** Runs a batch in one transaction, a savepoint per write; a failed COMMIT fails them all. */
function runBatch(conn: DatabaseSync, writes: JobWrite[]): JobWriterReply {
  const outcomes = commitBatch(
    conn,
    writes.map((write) => () =>
      write.op === "start" ? storeStart(conn, write.prepared) : storeStop(conn, write.request)
    ),
  );
  return {
    type: "batch",
    outcomes: outcomes.map((o) =>
      o.ok ? { ok: true, value: o.value } : { ok: false, error: failure(o.error) }
    ),
  };
}

function handle(request: JobWriterRequest): JobWriterReply {
  switch (request.type) {
    case "open": {
      db = openDatabase(request.path, { dbConfig: request.dbConfig });
      // PRAGMA arguments cannot be bound; the page count is an integer the main thread chose.
      db.exec(`PRAGMA wal_autocheckpoint = ${Math.trunc(request.autocheckpointPages)}`);
      return { type: "opened" };
    }
    case "batch": {
      if (!db) throw new Error("the job writer's database is not open");
      return runBatch(db, request.writes);
    }
    case "close": {
      db?.close();
      db = undefined;
      return { type: "closed" };
    }
  }
}

self.onmessage = (event: MessageEvent<JobWriterRequest>) => {
  let reply: JobWriterReply;
  try {
    reply = handle(event.data);
  } catch (error) {
    reply = { type: "failed", error: failure(error).message };
  }
  self.postMessage(reply);
};
