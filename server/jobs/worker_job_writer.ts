/**
 * Main-thread side of the REST job writer's worker (`job_writer_worker.ts`).
 * Writes queued while the worker is busy go out together as the next batch,
 * so batches grow with the load and there is one transaction per batch.
 *
 * If the worker cannot start, or fails later, the server goes on with the
 * in-process writer on its own connection: writes not yet sent move there,
 * and the writes of a batch the worker was running fail with a 500 that
 * says their outcome is unknown.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { Job } from "../archive/types.ts";
import type { DbConfig } from "../config/mod.ts";
import { SAFETY_NET_PAGES } from "../db/background_checkpoints.ts";
import { AppError } from "../errors.ts";
import { log } from "../log/logger.ts";
import { canLoadWorkerModule } from "../worker_module.ts";
import { inProcessJobWriter, type JobWriter } from "./job_writer.ts";
import type { JobWrite, JobWriterReply, JobWriterRequest } from "./job_writer_worker.ts";
import type { PreparedStart, StartedJob } from "./start_job.ts";
import type { StopJobRequest } from "./stop_job.ts";

/** Most writes in one batch (one transaction). */
const MAX_BATCH = 256;

/**
 * Batches sent but not answered yet: the worker starts the next one as soon
 * as it commits one, instead of idling while the main thread handles the
 * replies; writes arriving meanwhile wait and form a bigger batch.
 */
const MAX_IN_FLIGHT = 2;

interface Pending {
  write: JobWrite;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * A job writer on a worker thread for `db`'s file, or the in-process writer
 * when `db` has no file or the worker cannot open it.
 */
export async function openJobWriter(
  db: DatabaseSync,
  options: { dbConfig?: Partial<DbConfig> } = {},
): Promise<JobWriter> {
  const path = db.location();
  if (!path) return inProcessJobWriter(db);
  const module = new URL("./job_writer_worker.ts", import.meta.url);
  if (!canLoadWorkerModule(module)) {
    log.info(
      "job writer: no read access to the server sources, so starts and stops are written " +
        "on the main thread",
    );
    return inProcessJobWriter(db);
  }
  const writer = new WorkerJobWriter(db, module);
  try {
    await writer.open(path, options.dbConfig);
    log.debug("job writer: starts and stops are written on a worker thread");
    return writer;
  } catch (error) {
    log.warn(
      `job writer: writing starts and stops on the main thread (${(error as Error).message})`,
    );
    await writer.close();
    return inProcessJobWriter(db);
  }
}

class WorkerJobWriter implements JobWriter {
  readonly #db: DatabaseSync;
  readonly #worker: Worker;
  /** Reply handlers, in the order of the requests sent. */
  readonly #replies: ((reply: JobWriterReply) => void)[] = [];
  #queue: Pending[] = [];
  readonly #inFlight = new Set<Pending[]>();
  #scheduled = false;
  #fallback: JobWriter | null = null;
  #idle: (() => void)[] = [];
  #closing: Promise<void> | undefined;

  constructor(db: DatabaseSync, module: URL) {
    this.#db = db;
    this.#worker = new Worker(module, { type: "module" });
    this.#worker.onmessage = (event: MessageEvent<JobWriterReply>) => {
      this.#replies.shift()?.(event.data);
    };
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#fail(event.message);
    };
  }

  open(path: string, dbConfig?: Partial<DbConfig>): Promise<void> {
    return new Promise((resolve, reject) => {
      const request: JobWriterRequest = {
        type: "open",
        path,
        dbConfig,
        autocheckpointPages: SAFETY_NET_PAGES,
      };
      this.#post(request, (r) => {
        if (r.type === "opened") resolve();
        else reject(new Error(r.type === "failed" ? r.error : `unexpected reply ${r.type}`));
      });
    });
  }

  start(prepared: PreparedStart): Promise<StartedJob> {
    if (this.#fallback) return this.#fallback.start(prepared);
    return this.#enqueue({ op: "start", prepared }) as Promise<StartedJob>;
  }

  stop(request: StopJobRequest): Promise<Job> {
    if (this.#fallback) return this.#fallback.stop(request);
    return this.#enqueue({ op: "stop", request }) as Promise<Job>;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (!this.#fallback) {
      while (this.#inFlight.size > 0 || this.#queue.length > 0 || this.#scheduled) {
        await new Promise<void>((resolve) => this.#idle.push(resolve));
      }
      await new Promise<void>((resolve) => this.#post({ type: "close" }, () => resolve()));
    }
    this.#worker.terminate();
  }

  #enqueue(write: JobWrite): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ write, resolve, reject });
      if (this.#inFlight.size >= MAX_IN_FLIGHT || this.#scheduled) return;
      // Wait for the rest of this turn's requests, then send them together.
      this.#scheduled = true;
      setTimeout(() => {
        this.#scheduled = false;
        this.#send();
      }, 0);
    });
  }

  #send(): void {
    if (this.#inFlight.size >= MAX_IN_FLIGHT || this.#fallback) return;
    if (this.#queue.length === 0) {
      if (this.#inFlight.size === 0) { for (const resolve of this.#idle.splice(0)) resolve(); }
      return;
    }
    const batch = this.#queue.splice(0, MAX_BATCH);
    this.#inFlight.add(batch);
    this.#post({ type: "batch", writes: batch.map((p) => p.write) }, (reply) => {
      this.#inFlight.delete(batch);
      if (reply.type === "batch") {
        batch.forEach((pending, i) => {
          const outcome = reply.outcomes[i];
          if (outcome.ok) pending.resolve(outcome.value);
          else pending.reject(toError(outcome.error));
        });
      } else {
        // The transaction failed as a whole (e.g. COMMIT): none of the writes happened.
        const message = reply.type === "failed" ? reply.error : `unexpected reply ${reply.type}`;
        for (const pending of batch) pending.reject(new AppError(500, message));
      }
      // What queued meanwhile goes at once: it already waited for this batch.
      this.#send();
    });
  }

  #post(request: JobWriterRequest, onReply: (reply: JobWriterReply) => void): void {
    this.#replies.push(onReply);
    this.#worker.postMessage(request);
  }

  /** The worker died: unsent writes go in-process, the running batch's outcome is unknown. */
  #fail(message: string): void {
    if (this.#fallback) return;
    log.error(`job writer: the worker failed (${message}); writing on the main thread from now`);
    this.#fallback = inProcessJobWriter(this.#db);
    for (const pending of [...this.#inFlight].flat()) {
      pending.reject(
        new AppError(500, `job writer failed while writing; the outcome is unknown: ${message}`),
      );
    }
    this.#inFlight.clear();
    for (const onReply of this.#replies.splice(0)) onReply({ type: "failed", error: message });
    const fallback = this.#fallback;
    for (const pending of this.#queue.splice(0)) {
      const done = pending.write.op === "start"
        ? fallback.start(pending.write.prepared)
        : fallback.stop(pending.write.request);
      done.then(pending.resolve, pending.reject);
    }
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}

function toError(failure: { status?: number; message: string }): Error {
  return failure.status === undefined
    ? new AppError(500, failure.message)
    : new AppError(failure.status, failure.message);
}
