/**
 * Node queries of the GraphQL API: nodes with their latest state under
 * cc-backend's `NodeFilter` (text conditions on hostname, cluster and
 * subcluster, equality on the latest scheduler and health state), state
 * counts, and state counts per time stamp over the history. Values are bound
 * parameters; sort columns come from an allow-list.
 *
 * @module
 */

import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { type JobCondition, stringCondition, type StringMatch } from "./job_filter_sql.ts";
import { type Row, Statements, textOf } from "./statements.ts";

/** One node filter; set fields are AND-ed, and so are the filters of a list. */
export interface NodeQueryFilter {
  hostname?: StringMatch;
  cluster?: StringMatch;
  subCluster?: StringMatch;
  schedulerState?: string;
  healthState?: string;
  /** Unix seconds: only history rows after it ({@link NodeStateQuery.timedCounts}). */
  timeStart?: number;
}

/** A node with its latest state; state fields are empty when it has none. */
export interface NodeRow {
  id: number;
  hostname: string;
  cluster: string;
  subCluster: string;
  metaData: Record<string, string>;
  jobsRunning: number;
  cpusAllocated: number;
  memoryAllocated: number;
  gpusAllocated: number;
  schedulerState: string;
  healthState: string;
  healthData: Record<string, string[]>;
  timeStamp: number;
}

/** State counts of one state value over time, in ascending time. */
export interface TimedCounts {
  state: string;
  times: number[];
  counts: number[];
}

/** Sort fields of {@link NodeStateQuery.latest}. */
export const NODE_SORT_COLUMNS: Readonly<Record<string, string>> = Object.freeze({
  hostname: "n.hostname",
  cluster: "n.cluster",
  subCluster: "n.subcluster",
  schedulerState: "s.node_state",
  healthState: "s.health_state",
});

const LATEST_FROM = "FROM node n JOIN node_state s ON s.id = (SELECT id FROM node_state " +
  "WHERE node_id = n.id ORDER BY time_stamp DESC, id DESC LIMIT 1)";

const COLUMNS = "n.id, n.hostname, n.cluster, n.subcluster, n.meta_data, s.time_stamp, " +
  "s.jobs_running, s.cpus_allocated, s.memory_allocated, s.gpus_allocated, s.node_state, " +
  "s.health_state, s.health_metrics";

function objectOf(source: string | null): Record<string, never> | Record<string, unknown> {
  if (!source) return {};
  try {
    const parsed = JSON.parse(source);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed : {};
  } catch {
    // A node's metadata is informational; a damaged document reads as empty.
    return {};
  }
}

function toNodeRow(row: Row): NodeRow {
  return {
    id: Number(row.id),
    hostname: String(row.hostname),
    cluster: String(row.cluster),
    subCluster: String(row.subcluster),
    metaData: objectOf(textOf(row.meta_data)) as Record<string, string>,
    jobsRunning: Number(row.jobs_running ?? 0),
    cpusAllocated: Number(row.cpus_allocated ?? 0),
    memoryAllocated: Number(row.memory_allocated ?? 0),
    gpusAllocated: Number(row.gpus_allocated ?? 0),
    schedulerState: textOf(row.node_state) ?? "",
    healthState: textOf(row.health_state) ?? "",
    healthData: objectOf(textOf(row.health_metrics)) as Record<string, string[]>,
    timeStamp: Number(row.time_stamp ?? 0),
  };
}

function conditions(filters: readonly NodeQueryFilter[], history: boolean): JobCondition[] {
  const out: (JobCondition | null)[] = [];
  for (const f of filters) {
    if (f.hostname) out.push(stringCondition("n.hostname", f.hostname));
    if (f.cluster) out.push(stringCondition("n.cluster", f.cluster));
    if (f.subCluster) out.push(stringCondition("n.subcluster", f.subCluster));
    if (typeof f.schedulerState === "string") {
      out.push({ sql: "s.node_state = ?", params: [f.schedulerState] });
    }
    if (typeof f.healthState === "string") {
      out.push({ sql: "s.health_state = ?", params: [f.healthState] });
    }
    if (history && typeof f.timeStart === "number") {
      out.push({ sql: "s.time_stamp > ?", params: [f.timeStart] });
    }
  }
  return out.filter((c): c is JobCondition => c !== null);
}

function where(list: JobCondition[]): { sql: string; params: SQLInputValue[] } {
  if (list.length === 0) return { sql: "", params: [] };
  return {
    sql: ` WHERE ${list.map((c) => `(${c.sql})`).join(" AND ")}`,
    params: list.flatMap((c) => c.params),
  };
}

/** Reads nodes and their states for the GraphQL node queries. */
export class NodeStateQuery {
  readonly #sql: Statements;

  /** Reads from `db`. */
  constructor(db: DatabaseSync) {
    this.#sql = new Statements(db);
  }

  /** The node with database id `id` and its latest state (empty state fields if none), or null. */
  findById(id: number): NodeRow | null {
    const row = this.#sql.get(
      `SELECT ${COLUMNS} FROM node n LEFT JOIN node_state s ON s.id = (SELECT id FROM ` +
        "node_state WHERE node_id = n.id ORDER BY time_stamp DESC, id DESC LIMIT 1) WHERE n.id = ?",
    ).get(id) as Row | undefined;
    return row ? toNodeRow(row) : null;
  }

  /**
   * Nodes with a state, with their latest one, matching all filters; sorted
   * by an allow-listed field (unknown fields sort by hostname).
   */
  latest(
    filters: readonly NodeQueryFilter[],
    order: { field?: string; order?: "ASC" | "DESC" } = {},
  ): NodeRow[] {
    const w = where(conditions(filters, false));
    // The UI sends a job-list placeholder ({startTime, DESC}) here: unknown fields sort by hostname.
    const known = Object.hasOwn(NODE_SORT_COLUMNS, order.field ?? "");
    const column = known ? NODE_SORT_COLUMNS[order.field!] : "n.hostname";
    const direction = known && order.order === "DESC" ? "DESC" : "ASC";
    const sql = `SELECT ${COLUMNS} ${LATEST_FROM}${w.sql} ORDER BY ${column} ${direction}, ` +
      "n.hostname, n.cluster";
    return (this.#sql.get(sql).all(...w.params) as Row[]).map(toNodeRow);
  }

  /** How many matching nodes are in each latest scheduler (`node`) or health state. */
  stateCounts(
    filters: readonly NodeQueryFilter[],
    kind: "node" | "health",
  ): { state: string; count: number }[] {
    const column = kind === "node" ? "s.node_state" : "s.health_state";
    const w = where(conditions(filters, false));
    const sql = `SELECT ${column} AS state, COUNT(*) AS n ${LATEST_FROM}${w.sql} ` +
      `GROUP BY ${column} ORDER BY ${column}`;
    return (this.#sql.get(sql).all(...w.params) as Row[]).map((r) => ({
      state: String(r.state),
      count: Number(r.n),
    }));
  }

  /**
   * Over the whole history (after `timeStart`): how many matching nodes
   * reported each scheduler or health state at each time stamp.
   */
  timedCounts(filters: readonly NodeQueryFilter[], kind: "node" | "health"): TimedCounts[] {
    const column = kind === "node" ? "s.node_state" : "s.health_state";
    const w = where(conditions(filters, true));
    const sql = `SELECT ${column} AS state, s.time_stamp AS t, COUNT(*) AS n FROM node_state s ` +
      `JOIN node n ON n.id = s.node_id${w.sql} GROUP BY ${column}, s.time_stamp ` +
      `ORDER BY ${column}, s.time_stamp`;
    const out = new Map<string, TimedCounts>();
    for (const row of this.#sql.get(sql).all(...w.params) as Row[]) {
      const state = String(row.state);
      let entry = out.get(state);
      if (!entry) out.set(state, entry = { state, times: [], counts: [] });
      entry.times.push(Number(row.t));
      entry.counts.push(Number(row.n));
    }
    return [...out.values()];
  }

  /**
   * Hostnames of a cluster (and subcluster, when non-empty) in the node
   * table, optionally containing `contains` and whose latest scheduler state
   * is `state`, sorted; with the total before paging.
   */
  hostPage(
    spec: { cluster: string; subCluster?: string; contains?: string; state?: string },
    page: { limit: number; offset: number } | null,
  ): { hosts: string[]; total: number } {
    const filter: NodeQueryFilter = { cluster: { eq: spec.cluster } };
    if (spec.subCluster) filter.subCluster = { eq: spec.subCluster };
    if (spec.contains) filter.hostname = { contains: spec.contains };
    if (spec.state) filter.schedulerState = spec.state;
    const w = where(conditions([filter], false));
    const from = spec.state ? LATEST_FROM : "FROM node n";
    const total = Number(
      this.#sql.get(`SELECT COUNT(*) AS n ${from}${w.sql}`).get(...w.params)?.n ?? 0,
    );
    let sql = `SELECT n.hostname ${from}${w.sql} ORDER BY n.hostname`;
    const params = [...w.params];
    if (page) {
      sql += " LIMIT ? OFFSET ?";
      params.push(page.limit, page.offset);
    }
    const hosts = (this.#sql.get(sql).all(...params) as Row[]).map((r) => String(r.hostname));
    return { hosts, total };
  }

  /** Every hostname of a cluster in the node table. */
  hostsOf(cluster: string): Set<string> {
    const rows = this.#sql.get("SELECT hostname FROM node WHERE cluster = ?").all(cluster) as Row[];
    return new Set(rows.map((r) => String(r.hostname)));
  }

  /** Latest scheduler and health state per hostname of a cluster. */
  latestByHost(cluster: string): Map<string, { state: string; health: string }> {
    const rows = this.#sql.get(
      `SELECT n.hostname, s.node_state, s.health_state ${LATEST_FROM} WHERE n.cluster = ?`,
    ).all(cluster) as Row[];
    return new Map(rows.map((r) => [String(r.hostname), {
      state: String(r.node_state),
      health: String(r.health_state),
    }]));
  }
}
