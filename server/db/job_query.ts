/**
 * The job query layer for lists: filters in the shape of cc-backend's
 * GraphQL `JobFilter` (the REST job list uses a subset), a visibility
 * condition, allow-listed ordering, LIMIT/OFFSET paging and counting. Every
 * value is a bound parameter; column names come only from allow-lists.
 *
 * The filter grows field by field: jobName, node, metricStats and schedule
 * are still to come with the GraphQL `jobs` query.
 *
 * @module
 */

import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { type Job, JOB_STATES, type JobState, type Shared } from "../archive/types.ts";
import { badInput } from "../errors.ts";
import { jobColumn, rowToJob } from "./job_mapping.ts";
import { type Row, Statements } from "./statements.ts";

/**
 * A condition on a text column (GraphQL `StringInput`). Exactly one operator
 * applies: the first one set in the order eq, neq, startsWith, endsWith,
 * contains, in. LIKE matching is ASCII case-insensitive; `%` and `_` in the
 * value match themselves.
 */
export interface StringMatch {
  eq?: string;
  neq?: string;
  startsWith?: string;
  endsWith?: string;
  contains?: string;
  /** An empty list matches nothing. */
  in?: string[];
}

/** An inclusive range; 0 (or less) at either end leaves that end open. */
export interface NumberRange {
  from: number;
  to: number;
}

/** Relative start-time windows of {@link TimeRange.range}, in seconds. */
export const TIME_RANGES: Readonly<Record<string, number>> = Object.freeze({
  last6h: 6 * 3600,
  last24h: 24 * 3600,
  last7d: 7 * 86400,
  last30d: 30 * 86400,
});

/**
 * A start-time range in unix seconds (bigint for values beyond 2^53). With
 * neither `from` nor `to`, `range` names a window ending now (see
 * {@link TIME_RANGES}); unknown names add no condition.
 */
export interface TimeRange {
  from?: number | bigint;
  to?: number | bigint;
  range?: string;
}

/** One filter; set fields are AND-ed, and a list of filters is AND-ed too. */
export interface JobQueryFilter {
  /** Database ids; an empty list matches nothing. */
  dbId?: (number | bigint)[];
  jobId?: StringMatch;
  arrayJobId?: number;
  user?: StringMatch;
  project?: StringMatch;
  cluster?: StringMatch;
  subCluster?: StringMatch;
  partition?: StringMatch;
  /** Any of these states; an empty list matches nothing. */
  state?: JobState[];
  shared?: Shared;
  startTime?: TimeRange;
  duration?: NumberRange;
  numNodes?: NumberRange;
  numHWThreads?: NumberRange;
  numAccelerators?: NumberRange;
  energy?: NumberRange;
  /** Jobs carrying at least one of these tag ids; an empty list matches nothing. */
  tags?: number[];
}

/** An SQL condition on table `job` with its bound parameters (`null`: no restriction). */
export interface JobCondition {
  sql: string;
  params: SQLInputValue[];
}

/** Sorting by an allow-listed job field (a key of `JOB_FIELD_COLUMNS`). */
export interface JobOrder {
  field: string;
  order?: "ASC" | "DESC";
}

/** A 1-based page; `itemsPerPage` -1 returns every row. */
export interface JobPage {
  itemsPerPage: number | bigint;
  page: number | bigint;
}

/** What {@link JobQuery.count} selects. */
export interface JobCountOptions {
  filters?: JobQueryFilter[];
  /**
   * Which rows the viewer may see (`jobVisibilityCondition()`); `null` means
   * all. Required so that no caller forgets it.
   */
  visibility: JobCondition | null;
}

/** What {@link JobQuery.list} selects, in which order and which page. */
export interface JobListOptions extends JobCountOptions {
  /** Default `startTime` descending (served by the `jobs_starttime` index). */
  order?: JobOrder;
  /** Default: every row. */
  page?: JobPage;
}

const STRING_COLUMNS = {
  jobId: "job.job_id",
  user: "job.hpc_user",
  project: "job.project",
  cluster: "job.cluster",
  subCluster: "job.subcluster",
  partition: "job.cluster_partition",
} as const;

const RANGE_COLUMNS = {
  duration: "job.duration",
  numNodes: "job.num_nodes",
  numHWThreads: "job.num_hwthreads",
  numAccelerators: "job.num_acc",
  energy: "job.energy",
} as const;

const INT64_MAX = (1n << 63n) - 1n;

function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function placeholders(n: number): string {
  return new Array(n).fill("?").join(", ");
}

function stringCondition(column: string, match: StringMatch): JobCondition | null {
  if (match.eq !== undefined) return { sql: `${column} = ?`, params: [match.eq] };
  if (match.neq !== undefined) return { sql: `${column} != ?`, params: [match.neq] };
  const like = (pattern: string): JobCondition => ({
    sql: `${column} LIKE ? ESCAPE '\\'`,
    params: [pattern],
  });
  if (match.startsWith !== undefined) return like(`${likeEscape(match.startsWith)}%`);
  if (match.endsWith !== undefined) return like(`%${likeEscape(match.endsWith)}`);
  if (match.contains !== undefined) return like(`%${likeEscape(match.contains)}%`);
  if (match.in !== undefined) return listCondition(column, match.in);
  return null;
}

function listCondition(column: string, values: readonly SQLInputValue[]): JobCondition {
  if (values.length === 0) return { sql: "1 = 0", params: [] };
  if (values.length === 1) return { sql: `${column} = ?`, params: [values[0]] };
  return { sql: `${column} IN (${placeholders(values.length)})`, params: [...values] };
}

function rangeCondition(column: string, range: NumberRange): JobCondition | null {
  if (range.from > 0 && range.to > 0) {
    return { sql: `${column} BETWEEN ? AND ?`, params: [range.from, range.to] };
  }
  if (range.from > 0) return { sql: `${column} >= ?`, params: [range.from] };
  if (range.to > 0) return { sql: `${column} <= ?`, params: [range.to] };
  return null;
}

function timeCondition(range: TimeRange, now: number): JobCondition | null {
  const column = "job.start_time";
  if (range.from !== undefined && range.to !== undefined) {
    return { sql: `${column} BETWEEN ? AND ?`, params: [range.from, range.to] };
  }
  if (range.from !== undefined) return { sql: `${column} >= ?`, params: [range.from] };
  if (range.to !== undefined) return { sql: `${column} <= ?`, params: [range.to] };
  const window = range.range !== undefined && Object.hasOwn(TIME_RANGES, range.range)
    ? TIME_RANGES[range.range]
    : undefined;
  return window === undefined ? null : { sql: `${column} >= ?`, params: [now - window] };
}

function filterConditions(filter: JobQueryFilter, now: number): JobCondition[] {
  const out: (JobCondition | null)[] = [];
  if (filter.dbId) out.push(listCondition("job.id", filter.dbId));
  for (const [field, column] of Object.entries(STRING_COLUMNS)) {
    const match = filter[field as keyof typeof STRING_COLUMNS];
    if (match) out.push(stringCondition(column, match));
  }
  if (filter.arrayJobId !== undefined) {
    out.push({ sql: "job.array_job_id = ?", params: [filter.arrayJobId] });
  }
  if (filter.state) {
    for (const state of filter.state) {
      if (!JOB_STATES.includes(state)) {
        throw badInput(`cannot filter jobs: invalid job state ${JSON.stringify(state)}`);
      }
    }
    out.push(listCondition("job.job_state", filter.state));
  }
  if (filter.shared !== undefined) out.push({ sql: "job.shared = ?", params: [filter.shared] });
  if (filter.startTime) out.push(timeCondition(filter.startTime, now));
  for (const [field, column] of Object.entries(RANGE_COLUMNS)) {
    const range = filter[field as keyof typeof RANGE_COLUMNS];
    if (range) out.push(rangeCondition(column, range));
  }
  if (filter.tags) {
    out.push(
      filter.tags.length === 0 ? { sql: "1 = 0", params: [] } : {
        sql: "EXISTS (SELECT 1 FROM jobtag WHERE jobtag.job_id = job.id AND jobtag.tag_id IN (" +
          `${placeholders(filter.tags.length)}))`,
        params: [...filter.tags],
      },
    );
  }
  return out.filter((c): c is JobCondition => c !== null);
}

/**
 * The WHERE clause (with leading space, or empty) for `filters` and the
 * visibility condition, for queries on table `job`. `now` (unix seconds)
 * anchors relative start-time ranges.
 */
export function jobWhereClause(
  options: JobCountOptions,
  clock: { now: number },
): { where: string; params: SQLInputValue[] } {
  const conditions = (options.filters ?? []).flatMap((f) => filterConditions(f, clock.now));
  if (options.visibility) conditions.push(options.visibility);
  if (conditions.length === 0) return { where: "", params: [] };
  return {
    where: ` WHERE ${conditions.map((c) => `(${c.sql})`).join(" AND ")}`,
    params: conditions.flatMap((c) => c.params),
  };
}

function toBigInt(value: number | bigint, what: string): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) {
    throw badInput(`cannot page jobs: ${what} ${value} is not an integer`);
  }
  return BigInt(value);
}

/** LIMIT and OFFSET of a page, or null for "every row". */
function limitOffset(page: JobPage): [bigint, bigint] | null {
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

  /** Queries `db`; `now` (unix seconds) gives running jobs their current duration. */
  constructor(db: DatabaseSync, options: { now?: () => number } = {}) {
    this.#sql = new Statements(db);
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  #toJob(row: Row, now: number): Job {
    const job = rowToJob(row);
    // As cc-backend: the stored duration of a running job is stale.
    if (job.jobState === "running") job.duration = now - job.startTime;
    return job;
  }

  /** Jobs matching the filters and visibility, ordered and paged. */
  list(options: JobListOptions): Job[] {
    const now = this.#now();
    const { where, params } = jobWhereClause(options, { now });
    const column = `job.${jobColumn(options.order?.field ?? "startTime")}`;
    const order = options.order?.order ?? "DESC";
    if (order !== "ASC" && order !== "DESC") {
      throw badInput(`cannot sort jobs: invalid order ${JSON.stringify(order)} (ASC or DESC)`);
    }
    // The id tie-break keeps pages stable; an index on the column also orders by rowid.
    let sql = `SELECT job.* FROM job${where} ORDER BY ${column} ${order}, job.id ${order}`;
    const paging = options.page ? limitOffset(options.page) : null;
    if (paging) {
      sql += " LIMIT ? OFFSET ?";
      params.push(...paging);
    }
    return (this.#sql.get(sql).all(...params) as Row[]).map((row) => this.#toJob(row, now));
  }

  /** Number of jobs matching the filters and visibility. */
  count(options: JobCountOptions): number {
    const { where, params } = jobWhereClause(options, { now: this.#now() });
    const row = this.#sql.get(`SELECT COUNT(*) AS n FROM job${where}`).get(...params);
    return Number(row?.n ?? 0);
  }

  /** The job with database id `id` if it exists and is visible, else null. */
  findById(id: number | bigint, options: Pick<JobCountOptions, "visibility">): Job | null {
    const now = this.#now();
    const { where, params } = jobWhereClause({ ...options, filters: [{ dbId: [id] }] }, { now });
    const row = this.#sql.get(`SELECT job.* FROM job${where}`).get(...params) as Row | undefined;
    return row ? this.#toJob(row, now) : null;
  }
}
