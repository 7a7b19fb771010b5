/**
 * The footprint worker: the `footprint` column of running jobs that have
 * run longer than 600 seconds, from their metric statistics so far.
 *
 * Per metric of the subcluster's footprint: `avg` is the sum of the host
 * averages divided by the job's node count, `min`/`max` the extremes over
 * the hosts, all rounded to two decimals; the footprint takes the statistic
 * the metric config names (`mem_used_max`), as the importer does. All jobs
 * of a cluster are written in one transaction.
 *
 * Deliberate differences to cc-backend: min and max are the real extremes
 * (cc-backend starts both at 0, so min is never above 0 and max never below
 * it); a job without any statistics keeps its footprint instead of getting
 * zeros; "longer than 600 s" is measured from the start time, not from the
 * duration column the duration worker updates.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { ClusterInfo } from "../archive/mod.ts";
import type { Job, JobStatistics } from "../archive/types.ts";
import { JobRepository } from "../db/mod.ts";
import { computeFootprint, round2 } from "../importer/enrich_job.ts";
import { log } from "../log/logger.ts";
import { storeFootprints } from "./job_task_queries.ts";
import type { HostStatistics, RunningJobStatsSource } from "./running_job_stats.ts";

/** Jobs younger than this (seconds) keep their footprint. */
export const MIN_RUNTIME = 600;

/** Options of {@link updateRunningFootprints}. */
export interface RunningFootprintOptions {
  db: DatabaseSync;
  clusters: readonly ClusterInfo[];
  stats: RunningJobStatsSource;
  /** Unix seconds. */
  now: number;
}

/** What a footprint run did. */
export interface RunningFootprintResult {
  /** Running jobs old enough to look at. */
  jobs: number;
  updated: number;
  /** Jobs without statistics, of an unknown subcluster, or whose loading failed. */
  skipped: number;
}

/** Job statistics from per-host statistics (see the module notes); metrics without any host have no entry. */
export function statisticsFromHosts(
  job: Pick<Job, "resources" | "numNodes">,
  options: { hosts: HostStatistics; metrics: readonly string[] },
): Record<string, Pick<JobStatistics, "avg" | "min" | "max">> {
  const { hosts: hostStats, metrics } = options;
  const statistics: Record<string, Pick<JobStatistics, "avg" | "min" | "max">> = {};
  for (const metric of metrics) {
    const perHost = hostStats[metric];
    if (!perHost) continue;
    let sum = 0, min = Infinity, max = -Infinity, count = 0;
    for (const { hostname } of job.resources) {
      const s = perHost[hostname];
      if (!s) continue;
      sum += s.avg;
      min = Math.min(min, s.min);
      max = Math.max(max, s.max);
      count++;
    }
    if (count === 0) continue;
    statistics[metric] = {
      avg: round2(sum / job.numNodes),
      min: round2(min),
      max: round2(max),
    };
  }
  return statistics;
}

/** Updates the footprints of all running jobs older than {@link MIN_RUNTIME}. */
export function updateRunningFootprints(options: RunningFootprintOptions): RunningFootprintResult {
  const { db, now } = options;
  const repository = new JobRepository(db);
  const result: RunningFootprintResult = { jobs: 0, updated: 0, skipped: 0 };
  for (const cluster of options.clusters) {
    const running = repository.list({ filter: { cluster: cluster.name, jobState: "running" } })
      .filter((job) => job.startTime < now - MIN_RUNTIME);
    const updates: { id: number; footprint: Record<string, number> }[] = [];
    for (const job of running) {
      result.jobs++;
      const subCluster = cluster.subClusters.find((sc) => sc.name === job.subCluster);
      if (!subCluster || job.id === undefined) {
        result.skipped++;
        continue;
      }
      let statistics;
      try {
        const hostStats = options.stats.loadStats(job, {
          subCluster,
          metrics: subCluster.footprint,
          now,
        });
        statistics = statisticsFromHosts(job, { hosts: hostStats, metrics: subCluster.footprint });
      } catch (error) {
        log.warn(
          `footprint worker: cannot load statistics of job ${job.jobId} on "${cluster.name}": ${
            (error as Error).message
          }`,
        );
        result.skipped++;
        continue;
      }
      if (Object.keys(statistics).length === 0) {
        result.skipped++;
        continue;
      }
      const { footprint } = computeFootprint(
        {
          statistics: statistics as Record<string, JobStatistics>,
          numNodes: job.numNodes,
          duration: 0,
        },
        subCluster,
      );
      updates.push({ id: job.id, footprint });
    }
    result.updated += storeFootprints(db, updates);
  }
  return result;
}
