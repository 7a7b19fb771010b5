/**
 * Per-host statistics of running jobs from the built-in metric store, for
 * the footprint worker: for each metric, each host's min/avg/max over the
 * job's time so far at node scope (finer native scopes aggregated over the
 * job's hardware threads or accelerators). Hosts without values are left
 * out, as cc-backend's `LoadStats` skips NaN statistics.
 *
 * @module
 */

import type { SubClusterInfo } from "../archive/mod.ts";
import type { Job, SeriesStatistics } from "../archive/types.ts";
import {
  type APIQuery,
  buildScopeQueries,
  fetchData,
  type MemoryStore,
  TopologyIndex,
} from "../metricstore/mod.ts";

/** metric → hostname → statistics. */
export type HostStatistics = Record<string, Record<string, SeriesStatistics>>;

/** Where the footprint worker gets statistics of running jobs from. */
export interface RunningJobStatsSource {
  /** Statistics of `metrics` for each host of `job` from its start until `now` (unix seconds). */
  loadStats(
    job: Job,
    options: { subCluster: SubClusterInfo; metrics: readonly string[]; now: number },
  ): HostStatistics;
}

const topologies = new WeakMap<SubClusterInfo, TopologyIndex>();

function topologyOf(sc: SubClusterInfo): TopologyIndex {
  let index = topologies.get(sc);
  if (!index) topologies.set(sc, index = new TopologyIndex(sc.topology));
  return index;
}

/** A {@link RunningJobStatsSource} reading `store` (statistics only, no data is copied). */
export function metricStoreStats(store: MemoryStore): RunningJobStatsSource {
  return {
    loadStats(job, { subCluster, metrics, now }) {
      const configs = new Map(subCluster.metricConfig.map((m) => [m.name, m]));
      const queries: APIQuery[] = [];
      const targets: { metric: string; host: string }[] = [];
      for (const metric of metrics) {
        const config = configs.get(metric);
        if (!config) continue;
        for (const resource of job.resources) {
          const built = buildScopeQueries(
            {
              host: resource.hostname,
              topology: topologyOf(subCluster),
              hwthreads: resource.hwthreads,
              accelerators: resource.accelerators,
            },
            { name: metric, scope: config.scope },
            { scopes: ["node"] },
          );
          for (const { query } of built) {
            queries.push(query);
            targets.push({ metric, host: resource.hostname });
          }
        }
      }
      const stats: HostStatistics = {};
      if (queries.length === 0) return stats;
      const response = fetchData(store, {
        cluster: job.cluster,
        queries,
        from: job.startTime,
        to: now,
        "with-stats": true,
        "with-data": false,
        "with-padding": false,
      });
      response.results.forEach((row, i) => {
        const entry = row[0];
        if (!entry || entry.error !== undefined) return;
        const { avg, min, max } = entry;
        if (avg !== avg || min !== min || max !== max) return;
        const { metric, host } = targets[i];
        (stats[metric] ??= {})[host] = { avg, min, max };
      });
      return stats;
    },
  };
}
