/**
 * The `job` table: insert (single and bulk), look-ups, listing with
 * allow-listed filters and sort fields, counting and the `-init-db` wipe.
 *
 * @module
 */

import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { Job } from "../archive/types.ts";
import { badInput } from "../errors.ts";
import { withTransaction } from "./connection.ts";
import {
  describeJob,
  JOB_INSERT_COLUMNS,
  jobColumn,
  jobToValues,
  rowToJob,
  validateJob,
} from "./job_mapping.ts";
import { sqlError } from "./sql_errors.ts";
import { type Row, Statements } from "./statements.ts";

/** Equality filters on allow-listed job fields (the keys of `JOB_FIELD_COLUMNS`). */
export type JobFilter = Record<string, string | number>;

/** Options of {@link JobRepository.list}. */
export interface ListJobsOptions {
  filter?: JobFilter;
  /** An allow-listed job field; default `startTime`. */
  sortBy?: string;
  order?: "ASC" | "DESC";
  limit?: number;
  offset?: number;
}

/** Options of {@link JobRepository.insertJobs}. */
export interface InsertJobsOptions {
  /** Called inside the transaction after each insert, e.g. to attach the job's tags. */
  onInserted?: (id: number, job: Job) => void;
}

const INSERT_SQL = `INSERT INTO job (${JOB_INSERT_COLUMNS.join(", ")}) VALUES (${
  JOB_INSERT_COLUMNS.map(() => "?").join(", ")
})`;

/** Reads and writes rows of the `job` table. */
export class JobRepository {
  readonly #db: DatabaseSync;
  readonly #sql: Statements;

  /** Wraps an open database at schema version 11. */
  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#sql = new Statements(db);
  }

  #insertOne(statement: StatementSync, job: Job): number {
    validateJob(job);
    try {
      return Number(statement.run(...jobToValues(job)).lastInsertRowid);
    } catch (error) {
      throw sqlError(`cannot insert ${describeJob(job)} (start time ${job.startTime})`, error, {
        values: { job_state: job.jobState, shared: job.shared, smt: job.smt },
      });
    }
  }

  /** Inserts one job (its `id` is ignored) and returns the new database id. */
  insertJob(job: Job): number {
    return this.#insertOne(this.#sql.get(INSERT_SQL), job);
  }

  /**
   * Inserts one row from values prepared by `jobToValues()` of a job that
   * passed `validateJob()` (bulk import in a worker); returns the new id.
   */
  insertJobValues(
    values: SQLInputValue[],
    job: Pick<Job, "jobId" | "cluster" | "startTime">,
  ): number {
    try {
      return Number(this.#sql.get(INSERT_SQL).run(...values).lastInsertRowid);
    } catch (error) {
      throw sqlError(`cannot insert ${describeJob(job)} (start time ${job.startTime})`, error);
    }
  }

  /**
   * Inserts many jobs in one transaction with one prepared statement and returns
   * their ids in order. Any failure rolls back the whole batch.
   */
  insertJobs(jobs: Iterable<Job>, options: InsertJobsOptions = {}): number[] {
    const statement = this.#sql.get(INSERT_SQL);
    return withTransaction(this.#db, () => {
      const ids: number[] = [];
      for (const job of jobs) {
        const id = this.#insertOne(statement, job);
        options.onInserted?.(id, job);
        ids.push(id);
      }
      return ids;
    });
  }

  /** The job with database id `id`, or null. */
  findById(id: number): Job | null {
    const row = this.#sql.get("SELECT * FROM job WHERE id = ?").get(id) as Row | undefined;
    return row ? rowToJob(row) : null;
  }

  /**
   * The job with batch id `jobId`, optionally narrowed by cluster and start
   * time; when several match, the most recently inserted one.
   */
  find(jobId: number, options: { cluster?: string; startTime?: number } = {}): Job | null {
    const where = ["job_id = ?"];
    const params: SQLInputValue[] = [jobId];
    if (options.cluster !== undefined) {
      where.push("cluster = ?");
      params.push(options.cluster);
    }
    if (options.startTime !== undefined) {
      where.push("start_time = ?");
      params.push(options.startTime);
    }
    const sql = `SELECT * FROM job WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT 1`;
    const row = this.#sql.get(sql).get(...params) as Row | undefined;
    return row ? rowToJob(row) : null;
  }

  /** Jobs matching `filter`, sorted by an allow-listed field. */
  list(options: ListJobsOptions = {}): Job[] {
    const { where, params } = whereClause(options.filter);
    const column = jobColumn(options.sortBy ?? "startTime");
    const order = options.order ?? "DESC";
    if (order !== "ASC" && order !== "DESC") {
      throw badInput(`cannot sort jobs: invalid order ${JSON.stringify(order)} (ASC or DESC)`);
    }
    let sql = `SELECT * FROM job${where} ORDER BY ${column} ${order}, id ${order}`;
    if (options.limit !== undefined) {
      sql += " LIMIT ? OFFSET ?";
      params.push(options.limit, options.offset ?? 0);
    }
    return (this.#sql.get(sql).all(...params) as Row[]).map(rowToJob);
  }

  /** Number of jobs, optionally matching `filter`. */
  countJobs(options: { filter?: JobFilter } = {}): number {
    const { where, params } = whereClause(options.filter);
    const row = this.#sql.get(`SELECT COUNT(*) AS n FROM job${where}`).get(...params);
    return Number(row?.n ?? 0);
  }

  /** Deletes every job tag, tag and job (`-init-db`), in one transaction. */
  deleteAllJobsAndTags(): void {
    withTransaction(this.#db, () => {
      this.#db.exec("DELETE FROM jobtag");
      this.#db.exec("DELETE FROM tag");
      this.#db.exec("DELETE FROM job");
    });
  }
}

function whereClause(filter: JobFilter = {}): { where: string; params: SQLInputValue[] } {
  const parts: string[] = [];
  const params: SQLInputValue[] = [];
  for (const [field, value] of Object.entries(filter)) {
    parts.push(`${jobColumn(field)} = ?`);
    params.push(value);
  }
  return { where: parts.length ? ` WHERE ${parts.join(" AND ")}` : "", params };
}
