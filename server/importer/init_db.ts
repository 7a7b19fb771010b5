/**
 * `-init-db`: empties the job, tag and jobtag tables and re-imports every job
 * of the archive, batched in transactions. Invalid jobs are reported by path
 * and skipped.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { FileArchive } from "../archive/mod.ts";
import type { Job } from "../archive/types.ts";
import { JobRepository, TagRepository, withTransaction } from "../db/mod.ts";
import { computeFootprint } from "./enrich_job.ts";
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
  /** Jobs per transaction (default 2000). */
  batchSize?: number;
}

/** Prepares a job read from the archive for insertion: status, subcluster, footprint. */
function prepareArchivedJob(archive: FileArchive, job: Job): Job {
  const subCluster = sanityCheck(archive.clusters(), job);
  job.monitoringStatus = 3;
  const derived = computeFootprint(job, subCluster);
  job.footprint = derived.footprint;
  job.energyFootprint = derived.energyFootprint;
  job.energy = derived.energy;
  return job;
}

/** Rebuilds the job, tag and jobtag tables from `archive`. */
export async function initDb(
  db: DatabaseSync,
  archive: FileArchive,
  options: InitDbOptions = {},
): Promise<InitDbSummary> {
  const started = performance.now();
  const jobs = new JobRepository(db);
  const tags = new TagRepository(db, { cache: true });
  jobs.deleteAllJobsAndTags();
  tags.clearCache();
  const failed: ImportFailure[] = [];
  let imported = 0;
  let batch: { path: string; job: Job }[] = [];
  const batchSize = options.batchSize ?? 2000;

  const flush = () => {
    withTransaction(db, () => {
      for (const { path, job } of batch) {
        try {
          // A savepoint per job: a failing tag must not leave its job behind.
          withTransaction(db, () => {
            const id = jobs.insertJob(prepareArchivedJob(archive, job));
            for (const tag of job.tags ?? []) {
              const spec = { type: tag.type, name: tag.name, scope: tag.scope || "global" };
              tags.addTagToJob(id, (tags.findTag(spec) ?? tags.getOrCreateTag(spec)).id);
            }
          });
          imported++;
        } catch (error) {
          failed.push({ path, error: error instanceof Error ? error.message : String(error) });
        }
      }
    });
    batch = [];
    options.onProgress?.(imported, failed.length);
  };

  for await (const entry of archive.iterJobs()) {
    if (entry.error) {
      failed.push({ path: entry.path, error: entry.error.message });
      continue;
    }
    batch.push({ path: entry.path, job: entry.meta });
    if (batch.length >= batchSize) flush();
  }
  if (batch.length > 0) flush();
  db.exec("PRAGMA optimize");
  return { imported, failed, seconds: (performance.now() - started) / 1000 };
}
