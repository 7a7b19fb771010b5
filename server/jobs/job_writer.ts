/**
 * Where REST start_job/stop_job do their database part. Concurrent requests
 * share one transaction (group commit) either way; the server runs them on a
 * worker thread with its own connection (`worker_job_writer.ts`), so the
 * event loop keeps answering HTTP while SQLite updates the job table's many
 * indexes. Tests and in-memory databases use the in-process writer.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { Job } from "../archive/types.ts";
import { writeBatcherFor } from "../db/write_batcher.ts";
import { type PreparedStart, type StartedJob, storeStart } from "./start_job.ts";
import { type StopJobRequest, storeStop } from "./stop_job.ts";

/** Runs the database part of job starts and stops; errors are the store functions' AppErrors. */
export interface JobWriter {
  /** {@link storeStart} of a prepared start. */
  start(prepared: PreparedStart): Promise<StartedJob>;
  /** {@link storeStop} of a stop request. */
  stop(request: StopJobRequest): Promise<Job>;
  /** Finishes the writes in flight and releases what the writer holds. */
  close(): Promise<void>;
}

/** The writer that batches on `db` itself, on the calling thread. */
export function inProcessJobWriter(db: DatabaseSync): JobWriter {
  const batcher = writeBatcherFor(db);
  return {
    start: (prepared) => batcher.run(() => storeStart(db, prepared)),
    stop: (request) => batcher.run(() => storeStop(db, request)),
    close: () => Promise.resolve(),
  };
}
