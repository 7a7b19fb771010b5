/**
 * Main-thread side of the `-init-db` insert worker: posts batches in order
 * and resolves each with its result. A database without a file (in memory),
 * or a worker that cannot start (e.g. no read permission for its module under
 * `deno run`), is written in-process instead, more slowly but with the same
 * result.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { DbConfig } from "../config/mod.ts";
import { log } from "../log/logger.ts";
import { BatchInserter, type BatchResult, type PreparedJob } from "./insert_batch.ts";
import type { InsertWorkerRequest } from "./insert_worker.ts";

type Reply =
  | { type: "opened" | "closed" }
  | { type: "result"; result: BatchResult }
  | { type: "error"; error: string };

/** Inserts batches of prepared jobs into a database, on a worker thread when it can. */
export class InsertWorkerClient {
  #worker?: Worker;
  #inline?: BatchInserter;
  readonly #waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];

  private constructor() {}

  /** Starts the worker and waits until it has opened `db`'s file; falls back to in-process. */
  static async open(
    db: DatabaseSync,
    options: { dbConfig?: Partial<DbConfig> } = {},
  ): Promise<InsertWorkerClient> {
    const client = new InsertWorkerClient();
    const path = (db as unknown as { location(): string | null }).location();
    if (path) {
      try {
        client.#startWorker();
        await client.#send({ type: "open", path, dbConfig: options.dbConfig });
        return client;
      } catch (error) {
        client.#worker?.terminate();
        client.#worker = undefined;
        log.warn(`init-db: inserting on the main thread (${(error as Error).message})`);
      }
    }
    client.#inline = new BatchInserter(db);
    return client;
  }

  #startWorker(): void {
    const worker = new Worker(new URL("./insert_worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (event: MessageEvent<Reply>) => {
      const waiter = this.#waiting.shift();
      if (event.data.type === "error") waiter?.reject(new Error(event.data.error));
      else waiter?.resolve(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      for (const waiter of this.#waiting.splice(0)) {
        waiter.reject(new Error(`insert worker failed: ${event.message}`));
      }
    };
    this.#worker = worker;
  }

  #send(request: InsertWorkerRequest): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#worker!.postMessage(request);
    });
  }

  /** Whether batches go to a worker thread. */
  get threaded(): boolean {
    return this.#worker !== undefined;
  }

  /** Inserts one batch; batches are inserted in the order they are given. */
  async insert(jobs: PreparedJob[]): Promise<BatchResult> {
    if (this.#inline) return this.#inline.insert(jobs);
    const reply = await this.#send({ type: "batch", jobs });
    if (reply.type !== "result") throw new Error(`insert worker: unexpected reply ${reply.type}`);
    return reply.result;
  }

  /** Commits, closes the worker's connection and ends the worker. */
  async close(): Promise<void> {
    if (!this.#worker) {
      this.#inline?.flush();
      return;
    }
    await this.#send({ type: "close" });
    this.#worker.terminate();
  }
}
