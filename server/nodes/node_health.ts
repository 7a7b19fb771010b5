/**
 * The metric health check of node-state updates, behind a small interface so
 * that a metric store can plug in (the built-in store implements it in
 * `server/metricstore/health.ts`; it reaches the REST API as
 * `RestDeps.nodeHealth`).
 *
 * cc-backend asks its metric store, per subcluster, which of the expected
 * metrics of each node are fresh: all fresh is `full`, none fresh (or an
 * unknown host) `failed`, anything between `partial`, and it records the
 * missing and degraded metric names. Without a store,
 * {@link UNCHECKED_HEALTH} answers "unknown" the only way the schema allows:
 * `full` without health metrics (`health_metrics` stays NULL, which GraphQL
 * shows as `healthData: {}`). cc-backend without a store marks every node
 * `failed` instead, which would paint every node red on the status pages.
 *
 * @module
 */
import type { HealthMetrics, HealthState } from "../db/mod.ts";

/** The nodes of one subcluster and the metrics each should deliver. */
export interface NodeHealthQuery {
  cluster: string;
  subCluster: string;
  hostnames: string[];
  /** The metric names configured for the subcluster (cluster.json). */
  metrics: string[];
}

/** The health of one node. */
export interface NodeHealth {
  state: HealthState;
  /** `{"missing": [...], "degraded": [...]}`; absent when nothing was checked. */
  metrics?: HealthMetrics;
}

/** Computes node health; a node absent from the answer counts as `failed`. */
export interface NodeHealthChecker {
  check(query: NodeHealthQuery): Promise<Map<string, NodeHealth>>;
}

/** The checker used while no metric store is plugged in: every node `full`, unchecked. */
export const UNCHECKED_HEALTH: NodeHealthChecker = {
  check(query) {
    return Promise.resolve(new Map(query.hostnames.map((h) => [h, { state: "full" }])));
  },
};
