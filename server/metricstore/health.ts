/**
 * Node health from the store (cc-backend's `GetHealthyMetrics` and
 * `HealthCheck`): are the expected metrics present and recent?
 *
 * A chain is fresh when its newest buffer ends at most 5 steps before now
 * (`now - (start + freq·len) <= 5·freq`). Per host, the host level and all
 * its descendants are searched: a metric is missing when no chain exists
 * (or the store does not know it), degraded when any chain is stale, healthy
 * otherwise. In cc-backend `/api/healthcheck` is the node-state endpoint,
 * so this is an in-process API only.
 *
 * @module
 */
import type { NodeHealthChecker } from "../nodes/mod.ts";
import type { Level } from "./level.ts";
import type { MemoryStore } from "./memory_store.ts";

/** Tolerated missing steps before a chain counts as stale. */
export const MAX_MISSING_DATA_POINTS = 5;

/** Degraded and missing metric names, in the order of the expected list. */
export interface HealthyMetrics {
  degraded: string[];
  missing: string[];
}

/** Health of one node. */
export type HealthState = "full" | "partial" | "failed";

/** One node's entry of {@link healthCheck} (keys as the original's Go field names). */
export interface NodeHealth {
  State: HealthState;
  /** JSON text `{"degraded":[...],"missing":[...]}`; empty for an unknown host. */
  HealthMetrics: string;
}

/** Degraded and missing metrics of `[cluster, host]` at `now`; throws for an unknown host. */
export function healthyMetrics(
  store: MemoryStore,
  path: readonly [string, string],
  options: { expected: readonly string[]; now: number },
): HealthyMetrics {
  const { expected, now } = options;
  const host = store.findLevel(path);
  if (host === undefined) throw new Error(`host ${path.join(":")} not found in the metric store`);
  const result: HealthyMetrics = { degraded: [], missing: [] };
  for (const name of expected) {
    const info = store.metrics.get(name);
    if (info === undefined) {
      result.missing.push(name);
      continue;
    }
    const seen = { fresh: 0, stale: 0 };
    inspect(host, info.index, now, seen);
    if (seen.fresh + seen.stale === 0) result.missing.push(name);
    else if (seen.stale > 0) result.degraded.push(name);
  }
  return result;
}

function inspect(
  level: Level,
  metric: number,
  now: number,
  seen: { fresh: number; stale: number },
): void {
  const head = level.heads[metric];
  if (head !== null && head.len > 0) {
    const end = head.start + head.freq * head.len;
    if (now - end <= MAX_MISSING_DATA_POINTS * head.freq) seen.fresh++;
    else seen.stale++;
  }
  for (const child of level.children?.values() ?? []) inspect(child, metric, now, seen);
}

/** `full` when all are healthy, `failed` when none is, else `partial`. */
function stateOf(h: HealthyMetrics, expected: number): HealthState {
  const bad = h.degraded.length + h.missing.length;
  if (bad === 0) return "full";
  return bad >= expected ? "failed" : "partial";
}

/** Health of each of `nodes` of `cluster` against `expected` metrics. */
export function healthCheck(
  store: MemoryStore,
  query: { cluster: string; nodes: readonly string[]; expected: readonly string[]; now: number },
): Record<string, NodeHealth> {
  const { cluster, nodes, expected, now } = query;
  const out: Record<string, NodeHealth> = {};
  for (const node of nodes) {
    if (store.findLevel([cluster, node]) === undefined) {
      out[node] = { State: "failed", HealthMetrics: "" };
      continue;
    }
    const h = healthyMetrics(store, [cluster, node], { expected, now });
    out[node] = { State: stateOf(h, expected.length), HealthMetrics: JSON.stringify(h) };
  }
  return out;
}

/**
 * The store as the node-state update's health checker (`RestDeps.nodeHealth`):
 * one {@link healthCheck} per subcluster query, with the missing and
 * degraded lists as health metrics.
 */
export function metricHealthChecker(
  store: MemoryStore,
  options: { now?: () => number } = {},
): NodeHealthChecker {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  return {
    check(query) {
      const t = now();
      const out = new Map<string, { state: HealthState; metrics?: Record<string, string[]> }>();
      for (const host of query.hostnames) {
        if (store.findLevel([query.cluster, host]) === undefined) {
          out.set(host, { state: "failed" });
          continue;
        }
        const h = healthyMetrics(store, [query.cluster, host], { expected: query.metrics, now: t });
        out.set(host, {
          state: stateOf(h, query.metrics.length),
          metrics: { missing: h.missing, degraded: h.degraded },
        });
      }
      return Promise.resolve(out);
    },
  };
}
