/**
 * Group commit for short write requests: writes queued in the same turn of
 * the event loop run one after another inside ONE transaction, each in its
 * own savepoint, and their promises settle after the COMMIT. One commit
 * instead of one per request is what makes start_job/stop_job fast: each
 * commit rewrites the pages of the job table's many indexes.
 *
 * A write that throws is rolled back to its savepoint and only its promise
 * rejects; a failing COMMIT rejects the whole batch. Writes run in queue
 * order, so a write sees every earlier write of its batch (the duplicate
 * check of a second identical start_job sees the first).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { withTransaction } from "./connection.ts";

interface Pending {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Batches the writes of one database connection. */
export class WriteBatcher {
  readonly #db: DatabaseSync;
  readonly #maxBatch: number;
  #queue: Pending[] = [];
  #scheduled = false;

  constructor(db: DatabaseSync, options: { maxBatch?: number } = {}) {
    this.#db = db;
    this.#maxBatch = options.maxBatch ?? 256;
  }

  /** Runs `write` (synchronous, database work only) in the next batch; settles after its commit. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setTimeout(() => this.#flush(), 0);
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#commit(batch);
    }
  }

  #commit(batch: Pending[]): void {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      withTransaction(this.#db, () => {
        for (const item of batch) {
          try {
            // A savepoint per write: a failing one leaves no trace, the others stay.
            outcomes.push({ ok: true, value: withTransaction(this.#db, item.write) });
          } catch (error) {
            outcomes.push({ ok: false, value: error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.value);
    });
  }
}

const batchers = new WeakMap<DatabaseSync, WriteBatcher>();

/** The batcher of `db` (one per connection). */
export function writeBatcherFor(db: DatabaseSync): WriteBatcher {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new WriteBatcher(db);
    batchers.set(db, batcher);
  }
  return batcher;
}
