/**
 * The job list's filter state and its three forms: the URL query of
 * cc-backend (parsed as `buildFilterPresets` does, written as the UI
 * rewrites it, so links stay interchangeable), the GraphQL `[JobFilter!]`
 * list (in the UI's fixed emission order) and the sort order. Shared by the
 * pages (server) and the job list island (browser); no DOM, no Deno.
 *
 * Beyond cc-backend the URL also keeps the match modes (`projectMatch`,
 * `userMatch`, `jobIdMatch`, `nodeMatch`) and the sort order (`sortBy`,
 * `sortOrder`), so every view of the list is bookmarkable.
 *
 * @module
 */

/** The job states, in the order of the state filter. */
export const JOB_STATES = [
  "pending",
  "running",
  "completed",
  "failed",
  "timeout",
  "deadline",
  "preempted",
  "suspended",
  "cancelled",
  "out_of_memory",
  "boot_fail",
  "node_fail",
] as const;

/** How a text condition matches. */
export type MatchMode = "eq" | "contains" | "in";

/** An inclusive range; 0 leaves that end open. */
export interface Range {
  from: number;
  to: number;
}

/** A start-time window in unix seconds (either end may be open), or a named range. */
export interface StartTimeFilter {
  from?: number;
  to?: number;
  range?: string;
}

/** A duration condition in seconds: less than, more than, or between. */
export interface DurationFilter {
  lessThan?: number;
  moreThan?: number;
  from?: number;
  to?: number;
}

/** A range on a footprint value (`field` like `flops_any_avg`). */
export interface StatFilter extends Range {
  field: string;
}

/** Every condition the job list can filter by. */
export interface JobFilterState {
  dbId?: string[];
  cluster?: string;
  subCluster?: string;
  partition?: string;
  /** Absent: all states. */
  state?: string[];
  shared?: string;
  schedule?: string;
  project?: string;
  projectMatch?: MatchMode;
  user?: string[];
  userMatch?: MatchMode;
  jobName?: string;
  jobId?: string[];
  jobIdMatch?: MatchMode;
  arrayJobId?: number;
  tags?: number[];
  startTime?: StartTimeFilter;
  duration?: DurationFilter;
  numNodes?: Range;
  numHWThreads?: Range;
  numAccelerators?: Range;
  energy?: Range;
  node?: string;
  nodeMatch?: "eq" | "contains";
  stats?: StatFilter[];
}

/** A GraphQL `JobFilter` item. */
export type JobFilterItem = Record<string, unknown>;

/** A GraphQL `OrderByInput`. */
export interface JobSort {
  field: string;
  type: "col" | "foot";
  order: "ASC" | "DESC";
}

/** Newest first. */
export const DEFAULT_SORT: JobSort = { field: "startTime", type: "col", order: "DESC" };

/** The job columns the list sorts by, with their labels. */
export const COLUMN_SORTS: readonly [string, string][] = [
  ["startTime", "Start Time"],
  ["duration", "Duration"],
  ["numNodes", "Number of Nodes"],
  ["numHwthreads", "Number of HWThreads"],
  ["numAcc", "Number of Accelerators"],
  ["energy", "Total Energy"],
];

const SHARED = ["none", "single_user", "multi_user"];
const SCHEDULES = ["interactive", "batch"];
const MATCHES: readonly string[] = ["eq", "contains", "in"];

function int(text: string): number | undefined {
  if (!/^-?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

function num(text: string): number | undefined {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** `lessthan-N` → {0, N}, `morethan-N` → {N, 0}, `A-B` → {A, B} (floats allowed). */
function parseRange(text: string): Range | undefined {
  const m = /^(?:(lessthan|morethan)-(\S+)|([^-]+)-([^-]+))$/.exec(text);
  if (!m) return undefined;
  if (m[1]) {
    const n = num(m[2]);
    if (n === undefined) return undefined;
    return m[1] === "lessthan" ? { from: 0, to: n } : { from: n, to: 0 };
  }
  const from = num(m[3]);
  const to = num(m[4]);
  return from === undefined || to === undefined ? undefined : { from, to };
}

function rangeText(range: Range): string {
  if (range.from && range.to) return `${range.from}-${range.to}`;
  return range.to ? `lessthan-${range.to}` : `morethan-${range.from}`;
}

function isSet(range: Range | undefined): range is Range {
  return !!range && (range.from > 0 || range.to > 0);
}

function match(value: string | null, fallback: MatchMode): MatchMode {
  return value && MATCHES.includes(value) ? value as MatchMode : fallback;
}

/** The filter state of a URL query (cc-backend's presets, plus our match modes). */
export function parseFilterParams(params: URLSearchParams): JobFilterState {
  const f: JobFilterState = {};
  const one = (key: string) => params.get(key) || undefined;
  const all = (key: string) => params.getAll(key).filter((v) => v !== "");
  f.cluster = one("cluster");
  f.subCluster = one("subCluster");
  f.partition = one("partition");
  const project = one("project");
  if (project) {
    f.project = project;
    f.projectMatch = match(params.get("projectMatch"), "eq");
  }
  f.jobName = one("jobName");
  const users = all("user");
  if (users.length > 0) {
    f.user = users;
    f.userMatch = users.length > 1 ? "in" : match(params.get("userMatch"), "contains");
  }
  const states = all("state").filter((s) => (JOB_STATES as readonly string[]).includes(s));
  if (states.length > 0) f.state = states;
  const shared = one("shared");
  if (shared && SHARED.includes(shared)) f.shared = shared;
  const schedule = one("schedule");
  if (schedule && SCHEDULES.includes(schedule)) f.schedule = schedule;
  const tags = all("tag").map((t) => int(t) ?? -1);
  if (tags.length > 0) f.tags = tags;
  const duration = one("duration");
  if (duration) {
    const m = /^(lessthan|morethan)-(\d+)$/.exec(duration);
    if (m) f.duration = m[1] === "lessthan" ? { lessThan: +m[2] } : { moreThan: +m[2] };
    else {
      const range = parseRange(duration);
      if (range) f.duration = { from: range.from, to: range.to };
    }
  }
  const node = one("node");
  if (node) {
    f.node = node;
    f.nodeMatch = params.get("nodeMatch") === "contains" ? "contains" : "eq";
  }
  for (const key of ["numNodes", "numHWThreads", "numAccelerators", "energy"] as const) {
    const text = one(key);
    const range = text ? parseRange(text) : undefined;
    if (range) f[key] = range;
  }
  const dbIds = all("dbId");
  if (dbIds.length > 0) f.dbId = dbIds;
  const jobIds = all("jobId");
  if (jobIds.length > 0) {
    f.jobId = jobIds;
    f.jobIdMatch = jobIds.length > 1 ? "in" : match(params.get("jobIdMatch"), "eq");
  }
  const arrayJobId = int(params.get("arrayJobId") ?? "");
  if (arrayJobId !== undefined) f.arrayJobId = arrayJobId;
  const startTime = one("startTime");
  if (startTime) {
    const m = /^(\d+)-(\d+)$/.exec(startTime);
    f.startTime = m ? { from: +m[1], to: +m[2] } : { range: startTime };
  }
  const stats: StatFilter[] = [];
  for (const text of all("stat")) {
    const m = /^([A-Za-z0-9_]+)-(.+)$/.exec(text);
    const range = m ? parseRange(m[2]) : undefined;
    if (m && range) stats.push({ field: m[1], ...range });
  }
  if (stats.length > 0) f.stats = stats;
  return clean(f);
}

/** `f` without undefined or empty entries. */
export function clean(f: JobFilterState): JobFilterState {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(f)) {
    if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) {
      continue;
    }
    out[key] = value;
  }
  return out as JobFilterState;
}

/** The URL query of a filter state, in a stable order. */
export function filterToParams(f: JobFilterState): URLSearchParams {
  const p = new URLSearchParams();
  const add = (key: string, value: unknown) => p.append(key, String(value));
  for (const id of f.dbId ?? []) add("dbId", id);
  if (f.cluster) add("cluster", f.cluster);
  if (f.subCluster) add("subCluster", f.subCluster);
  if (f.partition) add("partition", f.partition);
  for (const s of f.state ?? []) add("state", s);
  if (f.shared) add("shared", f.shared);
  if (f.project) {
    add("project", f.project);
    if (f.projectMatch && f.projectMatch !== "eq") add("projectMatch", f.projectMatch);
  }
  for (const u of f.user ?? []) add("user", u);
  if (f.user?.length === 1 && f.userMatch && f.userMatch !== "contains") {
    add("userMatch", f.userMatch);
  }
  for (const key of ["numNodes", "numAccelerators", "numHWThreads"] as const) {
    if (isSet(f[key])) add(key, rangeText(f[key]!));
  }
  if (f.arrayJobId !== undefined) add("arrayJobId", f.arrayJobId);
  for (const t of f.tags ?? []) add("tag", t);
  const st = f.startTime;
  if (st?.range) add("startTime", st.range);
  else if (st && (st.from || st.to)) add("startTime", `${st.from ?? 0}-${st.to ?? 0}`);
  const d = f.duration;
  if (d?.lessThan) add("duration", `lessthan-${d.lessThan}`);
  else if (d?.moreThan) add("duration", `morethan-${d.moreThan}`);
  else if (d && (d.from || d.to)) add("duration", `${d.from ?? 0}-${d.to ?? 0}`);
  if (isSet(f.energy)) add("energy", rangeText(f.energy));
  for (const id of f.jobId ?? []) add("jobId", id);
  if (f.jobId?.length === 1 && f.jobIdMatch && f.jobIdMatch !== "eq") {
    add("jobIdMatch", f.jobIdMatch);
  }
  for (const s of f.stats ?? []) if (isSet(s)) add("stat", `${s.field}-${rangeText(s)}`);
  if (f.node) {
    add("node", f.node);
    if (f.nodeMatch === "contains") add("nodeMatch", "contains");
  }
  if (f.jobName) add("jobName", f.jobName);
  if (f.schedule) add("schedule", f.schedule);
  return p;
}

function stringInput(mode: MatchMode | undefined, values: string[]): Record<string, unknown> {
  if (mode === "in" || values.length > 1) return { in: values };
  return { [mode ?? "eq"]: values[0] };
}

function iso(seconds: number | undefined): string | null {
  return seconds ? new Date(seconds * 1000).toISOString() : null;
}

/**
 * The GraphQL filter list of `f` in the UI's emission order: dbId, cluster,
 * subCluster, partition, state (only when not all states), shared, project,
 * user, numNodes, numAccelerators, numHWThreads, arrayJobId, tags,
 * startTime, duration, energy, jobId, metricStats, node, jobName, schedule.
 */
export function filterToGraphql(f: JobFilterState): JobFilterItem[] {
  const items: JobFilterItem[] = [];
  if (f.dbId?.length) items.push({ dbId: f.dbId });
  if (f.cluster) items.push({ cluster: { eq: f.cluster } });
  if (f.subCluster) items.push({ subCluster: { eq: f.subCluster } });
  if (f.partition) items.push({ partition: { eq: f.partition } });
  if (f.state?.length && f.state.length < JOB_STATES.length) items.push({ state: f.state });
  if (f.shared) items.push({ shared: f.shared });
  if (f.project) items.push({ project: stringInput(f.projectMatch ?? "contains", [f.project]) });
  if (f.user?.length) items.push({ user: stringInput(f.userMatch ?? "contains", f.user) });
  for (const key of ["numNodes", "numAccelerators", "numHWThreads"] as const) {
    const r = f[key];
    if (isSet(r)) items.push({ [key]: { from: r.from, to: r.to } });
  }
  if (f.arrayJobId !== undefined) items.push({ arrayJobId: f.arrayJobId });
  if (f.tags?.length) items.push({ tags: f.tags });
  const st = f.startTime;
  if (st?.range) items.push({ startTime: { range: st.range } });
  else if (st && (st.from || st.to)) {
    items.push({ startTime: { from: iso(st.from), to: iso(st.to) } });
  }
  const d = f.duration;
  if (d?.lessThan) items.push({ duration: { from: 0, to: d.lessThan } });
  else if (d?.moreThan) items.push({ duration: { from: d.moreThan, to: 0 } });
  else if (d && (d.from || d.to)) items.push({ duration: { from: d.from ?? 0, to: d.to ?? 0 } });
  if (isSet(f.energy)) items.push({ energy: { from: f.energy.from, to: f.energy.to } });
  if (f.jobId?.length) items.push({ jobId: stringInput(f.jobIdMatch, f.jobId) });
  const stats = (f.stats ?? []).filter(isSet);
  if (stats.length > 0) {
    items.push({
      metricStats: stats.map((s) => ({ metricName: s.field, range: { from: s.from, to: s.to } })),
    });
  }
  if (f.node) items.push({ node: { [f.nodeMatch ?? "eq"]: f.node } });
  if (f.jobName) items.push({ jobName: { contains: f.jobName } });
  if (f.schedule) items.push({ schedule: f.schedule });
  return items;
}

/** The sort order of a URL query (`sortBy`, `sortOrder`); footprint keys are `foot`. */
export function parseSortParams(params: URLSearchParams): JobSort {
  const field = params.get("sortBy");
  if (!field || !/^[A-Za-z0-9_]+$/.test(field)) return DEFAULT_SORT;
  const order = params.get("sortOrder") === "ASC" ? "ASC" : "DESC";
  const type = COLUMN_SORTS.some(([f]) => f === field) ? "col" : "foot";
  return { field, type, order };
}

/** Adds the sort order to `params` unless it is the default. */
export function addSortParams(params: URLSearchParams, sort: JobSort): URLSearchParams {
  if (sort.field !== DEFAULT_SORT.field || sort.order !== DEFAULT_SORT.order) {
    params.set("sortBy", sort.field);
    params.set("sortOrder", sort.order);
  }
  return params;
}
