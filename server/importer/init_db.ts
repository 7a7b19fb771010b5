/**
 * `-init-db`: empties the job, tag and jobtag tables and re-imports every job
 * of the archive. This thread reads, checks and prepares the jobs; a worker
 * inserts them in batches, so both cores are busy. Invalid jobs are reported
 * by path and skipped.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { FileArchive } from "../archive/mod.ts";
import type { Job } from "../archive/types.ts";
import type { DbConfig } from "../config/mod.ts";
import { JobRepository, jobToValues, validateJob } from "../db/mod.ts";
import { computeFootprint } from "./enrich_job.ts";
import type { BatchResult, PreparedJob } from "./insert_batch.ts";
import { InsertWorkerClient } from "./insert_worker_client.ts";
import { sanityCheck } from "./sanity_checks.ts";

/** A job that could not be imported. */
export interface ImportFailure {
  path: string;
  error: string;
}

/** What `-init-db` did. */
export interface InitDbSummary {
  imported: number;
  failed: ImportFailure[];
  seconds: number;
}

/** Options of {@link initDb}. */
export interface InitDbOptions {
  /** Called after every batch with the running totals. */
  onProgress?: (imported: number, failed: number) => void;
  /** Jobs per transaction (default 1000). */
  batchSize?: number;
  /** The connection settings of `main.db-config`, for the worker's connection. */
  dbConfig?: Partial<DbConfig>;
}

/** Checks a job read from the archive and turns it into a row: status 3, subcluster, footprint. */
function prepareArchivedJob(archive: FileArchive, job: Job, path: string): PreparedJob {
  const subCluster = sanityCheck(archive.clusters(), job);
  job.monitoringStatus = 3;
  Object.assign(job, computeFootprint(job, subCluster));
  validateJob(job);
  return {
    path,
    key: { jobId: job.jobId, cluster: job.cluster, startTime: job.startTime },
    values: jobToValues(job),
    tags: (job.tags ?? []).map((t) => ({ type: t.type, name: t.name, scope: t.scope || "global" })),
  };
}

/** Rebuilds the job, tag and jobtag tables from `archive`. */
export async function initDb(
  db: DatabaseSync,
  archive: FileArchive,
  options: InitDbOptions = {},
): Promise<InitDbSummary> {
  const started = performance.now();
  // The worker is ready before anything is deleted, so a failing start loses no rows.
  const inserter = await InsertWorkerClient.open(db, { dbConfig: options.dbConfig });
  new JobRepository(db).deleteAllJobsAndTags();
  const failed: ImportFailure[] = [];
  let imported = 0;
  const inFlight: Promise<BatchResult>[] = [];
  const settle = async () => {
    const result = await inFlight.shift()!;
    imported += result.imported;
    failed.push(...result.failed);
    options.onProgress?.(imported, failed.length);
  };
  const batchSize = options.batchSize ?? 1000;
  let batch: PreparedJob[] = [];
  const send = async () => {
    inFlight.push(inserter.insert(batch));
    batch = [];
    // Two batches in flight: one being inserted, the next one waiting.
    if (inFlight.length >= 2) await settle();
  };
  try {
    for (const entry of archive.iterJobsSync()) {
      if (entry.error) {
        failed.push({ path: entry.path, error: entry.error.message });
        continue;
      }
      try {
        batch.push(prepareArchivedJob(archive, entry.meta, entry.path));
      } catch (error) {
        failed.push({ path: entry.path, error: (error as Error).message });
      }
      if (batch.length >= batchSize) await send();
    }
    if (batch.length > 0) await send();
    while (inFlight.length > 0) await settle();
  } finally {
    await inserter.close();
  }
  db.exec("PRAGMA optimize");
  return { imported, failed, seconds: (performance.now() - started) / 1000 };
}
