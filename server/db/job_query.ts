/**
 * The job query layer for lists: filters in the shape of cc-backend's
 * GraphQL `JobFilter` (see `job_filter_sql.ts`; the REST job list uses a
 * subset), a visibility condition, allow-listed ordering by columns and by
 * footprint values, LIMIT/OFFSET paging and counting.
 *
 * @module
 */

import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import type { Job } from "../archive/types.ts";
import { badInput } from "../errors.ts";
import {
  type FilterContext,
  footprintPath,
  jobWhereClause,
  type JobWhereOptions,
} from "./job_filter_sql.ts";
import { jobColumn, rowToJob } from "./job_mapping.ts";
import { type Row, Statements } from "./statements.ts";

export {
  type FilterContext,
  type FootprintRange,
  type JobCondition,
  type JobQueryFilter,
  jobWhereClause,
  type JobWhereOptions,
  type NumberRange,
  type StringMatch,
  TIME_RANGES,
  type TimeRange,
} from "./job_filter_sql.ts";

/**
 * Sorting: by an allow-listed job field (a key of `JOB_FIELD_COLUMNS`) with
 * `type` `col` (the default), or by an allow-listed footprint key such as
 * `flops_any_avg` with `type` `foot`; jobs without that value come last.
 */
export interface JobOrder {
  field: string;
  order?: "ASC" | "DESC";
  type?: "col" | "foot";
}

/** A 1-based page; `itemsPerPage` -1 returns every row. */
export interface JobPage {
  itemsPerPage: number | bigint;
  page: number | bigint;
}

/** What {@link JobQuery.count} selects. */
export type JobCountOptions = JobWhereOptions;

/** What {@link JobQuery.list} selects, in which order and which page. */
export interface JobListOptions extends JobCountOptions {
  /** Default `startTime` descending (served by the `jobs_starttime` index). */
  order?: JobOrder;
  /** Default: every row. */
  page?: JobPage;
}

/** Options of a {@link JobQuery}. */
export interface JobQueryOptions {
  /** Unix seconds; running jobs report `now - startTime` as duration. */
  now?: () => number;
  /** Footprint keys allowed in filters and sorting (from the cluster configs), or their source. */
  footprintKeys?: ReadonlySet<string> | (() => ReadonlySet<string>);
}

const INT64_MAX = (1n << 63n) - 1n;

function toBigInt(value: number | bigint, what: string): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) {
    throw badInput(`cannot page jobs: ${what} ${value} is not an integer`);
  }
  return BigInt(value);
}

/** LIMIT and OFFSET of a page, or null for "every row". */
export function limitOffset(page: JobPage): [bigint, bigint] | null {
  const items = toBigInt(page.itemsPerPage, "items per page");
  if (items === -1n) return null;
  if (items < 1n) throw badInput(`invalid items-per-page value: ${items}`);
  let number = toBigInt(page.page, "page");
  if (number < 1n) number = 1n;
  const offset = (number - 1n) * items;
  // SQLite takes 64-bit values; beyond that the page is empty anyway.
  return [items > INT64_MAX ? INT64_MAX : items, offset > INT64_MAX ? INT64_MAX : offset];
}

/** Reads job lists, counts and single jobs, always under a visibility condition. */
export class JobQuery {
  readonly #sql: Statements;
  readonly #now: () => number;
  readonly #footprintKeys?: ReadonlySet<string> | (() => ReadonlySet<string>);

  /** Queries `db`. */
  constructor(db: DatabaseSync, options: JobQueryOptions = {}) {
    this.#sql = new Statements(db);
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.#footprintKeys = options.footprintKeys;
  }

  #context(): FilterContext {
    const keys = this.#footprintKeys;
    return { now: this.#now(), footprintKeys: typeof keys === "function" ? keys() : keys };
  }

  #toJob(row: Row, now: number): Job {
    const job = rowToJob(row);
    // As cc-backend: the stored duration of a running job is stale.
    if (job.jobState === "running") job.duration = now - job.startTime;
    return job;
  }

  /** ORDER BY clause and its parameters. */
  #orderBy(order: JobOrder | undefined, context: FilterContext): [string, SQLInputValue[]] {
    const direction = order?.order ?? "DESC";
    if (direction !== "ASC" && direction !== "DESC") {
      throw badInput(`cannot sort jobs: invalid order ${JSON.stringify(direction)} (ASC or DESC)`);
    }
    if (order?.type === "foot") {
      const path = footprintPath(order.field, context, "sort jobs");
      // Jobs without the value (or without valid footprint JSON) come last either way.
      const value = "CASE WHEN json_valid(job.footprint) THEN json_extract(job.footprint, ?) END";
      return [
        ` ORDER BY (${value}) IS NULL, ${value} ${direction}, job.id ${direction}`,
        [path, path],
      ];
    }
    if (order?.type !== undefined && order.type !== "col") {
      throw badInput(
        `cannot sort jobs: invalid sort type ${JSON.stringify(order.type)} (col or foot)`,
      );
    }
    const column = `job.${jobColumn(order?.field ?? "startTime")}`;
    // The id tie-break keeps pages stable; an index on the column also orders by rowid.
    return [` ORDER BY ${column} ${direction}, job.id ${direction}`, []];
  }

  #select(options: JobListOptions, extraRows: number): Job[] {
    const byStart = (options.order?.type ?? "col") === "col" &&
      (options.order?.field ?? "startTime") === "startTime";
    const context = { ...this.#context(), startTimeOrder: byStart };
    const { where, params } = jobWhereClause(options, context);
    const [orderBy, orderParams] = this.#orderBy(options.order, context);
    const paging = options.page ? limitOffset(options.page) : null;
    let sql: string;
    if (paging) {
      // Late row lookup: the page's ids come from the indexes alone (a filtered index range
      // sorted by start time needs no table rows), then only the page's rows are read.
      const [limit, offset] = paging;
      const take = limit + BigInt(extraRows) > INT64_MAX ? INT64_MAX : limit + BigInt(extraRows);
      sql = `SELECT job.* FROM job WHERE job.id IN (SELECT job.id FROM job${where}${orderBy} ` +
        `LIMIT ? OFFSET ?)${orderBy}`;
      params.push(...orderParams, take, offset, ...orderParams);
    } else {
      sql = `SELECT job.* FROM job${where}${orderBy}`;
      params.push(...orderParams);
    }
    const rows = this.#sql.get(sql).all(...params) as Row[];
    return rows.map((row) => this.#toJob(row, context.now));
  }

  /** Jobs matching the filters and visibility, ordered and paged. */
  list(options: JobListOptions): Job[] {
    return this.#select(options, 0);
  }

  /**
   * One page plus whether another follows, from one query that reads one
   * row more than the page holds (`itemsPerPage` -1: never a next page).
   */
  listPage(options: JobListOptions & { page: JobPage }): { items: Job[]; hasNextPage: boolean } {
    const paging = limitOffset(options.page);
    if (!paging) return { items: this.#select(options, 0), hasNextPage: false };
    const items = this.#select(options, 1);
    const hasNextPage = BigInt(items.length) > paging[0];
    if (hasNextPage) items.pop();
    return { items, hasNextPage };
  }

  /** Number of jobs matching the filters and visibility. */
  count(options: JobCountOptions): number {
    const { where, params } = jobWhereClause(options, this.#context());
    const row = this.#sql.get(`SELECT COUNT(*) AS n FROM job${where}`).get(...params);
    return Number(row?.n ?? 0);
  }

  /** The job with database id `id` if it exists and is visible, else null. */
  findById(id: number | bigint, options: Pick<JobCountOptions, "visibility">): Job | null {
    const context = this.#context();
    const { where, params } = jobWhereClause({ ...options, filters: [{ dbId: [id] }] }, context);
    const row = this.#sql.get(`SELECT job.* FROM job${where}`).get(...params) as Row | undefined;
    return row ? this.#toJob(row, context.now) : null;
  }

  /**
   * Jobs of the same cluster that overlapped in time with `job` on one of its
   * hosts (cc-backend's rule with 200 s of slack at both ends: a finished job
   * counts when it started before `end - 200` and ended after `start + 200`,
   * a running one when it started by `end - 200`; `end` is now for a running
   * job). The job itself is left out. Ordered by start time.
   */
  concurrentJobs(
    job: Pick<Job, "id" | "cluster" | "startTime" | "duration" | "jobState" | "resources">,
    options: Pick<JobCountOptions, "visibility">,
  ): { id: number; jobId: number }[] {
    const context = this.#context();
    const hosts = job.resources.map((r) => r.hostname);
    const start = job.startTime;
    const end = job.jobState === "running" ? context.now : job.startTime + job.duration;
    const { where, params } = jobWhereClause({
      ...options,
      filters: [{ cluster: { eq: job.cluster } }],
    }, context);
    const sql = `SELECT job.id, job.job_id FROM job${where} AND job.id != ? AND (` +
      "(job.job_state != 'running' AND job.start_time < ? AND job.start_time + job.duration > ?) " +
      "OR (job.job_state = 'running' AND job.start_time <= ?)) AND json_valid(job.resources) " +
      "AND EXISTS (SELECT 1 FROM json_each(job.resources) r " +
      "WHERE json_extract(r.value, '$.hostname') IN (SELECT value FROM json_each(?))) " +
      "ORDER BY job.start_time, job.id";
    params.push(job.id ?? -1, end - 200, start + 200, end - 200, JSON.stringify(hosts));
    const rows = this.#sql.get(sql).all(...params) as Row[];
    return rows.map((r) => ({ id: Number(r.id), jobId: Number(r.job_id) }));
  }
}
