/**
 * The database side of `-init-db`: inserts batches of prepared job rows with
 * their tags, one transaction per batch, reporting failed jobs by path. Runs
 * in a worker so that reading the archive and writing the database use both
 * cores.
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { JobRepository, TagRepository, withTransaction } from "../db/mod.ts";

/** One job ready for insertion. */
export interface PreparedJob {
  path: string;
  key: { jobId: number; cluster: string; startTime: number };
  values: SQLInputValue[];
  tags: { type: string; name: string; scope: string }[];
}

/** Outcome of one batch. */
export interface BatchResult {
  imported: number;
  failed: { path: string; error: string }[];
}

/** Inserts batches into one database, caching tag ids across batches. */
export class BatchInserter {
  readonly #db: DatabaseSync;
  readonly #jobs: JobRepository;
  readonly #tags: TagRepository;
  #uncommitted = 0;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#jobs = new JobRepository(db);
    this.#tags = new TagRepository(db, { cache: true });
  }

  #insertWithTags(job: PreparedJob): void {
    const id = this.#jobs.insertJobValues(job.values, job.key);
    for (const spec of job.tags) {
      const tag = this.#tags.findTag(spec) ?? this.#tags.getOrCreateTag(spec);
      this.#tags.addTagToJob(id, tag.id);
    }
  }

  /**
   * Inserts `batch`; a failing job is skipped and reported. Jobs are committed
   * in transactions of about `commitEvery` jobs (fewer, larger commits write
   * each index page less often); call {@link flush} at the end.
   */
  insert(batch: PreparedJob[], options: { commitEvery?: number } = {}): BatchResult {
    const result: BatchResult = { imported: 0, failed: [] };
    if (!this.#db.isTransaction) this.#db.exec("BEGIN IMMEDIATE");
    for (const job of batch) {
      try {
        if (job.tags.length > 0) {
          // A savepoint only for jobs with tags: a failing tag must not leave its job behind.
          withTransaction(this.#db, () => this.#insertWithTags(job));
        } else {
          // A failing statement is undone on its own; the transaction goes on.
          this.#jobs.insertJobValues(job.values, job.key);
        }
        result.imported++;
      } catch (error) {
        // The savepoint rollback may have removed tags this job created and cached.
        this.#tags.clearCache();
        result.failed.push({
          path: job.path,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    this.#uncommitted += batch.length;
    if (this.#uncommitted >= (options.commitEvery ?? 20000)) this.flush();
    return result;
  }

  /** Commits what was inserted so far. */
  flush(): void {
    if (this.#db.isTransaction) this.#db.exec("COMMIT");
    this.#uncommitted = 0;
  }
}
