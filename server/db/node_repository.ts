/**
 * The `node` and `node_state` tables: nodes by (hostname, cluster) and their
 * time-stamped scheduler and health states.
 *
 * @module
 */

import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { AppError, badInput } from "../errors.ts";
import { sqlError } from "./sql_errors.ts";
import { type Row, Statements, textOf } from "./statements.ts";

/** Scheduler states allowed in `node_state.node_state`. */
export const NODE_STATES = ["allocated", "reserved", "idle", "mixed", "down", "unknown"] as const;

/** Health states allowed in `node_state.health_state`. */
export const HEALTH_STATES = ["full", "partial", "failed"] as const;

/** One of {@link NODE_STATES}. */
export type SchedulerState = typeof NODE_STATES[number];

/** One of {@link HEALTH_STATES}. */
export type HealthState = typeof HEALTH_STATES[number];

/** A node to create or update. */
export interface NodeSpec {
  hostname: string;
  cluster: string;
  subCluster: string;
  metaData?: Record<string, string>;
}

/** A stored node. */
export interface Node extends NodeSpec {
  id: number;
}

/**
 * What the health check found missing or degraded on a node, stored as the
 * JSON object `{"missing": [...], "degraded": [...]}` in
 * `node_state.health_metrics` (cc-backend's form).
 */
export type HealthMetrics = Record<string, string[]>;

/** One observation of a node's state. */
export interface NodeStateSpec {
  /** Unix seconds. */
  timeStamp: number;
  jobsRunning?: number;
  cpusAllocated?: number;
  memoryAllocated?: number;
  gpusAllocated?: number;
  nodeState: SchedulerState;
  healthState: HealthState;
  /** Absent when the health was not checked. */
  healthMetrics?: HealthMetrics;
}

/** A stored state row. */
export interface NodeState extends Required<Omit<NodeStateSpec, "healthMetrics">> {
  id: number;
  nodeId: number;
  healthMetrics?: HealthMetrics;
}

/** A node with its most recent state. */
export interface NodeWithState extends Node {
  state: NodeState;
}

function parseJson<T>(source: string | null, what: string): T | undefined {
  if (source === null || source === "") return undefined;
  try {
    return JSON.parse(source) as T;
  } catch (error) {
    throw new AppError(500, `${what} does not hold valid JSON`, { cause: error });
  }
}

function toNode(row: Row): Node {
  const node: Node = {
    id: Number(row.id),
    hostname: String(row.hostname),
    cluster: String(row.cluster),
    subCluster: String(row.subcluster),
  };
  const metaData = parseJson<Record<string, string>>(
    textOf(row.meta_data),
    `meta_data of node ${node.id}`,
  );
  if (metaData) node.metaData = metaData;
  return node;
}

function isHealthMetrics(value: unknown): value is HealthMetrics {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    Object.values(value).every((v) => Array.isArray(v) && v.every((x) => typeof x === "string"));
}

function toState(row: Row): NodeState {
  const state: NodeState = {
    id: Number(row.state_id),
    nodeId: Number(row.node_id),
    timeStamp: Number(row.time_stamp),
    jobsRunning: Number(row.jobs_running),
    cpusAllocated: Number(row.cpus_allocated),
    memoryAllocated: Number(row.memory_allocated),
    gpusAllocated: Number(row.gpus_allocated),
    nodeState: String(row.node_state) as NodeState["nodeState"],
    healthState: String(row.health_state) as NodeState["healthState"],
  };
  const metrics = parseJson<unknown>(textOf(row.health_metrics), `state ${state.id}`);
  if (isHealthMetrics(metrics)) state.healthMetrics = metrics;
  return state;
}

const LATEST_SQL = "SELECT n.id, n.hostname, n.cluster, n.subcluster, n.meta_data, " +
  "s.id AS state_id, s.node_id, s.time_stamp, s.jobs_running, s.cpus_allocated, " +
  "s.memory_allocated, s.gpus_allocated, s.node_state, s.health_state, s.health_metrics " +
  "FROM node n JOIN node_state s ON s.id = (SELECT id FROM node_state " +
  "WHERE node_id = n.id ORDER BY time_stamp DESC, id DESC LIMIT 1)";

/** Reads and writes nodes and node states. */
export class NodeRepository {
  readonly #sql: Statements;

  /** Wraps an open database at schema version 11. */
  constructor(db: DatabaseSync) {
    this.#sql = new Statements(db);
  }

  /**
   * Creates the node or updates its subcluster (and metadata, when given);
   * returns its id.
   */
  upsertNode(node: NodeSpec): number {
    for (const field of ["hostname", "cluster", "subCluster"] as const) {
      if (typeof node[field] !== "string" || node[field] === "") {
        throw badInput(`cannot store node ${JSON.stringify(node.hostname)}: empty ${field}`);
      }
    }
    const meta = node.metaData === undefined ? null : JSON.stringify(node.metaData);
    const row = this.#sql.get(
      "INSERT INTO node (hostname, cluster, subcluster, meta_data) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT (hostname, cluster) DO UPDATE SET subcluster = excluded.subcluster, " +
        "meta_data = COALESCE(excluded.meta_data, node.meta_data) RETURNING id",
    ).get(node.hostname, node.cluster, node.subCluster, meta);
    return Number(row?.id);
  }

  /**
   * The id of node `hostname` of `cluster`; creates the node in `subCluster`
   * when it does not exist yet (an existing node keeps its subcluster).
   * Without a subcluster, an unknown node is not created and null returned.
   */
  ensureNode(hostname: string, cluster: string, subCluster: string | undefined): number | null {
    const found = this.#sql.get("SELECT id FROM node WHERE hostname = ? AND cluster = ?")
      .get(hostname, cluster);
    if (found) return Number(found.id);
    if (subCluster === undefined) return null;
    return this.upsertNode({ hostname, cluster, subCluster });
  }

  /** The node `hostname` of `cluster`, or null. */
  findNode(hostname: string, cluster: string): Node | null {
    const row = this.#sql.get("SELECT * FROM node WHERE hostname = ? AND cluster = ?")
      .get(hostname, cluster) as Row | undefined;
    return row ? toNode(row) : null;
  }

  /** All nodes, optionally of one cluster, ordered by cluster and hostname. */
  listNodes(options: { cluster?: string } = {}): Node[] {
    const rows = options.cluster === undefined
      ? this.#sql.get("SELECT * FROM node ORDER BY cluster, hostname").all()
      : this.#sql.get("SELECT * FROM node WHERE cluster = ? ORDER BY hostname")
        .all(options.cluster);
    return (rows as Row[]).map(toNode);
  }

  /** Records a state of node `nodeId` and returns the new row's id. */
  insertNodeState(nodeId: number, state: NodeStateSpec): number {
    const attempt = `cannot store state of node ${nodeId}`;
    if (!NODE_STATES.includes(state.nodeState)) {
      throw badInput(
        `${attempt}: invalid nodeState ${JSON.stringify(state.nodeState)} ` +
          `(allowed: ${NODE_STATES.join(", ")})`,
      );
    }
    if (!HEALTH_STATES.includes(state.healthState)) {
      throw badInput(
        `${attempt}: invalid healthState ${JSON.stringify(state.healthState)} ` +
          `(allowed: ${HEALTH_STATES.join(", ")})`,
      );
    }
    const values: SQLInputValue[] = [
      state.timeStamp,
      state.jobsRunning ?? 0,
      state.cpusAllocated ?? 0,
      state.memoryAllocated ?? 0,
      state.gpusAllocated ?? 0,
      state.nodeState,
      state.healthState,
      state.healthMetrics === undefined ? null : JSON.stringify(state.healthMetrics),
      nodeId,
    ];
    try {
      const result = this.#sql.get(
        "INSERT INTO node_state (time_stamp, jobs_running, cpus_allocated, memory_allocated, " +
          "gpus_allocated, node_state, health_state, health_metrics, node_id) " +
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ).run(...values);
      return Number(result.lastInsertRowid);
    } catch (error) {
      throw sqlError(attempt, error, {
        values: { node_state: state.nodeState, health_state: state.healthState },
      });
    }
  }

  /** Every node that has a state, with its latest one (by time stamp, then id). */
  latestStates(options: { cluster?: string } = {}): NodeWithState[] {
    const rows = options.cluster === undefined
      ? this.#sql.get(`${LATEST_SQL} ORDER BY n.cluster, n.hostname`).all()
      : this.#sql.get(`${LATEST_SQL} WHERE n.cluster = ? ORDER BY n.hostname`)
        .all(options.cluster);
    return (rows as Row[]).map((row) => ({ ...toNode(row), state: toState(row) }));
  }
}
