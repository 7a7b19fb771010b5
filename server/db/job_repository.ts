/**
 * The `job` table: insert (single and bulk), look-ups, listing with
 * allow-listed filters and sort fields, counting, the job-control updates
 * (stop, metadata), deletes, the used-nodes query and the `-init-db` wipe.
 *
 * @module
 */

import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { Job, JobState } from "../archive/types.ts";
import { AppError, badInput } from "../errors.ts";
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
import { type Row, Statements, textOf } from "./statements.ts";

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

/** Which tagged jobs {@link JobRepository.deleteJobsBefore} keeps. */
export type OmitTagged = "none" | "all" | "user";

/** The allowed values of {@link OmitTagged}. */
export const OMIT_TAGGED_VALUES: readonly OmitTagged[] = ["none", "all", "user"];

/** Seconds within which a second start of the same jobId on the same cluster is a duplicate. */
export const DUPLICATE_START_WINDOW = 86400;

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

  /**
   * The first job (lowest id) with this jobId on this cluster that makes a
   * start at `startTime` a duplicate: cc-backend's one-sided rule
   * `startTime - existing.startTime < 86400`, so an earlier new start always
   * collides and one exactly a day later does not. Null when there is none.
   */
  findDuplicateStart(
    jobId: number,
    cluster: string,
    startTime: number,
  ): { id: number; jobId: number } | null {
    const row = this.#sql.get(
      "SELECT id, job_id FROM job WHERE job_id = ? AND cluster = ? AND ? - start_time < ? " +
        "ORDER BY id LIMIT 1",
    ).get(jobId, cluster, startTime, DUPLICATE_START_WINDOW) as Row | undefined;
    return row ? { id: Number(row.id), jobId: Number(row.job_id) } : null;
  }

  /**
   * Marks job `id` as stopped: sets state and duration, leaves the
   * monitoring status alone. Returns false when no row has that id.
   */
  stopJob(id: number, state: JobState, duration: number): boolean {
    try {
      const result = this.#sql.get("UPDATE job SET job_state = ?, duration = ? WHERE id = ?")
        .run(state, duration, id);
      return Number(result.changes) > 0;
    } catch (error) {
      throw sqlError(`cannot mark job ${id} as ${JSON.stringify(state)}`, error, {
        values: { job_state: state },
      });
    }
  }

  /**
   * Stores the result of archiving job `id`: footprint, energy footprint,
   * total energy and monitoring status 3, in one statement. Returns false
   * when no row has that id.
   */
  markArchived(
    id: number,
    result: {
      footprint: Record<string, number>;
      energyFootprint: Record<string, number>;
      energy: number;
    },
  ): boolean {
    try {
      const changes = this.#sql.get(
        "UPDATE job SET footprint = ?, energy_footprint = ?, energy = ?, monitoring_status = 3 " +
          "WHERE id = ?",
      ).run(
        JSON.stringify(result.footprint),
        JSON.stringify(result.energyFootprint),
        result.energy,
        id,
      ).changes;
      return Number(changes) > 0;
    } catch (error) {
      throw sqlError(`cannot store the archiving result of job ${id}`, error);
    }
  }

  /** Sets the monitoring status (0-3) of job `id`; false when no row has that id. */
  setMonitoringStatus(id: number, status: 0 | 1 | 2 | 3): boolean {
    try {
      const changes = this.#sql.get("UPDATE job SET monitoring_status = ? WHERE id = ?")
        .run(status, id).changes;
      return Number(changes) > 0;
    } catch (error) {
      throw sqlError(`cannot set the monitoring status of job ${id} to ${status}`, error);
    }
  }

  /**
   * Stopped jobs still waiting for the archiver (monitoring status 1, state
   * not `running`), oldest row first: what a restart must archive.
   */
  unarchivedStoppedJobs(): Job[] {
    const rows = this.#sql.get(
      "SELECT * FROM job WHERE monitoring_status = 1 AND job_state <> 'running' ORDER BY id",
    ).all() as Row[];
    return rows.map(rowToJob);
  }

  /** The metadata of job `id` (empty when it has none), or null when there is no such job. */
  metadataOf(id: number): Record<string, string> | null {
    const row = this.#sql.get("SELECT id, meta_data FROM job WHERE id = ?").get(id) as
      | Row
      | undefined;
    if (!row) return null;
    const source = textOf(row.meta_data);
    if (!source) return {};
    try {
      const parsed = JSON.parse(source);
      return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed : {};
    } catch (error) {
      throw new AppError(500, `job ${id}: column meta_data does not hold valid JSON`, {
        cause: error,
      });
    }
  }

  /**
   * Sets (or overwrites) one key of job `id`'s metadata, in one transaction so
   * concurrent edits of other keys are not lost. Returns the merged metadata,
   * or null when there is no such job.
   */
  setMetadata(id: number, key: string, value: string): Record<string, string> | null {
    return withTransaction(this.#db, () => {
      const metaData = this.metadataOf(id);
      if (metaData === null) return null;
      metaData[key] = value;
      this.#sql.get("UPDATE job SET meta_data = ? WHERE id = ?").run(JSON.stringify(metaData), id);
      return metaData;
    });
  }

  /** Deletes job `id` (its tag links go with it); false when there was none. */
  deleteJob(id: number): boolean {
    const result = this.#sql.get("DELETE FROM job WHERE id = ?").run(id);
    return Number(result.changes) > 0;
  }

  /**
   * Deletes the jobs that started before `startTime` and returns how many.
   * `omitTagged` keeps jobs with any tag (`all`) or with a tag whose type is
   * neither `app` nor `jobClass`, i.e. one a person set (`user`).
   */
  deleteJobsBefore(startTime: number, omitTagged: OmitTagged = "none"): number {
    const keep: Record<OmitTagged, string> = {
      none: "",
      all: " AND NOT EXISTS (SELECT 1 FROM jobtag jt WHERE jt.job_id = job.id)",
      user: " AND NOT EXISTS (SELECT 1 FROM jobtag jt JOIN tag t ON t.id = jt.tag_id " +
        "WHERE jt.job_id = job.id AND t.tag_type NOT IN ('app', 'jobClass'))",
    };
    if (!Object.hasOwn(keep, omitTagged)) {
      throw badInput(`omit-tagged must be one of: ${OMIT_TAGGED_VALUES.join(", ")}`);
    }
    const result = this.#sql.get(`DELETE FROM job WHERE start_time < ?${keep[omitTagged]}`)
      .run(startTime);
    return Number(result.changes);
  }

  /**
   * The hosts busy with running jobs that started before `startTime`, per
   * cluster: sorted, without duplicates, clusters in name order.
   */
  usedNodes(startTime: number): Record<string, string[]> {
    const rows = this.#sql.get(
      "SELECT cluster, resources FROM job WHERE job_state = 'running' AND start_time < ?",
    ).all(startTime) as Row[];
    const hosts = new Map<string, Set<string>>();
    for (const row of rows) {
      const cluster = String(row.cluster);
      let set = hosts.get(cluster);
      if (!set) hosts.set(cluster, set = new Set());
      for (const resource of parseResources(row)) set.add(resource.hostname);
    }
    const used: Record<string, string[]> = {};
    for (const cluster of [...hosts.keys()].sort()) used[cluster] = [...hosts.get(cluster)!].sort();
    return used;
  }

  /**
   * Moves the rows a cc-backend left in `job_cache` (jobs started but not yet
   * synced) into `job`, skipping ones already there; returns how many moved.
   * This program never writes `job_cache`.
   */
  flushJobCache(): number {
    const columns = JOB_INSERT_COLUMNS.join(", ");
    return withTransaction(this.#db, () => {
      const result = this.#sql.get(
        `INSERT OR IGNORE INTO job (${columns}) SELECT ${columns} FROM job_cache ORDER BY id`,
      ).run();
      this.#db.exec("DELETE FROM job_cache");
      return Number(result.changes);
    });
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

function parseResources(row: Row): { hostname: string }[] {
  const source = textOf(row.resources);
  if (!source) return [];
  try {
    const parsed = JSON.parse(source);
    return Array.isArray(parsed)
      ? parsed.filter((r) => typeof r?.hostname === "string" && r.hostname !== "")
      : [];
  } catch (error) {
    throw new AppError(
      500,
      `a running job on ${JSON.stringify(row.cluster)} has invalid resources`,
      {
        cause: error,
      },
    );
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
