/**
 * `buildScopeQueries`: turns "metric M at scope S for this job on this host"
 * into store queries (cc-backend's `BuildScopeQueries`). The effective scope
 * is the coarser of the metric's native scope and the requested one; data
 * finer than native is never produced.
 *
 * Deliberate differences to cc-backend:
 * - hwthread → memoryDomain and core → memoryDomain are supported (one
 *   aggregated query per touched memory domain) instead of failing;
 * - core → socket aggregates the socket's core ids (cc-backend passes the
 *   socket's hwthread ids as core ids);
 * - aggregated per-unit series carry the unit's id (core, socket or domain
 *   id), not the first member's id, and units come in ascending id order.
 *
 * @module
 */
import type { MetricScope, Topology } from "../archive/types.ts";
import type { APIQuery } from "./query_types.ts";
import { TopologyIndex } from "./topology_index.ts";

/** Granularity rank of each scope; `max` picks the coarser one. */
export const SCOPE_RANK: Record<MetricScope, number> = {
  node: 10,
  socket: 5,
  memoryDomain: 4,
  core: 3,
  hwthread: 2,
  accelerator: 1,
};

/** The coarser of two scopes. */
export function maxScope(a: MetricScope, b: MetricScope): MetricScope {
  return SCOPE_RANK[a] >= SCOPE_RANK[b] ? a : b;
}

/** A store query and the scope and series id its results stand for. */
export interface ScopeQuery {
  query: APIQuery;
  scope: MetricScope;
  /** Id of the one aggregated series (unit id); absent for node scope and per-id queries. */
  id?: string;
}

/** The host a job runs on, with what the job holds there. */
export interface ScopeQueryTarget {
  host: string;
  topology: Topology | TopologyIndex;
  /** The job's hardware threads on this host; absent or null = the whole node. */
  hwthreads?: readonly number[] | null;
  /** The job's accelerator ids on this host. */
  accelerators?: readonly string[] | null;
}

/** Queries for `metric` (native `scope`) at each requested scope, effective scopes deduplicated. */
export function buildScopeQueries(
  target: ScopeQueryTarget,
  metric: { name: string; scope: MetricScope },
  options: { scopes: readonly MetricScope[]; resolution?: number },
): ScopeQuery[] {
  const topo = target.topology instanceof TopologyIndex
    ? target.topology
    : new TopologyIndex(target.topology);
  const threads = target.hwthreads && target.hwthreads.length > 0
    ? [...target.hwthreads]
    : topo.allThreads();
  const accelerators = [...target.accelerators ?? []];
  const out: ScopeQuery[] = [];
  const seen = new Set<MetricScope>();
  for (const requested of options.scopes) {
    const scope = maxScope(metric.scope, requested);
    if (seen.has(scope)) continue;
    seen.add(scope);
    const q = (type: string | null, ids: (number | string)[], aggreg: boolean, id?: number) => {
      const query: APIQuery = { metric: metric.name, host: target.host, aggreg };
      if (type !== null) {
        query.type = type;
        query["type-ids"] = ids.map(String);
      }
      query.resolution = options.resolution ?? 0;
      const item: ScopeQuery = { query, scope };
      if (id !== undefined) item.id = String(id);
      out.push(item);
    };
    const native = metric.scope;
    if (native === "accelerator") {
      if (scope === "accelerator") q("accelerator", accelerators, false);
      else if (scope === "node" && accelerators.length > 0) q("accelerator", accelerators, true);
      continue; // accelerator data has no socket, domain, core or thread meaning
    }
    if (scope === native) {
      if (native === "node") q(null, [], false);
      else if (native === "hwthread") q("hwthread", threads, false);
      else q(native, unitsOf(topo, native, threads), false);
      continue;
    }
    if (scope === "node") {
      q(native, native === "hwthread" ? threads : unitsOf(topo, native, threads), true);
      continue;
    }
    // Aggregate per unit of the effective scope.
    for (const unit of unitsOf(topo, scope, threads)) {
      const members = membersOf(topo, scope, unit);
      q(native, native === "hwthread" ? members : unitsOf(topo, native, members), true, unit);
    }
  }
  return out;
}

/** Ids of the `scope` units (core, socket, memoryDomain) touched by `threads`. */
function unitsOf(topo: TopologyIndex, scope: MetricScope, threads: readonly number[]): number[] {
  switch (scope) {
    case "core":
      return topo.cores(threads);
    case "socket":
      return topo.sockets(threads);
    case "memoryDomain":
      return topo.memoryDomains(threads);
    default:
      return [...threads];
  }
}

/** Hardware threads of one unit of `scope`. */
function membersOf(topo: TopologyIndex, scope: MetricScope, unit: number): number[] {
  switch (scope) {
    case "core":
      return topo.coreThreads(unit);
    case "socket":
      return topo.socketThreads(unit);
    case "memoryDomain":
      return topo.domainThreads(unit);
    default:
      return [unit];
  }
}
