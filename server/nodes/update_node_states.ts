/**
 * Node-state updates from a resource manager (REST `/api/nodestate/`,
 * `/api/healthcheck`, later NATS): each reported node gets a `node_state`
 * row with its scheduler state, allocation counters and metric health, at
 * the time the update was received.
 *
 * Unknown nodes are created in the subcluster whose node list names them
 * (or the first subcluster when its list is `*` or empty). A node that is
 * neither in the database nor in any node list is not stored; cc-backend
 * drops it silently, here it is logged and reported back.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { type ClusterInfo, subClusterByNode } from "../archive/mod.ts";
import { NodeRepository, type NodeStateSpec, withTransaction } from "../db/mod.ts";
import { log } from "../log/logger.ts";
import { type NodeHealth, type NodeHealthChecker, UNCHECKED_HEALTH } from "./node_health.ts";
import { schedulerState } from "./scheduler_state.ts";

/** One node of an update (all fields optional, as in cc-backend). */
export interface NodeReport {
  hostname?: string;
  /** Free-form state words, e.g. `["mixed", "drain"]`. */
  states?: string[];
  cpusAllocated?: number;
  /** MB. */
  memoryAllocated?: number;
  gpusAllocated?: number;
  jobsRunning?: number;
}

/** An update for the nodes of one cluster. */
export interface NodeStatesRequest {
  cluster?: string;
  nodes?: NodeReport[];
}

/** What an update stored. */
export interface NodeStatesResult {
  cluster: string;
  /** Number of `node_state` rows written. */
  stored: number;
  /** Hostnames that were not stored (no such cluster, or in no subcluster's node list). */
  skipped: string[];
  /** Why the skipped nodes were skipped; empty when none were. */
  reason: string;
}

/** What {@link updateNodeStates} works with. */
export interface UpdateNodeStatesOptions {
  db: DatabaseSync;
  /** The job archive's clusters. */
  clusters: { cluster(name: string): ClusterInfo | undefined };
  /** Defaults to {@link UNCHECKED_HEALTH}. */
  health?: NodeHealthChecker;
  /** Unix seconds; defaults to the wall clock. */
  now?: () => number;
}

interface Planned {
  report: NodeReport;
  hostname: string;
  /** The subcluster to create the node in; undefined for nodes already in the database. */
  subCluster?: string;
  /** The subcluster whose metrics the health check expects. */
  healthGroup?: string;
  state: NodeStateSpec["nodeState"];
}

const MAX_NAMES_LOGGED = 20;

function nameList(names: string[]): string {
  const shown = names.slice(0, MAX_NAMES_LOGGED).map((n) => JSON.stringify(n)).join(", ");
  return names.length > MAX_NAMES_LOGGED
    ? `${shown} and ${names.length - MAX_NAMES_LOGGED} more`
    : shown;
}

async function checkHealth(
  cluster: ClusterInfo | undefined,
  planned: Planned[],
  health: NodeHealthChecker,
): Promise<Map<string, NodeHealth>> {
  const groups = new Map<string, string[]>();
  for (const p of planned) {
    if (p.state === "down" || p.healthGroup === undefined) continue;
    const hosts = groups.get(p.healthGroup) ?? [];
    hosts.push(p.hostname);
    groups.set(p.healthGroup, hosts);
  }
  const results = new Map<string, NodeHealth>();
  for (const [subCluster, hostnames] of groups) {
    const sc = cluster?.subClusters.find((s) => s.name === subCluster);
    const found = await health.check({
      cluster: cluster?.name ?? "",
      subCluster,
      hostnames,
      metrics: sc?.metricConfig.map((m) => m.name) ?? [],
    });
    for (const [host, result] of found) results.set(host, result);
  }
  return results;
}

/** Stores the reported states of one cluster's nodes in one transaction. */
export async function updateNodeStates(
  request: NodeStatesRequest,
  options: UpdateNodeStatesOptions,
): Promise<NodeStatesResult> {
  const timeStamp = Math.floor(options.now?.() ?? Date.now() / 1000);
  const clusterName = request.cluster ?? "";
  const cluster = options.clusters.cluster(clusterName);
  const nodes = new NodeRepository(options.db);
  const planned: Planned[] = [];
  const skipped: string[] = [];
  for (const report of request.nodes ?? []) {
    const hostname = report.hostname ?? "";
    const sc = cluster && hostname !== "" ? subClusterByNode(cluster, hostname) : undefined;
    const existing = sc || hostname === "" ? undefined : nodes.findNode(hostname, clusterName);
    if (!sc && !existing) {
      skipped.push(hostname);
      continue;
    }
    planned.push({
      report,
      hostname,
      subCluster: sc?.name,
      healthGroup: sc?.name ?? existing?.subCluster,
      state: schedulerState(report.states ?? []),
    });
  }
  const health = await checkHealth(cluster, planned, options.health ?? UNCHECKED_HEALTH);
  let stored = 0;
  withTransaction(options.db, () => {
    for (const p of planned) {
      const nodeId = nodes.ensureNode(p.hostname, clusterName, p.subCluster);
      if (nodeId === null) {
        // Removed since it was looked up: treat like a node in no node list.
        skipped.push(p.hostname);
        continue;
      }
      const result: NodeHealth = p.state === "down"
        ? { state: "full" }
        : health.get(p.hostname) ?? { state: "failed" };
      nodes.insertNodeState(nodeId, {
        timeStamp,
        nodeState: p.state,
        healthState: result.state,
        healthMetrics: result.metrics,
        cpusAllocated: p.report.cpusAllocated,
        memoryAllocated: p.report.memoryAllocated,
        gpusAllocated: p.report.gpusAllocated,
        jobsRunning: p.report.jobsRunning,
      });
      stored++;
    }
  });
  let reason = "";
  if (skipped.length > 0) {
    reason = cluster
      ? `no subcluster of cluster ${JSON.stringify(clusterName)} lists them`
      : `unknown cluster ${JSON.stringify(clusterName)}`;
    log.warn(
      `node states of cluster ${JSON.stringify(clusterName)}: not stored for ` +
        `${skipped.length} node(s), ${reason}: ${nameList(skipped)}`,
    );
  }
  return { cluster: clusterName, stored, skipped, reason };
}
