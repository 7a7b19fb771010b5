/**
 * Main-thread side of the `-init-db` insert worker: posts batches in order
 * and resolves each with its result. A database without a file (in memory)
 * is written in-process instead.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { DbConfig } from "../config/mod.ts";
import { BatchInserter, type BatchResult, type PreparedJob } from "./insert_batch.ts";
import type { InsertWorkerRequest } from "./insert_worker.ts";

type Reply =
  | { type: "opened" | "closed" }
  | { type: "result"; result: BatchResult }
  | { type: "error"; error: string };

/** Inserts batches of prepared jobs into `db`, on a worker thread when `db` is a file. */
export class InsertWorkerClient {
  readonly #worker?: Worker;
  readonly #inline?: BatchInserter;
  readonly #waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];

  constructor(db: DatabaseSync, options: { dbConfig?: Partial<DbConfig> } = {}) {
    const path = (db as unknown as { location(): string | null }).location();
    if (!path) {
      this.#inline = new BatchInserter(db);
      return;
    }
    this.#worker = new Worker(new URL("./insert_worker.ts", import.meta.url), { type: "module" });
    this.#worker.onmessage = (event: MessageEvent<Reply>) => {
      const waiter = this.#waiting.shift();
      if (event.data.type === "error") waiter?.reject(new Error(event.data.error));
      else waiter?.resolve(event.data);
    };
    this.#worker.onerror = (event) => {
      event.preventDefault();
      for (const waiter of this.#waiting.splice(0)) {
        waiter.reject(new Error(`insert worker failed: ${event.message}`));
      }
    };
    this.#send({ type: "open", path, dbConfig: options.dbConfig });
  }

  #send(request: InsertWorkerRequest): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#worker!.postMessage(request);
    });
  }

  /** Inserts one batch; batches are inserted in the order they are given. */
  async insert(jobs: PreparedJob[]): Promise<BatchResult> {
    if (this.#inline) return this.#inline.insert(jobs);

    const reply = await this.#send({ type: "batch", jobs });
    if (reply.type !== "result") throw new Error(`insert worker: unexpected reply ${reply.type}`);
    return reply.result;
  }

  /** Closes the worker's connection and ends the worker. */
  async close(): Promise<void> {
    if (!this.#worker) {
      this.#inline?.flush();
      return;
    }
    await this.#send({ type: "close" });
    this.#worker.terminate();
  }
}
