/**
 * Converts the GraphQL inputs of job queries (`JobFilter`, `OrderByInput`,
 * `PageRequest`) to the query layer's types, with cc-backend's defaults and
 * our validation: ids must be integers, sort fields come from allow-lists.
 *
 * @module
 */
import type { JobState, Shared } from "../../archive/types.ts";
import type { JobOrder, JobPage, JobQueryFilter, StringMatch } from "../../db/job_query.ts";
import { JOB_FIELD_COLUMNS } from "../../db/job_mapping.ts";
import { AppError } from "../../errors.ts";
import { parseId } from "./graphql_context.ts";

type Maybe<T> = T | null | undefined;

/** `StringInput` as GraphQL delivers it. */
export interface StringInput {
  eq?: Maybe<string>;
  neq?: Maybe<string>;
  contains?: Maybe<string>;
  startsWith?: Maybe<string>;
  endsWith?: Maybe<string>;
  in?: Maybe<string[]>;
}

/** `IntRange` / `FloatRange`. */
export interface RangeInput {
  from: number;
  to: number;
}

/** `JobFilter` as GraphQL delivers it (Time values already in unix seconds). */
export interface JobFilterInput {
  tags?: Maybe<(string | number)[]>;
  dbId?: Maybe<(string | number)[]>;
  jobId?: Maybe<StringInput>;
  arrayJobId?: Maybe<number>;
  user?: Maybe<StringInput>;
  project?: Maybe<StringInput>;
  jobName?: Maybe<StringInput>;
  cluster?: Maybe<StringInput>;
  subCluster?: Maybe<StringInput>;
  partition?: Maybe<StringInput>;
  duration?: Maybe<RangeInput>;
  energy?: Maybe<RangeInput>;
  numNodes?: Maybe<RangeInput>;
  numAccelerators?: Maybe<RangeInput>;
  numHWThreads?: Maybe<RangeInput>;
  startTime?: Maybe<{ range?: Maybe<string>; from?: Maybe<number>; to?: Maybe<number> }>;
  state?: Maybe<string[]>;
  metricStats?: Maybe<{ metricName: string; range: RangeInput }[]>;
  shared?: Maybe<string>;
  schedule?: Maybe<string>;
  node?: Maybe<StringInput>;
}

/** `OrderByInput`. */
export interface OrderInput {
  field: string;
  type: string;
  order?: Maybe<"ASC" | "DESC">;
}

/** `PageRequest`. */
export interface PageInput {
  itemsPerPage: number;
  page: number;
}

function stringMatch(input: Maybe<StringInput>): StringMatch | undefined {
  if (!input) return undefined;
  const out: StringMatch = {};
  for (const key of ["eq", "neq", "contains", "startsWith", "endsWith"] as const) {
    const value = input[key];
    if (typeof value === "string") out[key] = value;
  }
  if (Array.isArray(input.in)) out.in = input.in;
  return out;
}

/** The query layer's filter for one `JobFilter`. */
export function toJobFilter(input: JobFilterInput): JobQueryFilter {
  const out: JobQueryFilter = {};
  if (input.tags) out.tags = input.tags.map((t) => parseId(t, "tag id"));
  if (input.dbId) out.dbId = input.dbId.map((id) => parseId(id, "job id"));
  for (const key of ["jobId", "user", "project", "jobName", "cluster", "subCluster"] as const) {
    const match = stringMatch(input[key]);
    if (match) out[key] = match;
  }
  const partition = stringMatch(input.partition);
  if (partition) out.partition = partition;
  const node = stringMatch(input.node);
  if (node) out.node = node;
  if (typeof input.arrayJobId === "number") out.arrayJobId = input.arrayJobId;
  for (
    const key of ["duration", "energy", "numNodes", "numAccelerators", "numHWThreads"] as const
  ) {
    const range = input[key];
    if (range) out[key] = { from: range.from, to: range.to };
  }
  if (input.startTime) {
    const { from, to, range } = input.startTime;
    out.startTime = {};
    if (typeof from === "number") out.startTime.from = Math.floor(from);
    if (typeof to === "number") out.startTime.to = Math.floor(to);
    if (typeof range === "string") out.startTime.range = range;
  }
  if (input.state) out.state = input.state as JobState[];
  if (input.metricStats) {
    out.metricStats = input.metricStats.map((m) => ({
      metricName: m.metricName,
      range: { from: m.range.from, to: m.range.to },
    }));
  }
  if (typeof input.shared === "string") out.shared = input.shared as Shared;
  if (typeof input.schedule === "string") out.schedule = input.schedule;
  return out;
}

/** The filters of a `[JobFilter!]` argument (null: none). */
export function toJobFilters(input: Maybe<JobFilterInput[]>): JobQueryFilter[] {
  return (input ?? []).map(toJobFilter);
}

/** Alternative spellings of sortable job fields, mapped to keys of `JOB_FIELD_COLUMNS`. */
const FIELD_ALIASES: Readonly<Record<string, string>> = {
  numHWThreads: "numHwthreads",
  numAccelerators: "numAcc",
  state: "jobState",
  SMT: "smt",
};

function columnField(field: string): string {
  const alias = FIELD_ALIASES[field] ?? field;
  if (Object.hasOwn(JOB_FIELD_COLUMNS, alias)) return alias;
  // cc-backend converts camelCase to the snake_case column; accept the column names too.
  const byColumn = Object.entries(JOB_FIELD_COLUMNS).find(([, column]) => column === field);
  if (byColumn) return byColumn[0];
  throw new AppError(
    400,
    `cannot sort jobs by ${JSON.stringify(field)}: not a sortable job field (allowed: ${
      Object.keys(JOB_FIELD_COLUMNS).join(", ")
    }; footprint values with type "foot")`,
  );
}

/** The query layer's order: `type` `col` sorts by a job field, anything else by a footprint key. */
export function toJobOrder(input: Maybe<OrderInput>): JobOrder | undefined {
  if (!input) return undefined;
  const order = input.order ?? "ASC";
  if (input.type === "col") return { field: columnField(input.field), order, type: "col" };
  return { field: input.field, order, type: "foot" };
}

/** The page of a `PageRequest`, `fallback` when absent. */
export function toJobPage(input: Maybe<PageInput>, fallback: JobPage): JobPage {
  return input ? { itemsPerPage: input.itemsPerPage, page: input.page } : fallback;
}

/**
 * The cluster named by an `eq` condition of any filter, as cc-backend picks
 * the cluster for metric histograms; undefined when none does.
 */
export function clusterOfFilters(filters: readonly JobQueryFilter[]): string | undefined {
  for (const filter of filters) if (filter.cluster?.eq !== undefined) return filter.cluster.eq;
  return undefined;
}

/** Whether some filter asks for exactly the running jobs (the live histogram mode). */
export function asksForRunningOnly(filters: readonly JobQueryFilter[]): boolean {
  return filters.some((f) => f.state?.length === 1 && f.state[0] === "running");
}
