/**
 * The demo site's simulated node collector: every timestep it sends line
 * protocol for the nodes of running jobs into the built-in metric store, as
 * cc-metric-collector would, with a backfill from each job's start (at most
 * two hours) so that running jobs show plots at once.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { FileArchive, SubClusterInfo } from "../archive/mod.ts";
import type { Job } from "../archive/types.ts";
import { JobRepository } from "../db/mod.ts";
import type { MetricStoreService } from "../metricstore/mod.ts";
import { log } from "../log/logger.ts";

/** What the collector reads and writes. */
export interface DemoCollectorOptions {
  db: DatabaseSync;
  archive: FileArchive;
  metricStore: MetricStoreService;
  /** Seconds between samples (default 60, the demo clusters' timestep). */
  interval?: number;
  /** Clock in unix seconds. */
  now?: () => number;
}

/** A small deterministic hash of a string into [0, 1). */
function unit(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return ((h >>> 0) % 100000) / 100000;
}

/** One sample of `metric` for `job` at `ts`: a job-specific level with a slow wave and noise. */
function level(job: Job, metric: { name: string; peak: number }, ts: number, part: string): number {
  const base = 0.15 + 0.7 * unit(`${job.jobId}:${metric.name}`);
  const wave = 0.1 * Math.sin(ts / 900 + unit(`${job.jobId}:${part}`) * 6);
  const noise = 0.05 * (unit(`${job.jobId}:${metric.name}:${part}:${ts}`) - 0.5);
  return Math.max(0, metric.peak * (base + wave + noise));
}

function linesFor(job: Job, subCluster: SubClusterInfo, ts: number, out: string[]): void {
  const topology = subCluster.topology;
  for (const resource of job.resources) {
    const host = `cluster=${job.cluster},hostname=${resource.hostname}`;
    const threads = resource.hwthreads?.length ? resource.hwthreads : topology.node;
    for (const metric of subCluster.metricConfig) {
      if (metric.scope === "node") {
        out.push(`${metric.name},${host} value=${level(job, metric, ts, "n").toFixed(3)} ${ts}`);
      } else if (metric.scope === "hwthread") {
        const share = metric.aggregation === "sum" ? threads.length : 1;
        for (const t of threads) {
          const v = level(job, metric, ts, `t${t}`) / share;
          out.push(`${metric.name},${host},type=hwthread,type-id=${t} value=${v.toFixed(4)} ${ts}`);
        }
      } else if (metric.scope === "socket") {
        const share = metric.aggregation === "sum" ? topology.socket.length : 1;
        topology.socket.forEach((_, s) => {
          const v = level(job, metric, ts, `s${s}`) / share;
          out.push(`${metric.name},${host},type=socket,type-id=${s} value=${v.toFixed(3)} ${ts}`);
        });
      } else if (metric.scope === "accelerator") {
        for (const id of resource.accelerators ?? []) {
          const v = level(job, metric, ts, `a${id}`);
          out.push(
            `${metric.name},${host},type=accelerator,type-id=${id} value=${v.toFixed(3)} ${ts}`,
          );
        }
      }
    }
  }
}

/** Starts the collector; returns its stop function. */
export function startDemoCollector(options: DemoCollectorOptions): () => void {
  const interval = options.interval ?? 60;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const jobs = new JobRepository(options.db);
  const sent = new Map<number, number>();
  const encoder = new TextEncoder();

  const collect = () => {
    const t = now();
    const lines: string[] = [];
    const running = jobs.list({ filter: { jobState: "running" }, limit: 1000 });
    for (const job of running) {
      const subCluster = options.archive.cluster(job.cluster)?.subClusters
        .find((sc) => sc.name === job.subCluster);
      if (!subCluster) continue;
      const first = sent.get(job.id!) ?? Math.max(job.startTime, t - 7200);
      for (let ts = first; ts <= t; ts += interval) linesFor(job, subCluster, ts, lines);
      sent.set(job.id!, Math.max(first, t - (t - first) % interval) + interval);
    }
    if (lines.length === 0) return;
    const result = options.metricStore.ingestor.ingest(encoder.encode(lines.join("\n")), {
      cluster: "",
      now: t,
    });
    log.debug(`demo collector: ${result.accepted} samples for ${running.length} running jobs`);
  };
  collect();
  const timer = setInterval(collect, interval * 1000);
  return () => clearInterval(timer);
}
