/**
 * The active filters as short labels ("pills"): which filter dialog each
 * one belongs to and which state keys removing it clears.
 *
 * @module
 */
import { formatTime } from "./local_time.ts";
import { formatDuration } from "./plot_units.ts";
import { JOB_STATES, type JobFilterState, type Range } from "./job_filters.ts";
import type { TagInfo } from "./job_list_types.ts";

/** The filter dialogs. */
export type FilterKind =
  | "cluster"
  | "state"
  | "startTime"
  | "duration"
  | "tags"
  | "resources"
  | "energy"
  | "stats"
  | "text";

/** One active filter. */
export interface FilterPill {
  kind: FilterKind;
  label: string;
  /** The state keys that removing the pill clears. */
  keys: (keyof JobFilterState)[];
}

/** Labels of the named start-time ranges. */
export const START_RANGES: Record<string, string> = {
  last6h: "Last 6 hrs",
  last24h: "Last 24 hrs",
  last7d: "Last 7 days",
  last30d: "Last 30 days",
};

/** Labels of the resource-sharing values. */
export const SHARED_LABELS: Record<string, string> = {
  none: "Exclusive",
  multi_user: "Shared",
  single_user: "Multitask",
};

function range(r: Range, unit = ""): string {
  if (r.from && r.to) return `${r.from} - ${r.to}${unit}`;
  return r.to ? `≤ ${r.to}${unit}` : `≥ ${r.from}${unit}`;
}

const set = (r: Range | undefined): r is Range => !!r && (r.from > 0 || r.to > 0);

/** The pills of `f`, in the order of the filter dialogs. */
export function filterPills(f: JobFilterState, tags: readonly TagInfo[] = []): FilterPill[] {
  const pills: FilterPill[] = [];
  const add = (kind: FilterKind, label: string, ...keys: (keyof JobFilterState)[]) =>
    pills.push({ kind, label, keys });
  if (f.cluster) {
    const where = [f.cluster, f.subCluster].filter(Boolean).join("/");
    add(
      "cluster",
      `Cluster: ${where}${f.partition ? ` (${f.partition})` : ""}`,
      "cluster",
      "subCluster",
      "partition",
    );
  } else if (f.partition) add("cluster", `Partition: ${f.partition}`, "partition");
  if (f.state?.length && f.state.length < JOB_STATES.length) {
    add("state", `States: ${f.state.join(", ")}`, "state");
  }
  if (f.shared) add("state", `Sharing: ${SHARED_LABELS[f.shared] ?? f.shared}`, "shared");
  if (f.schedule) add("state", `Processing: ${f.schedule}`, "schedule");
  const st = f.startTime;
  if (st?.range) add("startTime", `Start: ${START_RANGES[st.range] ?? st.range}`, "startTime");
  else if (st && (st.from || st.to)) {
    const from = st.from ? formatTime(st.from) : "…";
    const to = st.to ? formatTime(st.to) : "now";
    add("startTime", `Start: ${from} - ${to}`, "startTime");
  }
  const d = f.duration;
  if (d?.lessThan) add("duration", `Duration < ${formatDuration(d.lessThan)}`, "duration");
  else if (d?.moreThan) add("duration", `Duration > ${formatDuration(d.moreThan)}`, "duration");
  else if (d && (d.from || d.to)) {
    add(
      "duration",
      `Duration: ${formatDuration(d.from ?? 0)} - ${formatDuration(d.to ?? 0)}`,
      "duration",
    );
  }
  if (f.tags?.length) {
    const names = f.tags.map((id) => {
      const tag = tags.find((t) => Number(t.id) === id);
      return tag ? `${tag.type}: ${tag.name}` : `#${id}`;
    });
    add("tags", `Tags: ${names.join(", ")}`, "tags");
  }
  if (set(f.numNodes)) add("resources", `Nodes: ${range(f.numNodes)}`, "numNodes");
  if (set(f.numHWThreads)) add("resources", `HWThreads: ${range(f.numHWThreads)}`, "numHWThreads");
  if (set(f.numAccelerators)) {
    add("resources", `Accelerators: ${range(f.numAccelerators)}`, "numAccelerators");
  }
  if (f.node) {
    add(
      "resources",
      `Node ${f.nodeMatch === "contains" ? "~" : "="} ${f.node}`,
      "node",
      "nodeMatch",
    );
  }
  if (set(f.energy)) add("energy", `Energy: ${range(f.energy, " kWh")}`, "energy");
  for (const s of f.stats ?? []) if (set(s)) add("stats", `${s.field}: ${range(s)}`, "stats");
  if (f.project) {
    const op = f.projectMatch === "eq" ? "=" : "~";
    add("text", `Project ${op} ${f.project}`, "project", "projectMatch");
  }
  if (f.user?.length) add("text", `User: ${f.user.join(", ")}`, "user", "userMatch");
  if (f.jobName) add("text", `Job Name ~ ${f.jobName}`, "jobName");
  if (f.jobId?.length) add("text", `Job ID: ${f.jobId.join(", ")}`, "jobId", "jobIdMatch");
  if (f.arrayJobId !== undefined) add("text", `Array Job: ${f.arrayJobId}`, "arrayJobId");
  if (f.dbId?.length) add("text", `Selected jobs: ${f.dbId.length}`, "dbId");
  return pills;
}

/** `f` without the keys of `pill`. */
export function removePill(f: JobFilterState, pill: FilterPill): JobFilterState {
  const out = { ...f };
  for (const key of pill.keys) delete out[key];
  // Several pills share `stats`; remove only this one's item.
  if (pill.kind === "stats" && f.stats) {
    const rest = f.stats.filter((s) => !pill.label.startsWith(`${s.field}:`));
    if (rest.length > 0) out.stats = rest;
  }
  return out;
}
