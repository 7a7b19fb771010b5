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
    let outcomes: BatchOutcome[];
    try {
      outcomes = commitBatch(this.#db, batch.map((item) => item.write));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}

/** What one write of a batch did: its result, or the error it threw. */
export type BatchOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Runs `writes` in order in one transaction, each in its own savepoint, and
 * commits once. A write that throws is rolled back alone (its outcome holds
 * the error); a failing COMMIT throws, and then none of them happened.
 */
export function commitBatch(db: DatabaseSync, writes: (() => unknown)[]): BatchOutcome[] {
  return withTransaction(db, () => runInSavepoints(db, writes));
}

/**
 * Runs `writes` in order inside the open transaction of `db`, each in its own
 * savepoint: a write that throws is rolled back alone and its outcome holds
 * the error. Nothing is committed.
 */
function runInSavepoints(db: DatabaseSync, writes: (() => unknown)[]): BatchOutcome[] {
  if (!db.isTransaction) throw new Error("runInSavepoints needs an open transaction");
  return writes.map((write): BatchOutcome => {
    try {
      return { ok: true, value: withTransaction(db, write) };
    } catch (error) {
      return { ok: false, error };
    }
  });
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
