/**
 * Job filters in the shape of cc-backend's GraphQL `JobFilter` and their
 * translation to an SQL WHERE clause on table `job`. Every value is a bound
 * parameter; column names come from constants, and footprint keys (metric
 * statistics such as `flops_any_avg`) only from the caller's allow-list.
 *
 * @module
 */

import type { SQLInputValue } from "node:sqlite";
import { JOB_STATES, type JobState, type Shared } from "../archive/types.ts";
import { badInput } from "../errors.ts";

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

/** A range on one footprint value, e.g. `flops_any_avg` between 10 and 100. */
export interface FootprintRange {
  /** A footprint key `<metric>_<stat>`; must be in the allow-list. */
  metricName: string;
  range: NumberRange;
}

/** One filter; set fields are AND-ed, and a list of filters is AND-ed too. */
export interface JobQueryFilter {
  /** Database ids; an empty list matches nothing. */
  dbId?: (number | bigint)[];
  jobId?: StringMatch;
  arrayJobId?: number;
  user?: StringMatch;
  project?: StringMatch;
  /** On `metaData.jobName`. */
  jobName?: StringMatch;
  cluster?: StringMatch;
  subCluster?: StringMatch;
  partition?: StringMatch;
  /** Any of these states; an empty list matches nothing. */
  state?: JobState[];
  shared?: Shared;
  /** `interactive` (job name "interactive") or `batch` (any other name); others add nothing. */
  schedule?: string;
  startTime?: TimeRange;
  duration?: NumberRange;
  numNodes?: NumberRange;
  numHWThreads?: NumberRange;
  numAccelerators?: NumberRange;
  energy?: NumberRange;
  /** Jobs carrying at least one of these tag ids; an empty list matches nothing. */
  tags?: number[];
  /** Ranges on footprint values, all of which must hold. */
  metricStats?: FootprintRange[];
  /** Jobs with at least one resource whose hostname matches. */
  node?: StringMatch;
}

/** An SQL condition on table `job` with its bound parameters. */
export interface JobCondition {
  sql: string;
  params: SQLInputValue[];
}

/** What a WHERE clause is built with besides the filters. */
export interface FilterContext {
  /** Unix seconds; anchors relative start-time ranges. */
  now: number;
  /**
   * Footprint keys that may be filtered and sorted on. Names outside it are a
   * 400 naming the allowed ones; without a set, no footprint key is allowed.
   */
  footprintKeys?: ReadonlySet<string>;
  /**
   * The query is ordered by start time: keep the duration range out of index
   * selection (`+job.duration`), so SQLite walks a `..._starttime_duration`
   * index in start-time order, checks the duration from the same index entry
   * and stops after one page, instead of sorting every job in the range.
   */
  startTimeOrder?: boolean;
}

/** The filters and the viewer's visibility condition of a query. */
export interface JobWhereOptions {
  filters?: JobQueryFilter[];
  /**
   * Which rows the viewer may see (`jobVisibilityCondition()`); `null` means
   * all. Required so that no caller forgets it.
   */
  visibility: JobCondition | null;
}

const STRING_COLUMNS = {
  jobId: "job.job_id",
  user: "job.hpc_user",
  project: "job.project",
  cluster: "job.cluster",
  subCluster: "job.subcluster",
  partition: "job.cluster_partition",
  jobName: "json_extract(job.meta_data, '$.jobName')",
} as const;

const RANGE_COLUMNS = {
  duration: "job.duration",
  numNodes: "job.num_nodes",
  numHWThreads: "job.num_hwthreads",
  numAccelerators: "job.num_acc",
  energy: "job.energy",
} as const;

const NOTHING: JobCondition = { sql: "1 = 0", params: [] };

function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `?, ?, ?` for `n` parameters. */
export function placeholders(n: number): string {
  return new Array(n).fill("?").join(", ");
}

/** The condition of a {@link StringMatch} on an SQL expression, or null when no operator is set. */
export function stringCondition(column: string, match: StringMatch): JobCondition | null {
  if (match.eq !== undefined && match.eq !== null) {
    return { sql: `${column} = ?`, params: [match.eq] };
  }
  if (match.neq !== undefined && match.neq !== null) {
    return { sql: `${column} != ?`, params: [match.neq] };
  }
  const like = (pattern: string): JobCondition => ({
    sql: `${column} LIKE ? ESCAPE '\\'`,
    params: [pattern],
  });
  if (typeof match.startsWith === "string") return like(`${likeEscape(match.startsWith)}%`);
  if (typeof match.endsWith === "string") return like(`%${likeEscape(match.endsWith)}`);
  if (typeof match.contains === "string") return like(`%${likeEscape(match.contains)}%`);
  if (Array.isArray(match.in)) return listCondition(column, match.in);
  return null;
}

/** `column IN (...)`; an empty list matches nothing. */
export function listCondition(column: string, values: readonly SQLInputValue[]): JobCondition {
  if (values.length === 0) return NOTHING;
  if (values.length === 1) return { sql: `${column} = ?`, params: [values[0]] };
  return { sql: `${column} IN (${placeholders(values.length)})`, params: [...values] };
}

function checkRange(what: string, range: NumberRange): void {
  for (const end of ["from", "to"] as const) {
    if (typeof range[end] !== "number" || Number.isNaN(range[end])) {
      throw badInput(`cannot filter jobs on ${what}: "${end}" is not a number`);
    }
  }
}

/** cc-backend's range rule: both ends > 0 → BETWEEN, one end > 0 → one-sided, else nothing. */
export function rangeCondition(column: string, range: NumberRange): JobCondition | null {
  if (range.from > 0 && range.to > 0) {
    return { sql: `${column} BETWEEN ? AND ?`, params: [range.from, range.to] };
  }
  if (range.from > 0) return { sql: `${column} >= ?`, params: [range.from] };
  if (range.to > 0) return { sql: `${column} <= ?`, params: [range.to] };
  return null;
}

function timeCondition(range: TimeRange, now: number): JobCondition | null {
  const column = "job.start_time";
  const from = range.from ?? undefined;
  const to = range.to ?? undefined;
  if (from !== undefined && to !== undefined) {
    return { sql: `${column} BETWEEN ? AND ?`, params: [from, to] };
  }
  if (from !== undefined) return { sql: `${column} >= ?`, params: [from] };
  if (to !== undefined) return { sql: `${column} <= ?`, params: [to] };
  const window = typeof range.range === "string" && Object.hasOwn(TIME_RANGES, range.range)
    ? TIME_RANGES[range.range]
    : undefined;
  return window === undefined ? null : { sql: `${column} >= ?`, params: [now - window] };
}

/**
 * The JSON path of an allow-listed footprint key, or a 400 that names the
 * key and what is allowed. `what` says where the key was used.
 */
export function footprintPath(key: string, context: FilterContext, what: string): string {
  if (!context.footprintKeys?.has(key)) {
    const allowed = [...context.footprintKeys ?? []].sort().join(", ") || "none";
    throw badInput(
      `cannot ${what}: unknown footprint metric ${JSON.stringify(key)} (known: ${allowed})`,
    );
  }
  return `$.${key}`;
}

/** Guards a condition on a JSON column: malformed JSON would make json_extract fail the query. */
function validJson(column: string, condition: JobCondition | null): JobCondition | null {
  if (!condition) return null;
  return { sql: `json_valid(job.${column}) AND ${condition.sql}`, params: condition.params };
}

function nodeCondition(match: StringMatch): JobCondition | null {
  const inner = stringCondition("json_extract(r.value, '$.hostname')", match);
  if (!inner) return null;
  return {
    sql: `EXISTS (SELECT 1 FROM json_each(job.resources) r WHERE ${inner.sql})`,
    params: inner.params,
  };
}

function scheduleCondition(schedule: string): JobCondition | null {
  const name = STRING_COLUMNS.jobName;
  if (schedule === "interactive") return { sql: `${name} = 'interactive'`, params: [] };
  if (schedule === "batch") return { sql: `${name} != 'interactive'`, params: [] };
  return null;
}

function filterConditions(filter: JobQueryFilter, context: FilterContext): JobCondition[] {
  const out: (JobCondition | null)[] = [];
  if (filter.dbId) out.push(listCondition("job.id", filter.dbId));
  for (const [field, column] of Object.entries(STRING_COLUMNS)) {
    const match = filter[field as keyof typeof STRING_COLUMNS];
    if (match) {
      out.push(
        field === "jobName"
          ? validJson("meta_data", stringCondition(column, match))
          : stringCondition(column, match),
      );
    }
  }
  if (filter.arrayJobId !== undefined && filter.arrayJobId !== null) {
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
  if (typeof filter.shared === "string") {
    out.push({ sql: "job.shared = ?", params: [filter.shared] });
  }
  if (typeof filter.schedule === "string") {
    out.push(validJson("meta_data", scheduleCondition(filter.schedule)));
  }
  if (filter.startTime) out.push(timeCondition(filter.startTime, context.now));
  for (const [field, column] of Object.entries(RANGE_COLUMNS)) {
    const range = filter[field as keyof typeof RANGE_COLUMNS];
    if (!range) continue;
    checkRange(field, range);
    const unindexed = field === "duration" && context.startTimeOrder;
    out.push(rangeCondition(unindexed ? `+${column}` : column, range));
  }
  if (filter.tags) {
    out.push(
      filter.tags.length === 0 ? NOTHING : {
        sql: "EXISTS (SELECT 1 FROM jobtag WHERE jobtag.job_id = job.id AND jobtag.tag_id IN (" +
          `${placeholders(filter.tags.length)}))`,
        params: [...filter.tags],
      },
    );
  }
  for (const item of filter.metricStats ?? []) {
    const path = footprintPath(item.metricName, context, "filter jobs by metric statistics");
    checkRange(item.metricName, item.range);
    const range = rangeCondition("json_extract(job.footprint, ?)", item.range);
    // Without bounds the item still asks for jobs that have the value.
    out.push(validJson(
      "footprint",
      range
        ? { sql: range.sql, params: [path, ...range.params] }
        : { sql: "json_extract(job.footprint, ?) IS NOT NULL", params: [path] },
    ));
  }
  if (filter.node) out.push(validJson("resources", nodeCondition(filter.node)));
  return out.filter((c): c is JobCondition => c !== null);
}

/**
 * The WHERE clause (with leading space, or empty) for the filters and the
 * visibility condition, for queries on table `job`.
 */
export function jobWhereClause(
  options: JobWhereOptions,
  context: FilterContext,
): { where: string; params: SQLInputValue[] } {
  const conditions = (options.filters ?? []).flatMap((f) => filterConditions(f, context));
  if (options.visibility) conditions.push(options.visibility);
  if (conditions.length === 0) return { where: "", params: [] };
  return {
    where: ` WHERE ${conditions.map((c) => `(${c.sql})`).join(" AND ")}`,
    params: conditions.flatMap((c) => c.params),
  };
}
