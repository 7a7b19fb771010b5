/**
 * Job-archive retention (`archive.retention`): finished jobs that started
 * more than `age` days ago are deleted (`delete`), copied to a target
 * (`copy`, only those since the last copy) or copied and then deleted
 * (`move`). The target is a second file archive (`format: json`) or a
 * directory of Parquet files (`format: parquet`). With `include-db` the
 * jobs' database rows go too, followed by a VACUUM; `omit-tagged` keeps
 * tagged jobs out of the selection.
 *
 * Deliberate differences to cc-backend: running jobs are never selected;
 * `move` deletes only jobs that reached the target (and jobs without
 * archive data), so a failed copy loses nothing; the database rows deleted
 * are exactly the selected jobs.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { dirname, join } from "node:path";
import type { FileArchive } from "../archive/mod.ts";
import { readIfExists, writeFileAtomic } from "../archive/fs_util.ts";
import type { ArchiveRetentionConfig } from "../config/mod.ts";
import { log } from "../log/logger.ts";
import { deleteRowsById, findFinishedJobs, type JobRef, vacuum } from "./job_task_queries.ts";
import { copyJobsAsJson, type TransferResult } from "./json_job_transfer.ts";
import { writeJobsAsParquet } from "./parquet_job_transfer.ts";

/** The policies that do something. */
export type RetentionPolicy = "delete" | "copy" | "move";

/** Options of {@link runArchiveRetention}. */
export interface ArchiveRetentionOptions {
  db: DatabaseSync;
  archive: FileArchive;
  retention: ArchiveRetentionConfig;
  /** Unix seconds. */
  now: number;
}

/** What a retention run did. */
export interface ArchiveRetentionResult {
  policy: RetentionPolicy;
  /** Start times before this (unix seconds) were due. */
  cutoff: number;
  /** Jobs selected. */
  jobs: number;
  /** Jobs written to the target. */
  transferred: number;
  /** Job directories removed from the archive. */
  removed: number;
  /** Job rows deleted from the database. */
  dbDeleted: number;
  /** Jobs left alone because something failed (logged). */
  failed: number;
}

const DAY = 86400;

/**
 * Why `retention` cannot run here, or undefined when it can (policy `none`
 * included). Checked when the task manager starts.
 */
export function retentionProblem(retention: ArchiveRetentionConfig): string | undefined {
  if (retention.policy === "none") return undefined;
  if (!(typeof retention.age === "number" && retention.age > 0)) {
    // cc-backend would take a missing age as 0 days and remove every finished job.
    return `age must be a positive number of days (got ${JSON.stringify(retention.age)})`;
  }
  if (retention.policy === "delete") return undefined;
  if (retention.targetKind === "s3") return "target-kind s3 is not supported (use a file target)";
  if (!retention.targetPath) return `policy ${retention.policy} needs a target-path`;
  return undefined;
}

/**
 * Removes a job's directory and then its `<jobId%1000>` parent when that is
 * empty; false when there was no directory.
 */
export async function removeJobDirectory(archive: FileArchive, job: JobRef): Promise<boolean> {
  const dir = archive.jobDir(job);
  try {
    await Deno.remove(dir, { recursive: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
  const parent = dirname(dir);
  let empty = true;
  for await (const _ of Deno.readDir(parent)) {
    empty = false;
    break;
  }
  if (empty) await Deno.remove(parent);
  return true;
}

/** Removes the jobs' directories; returns the jobs whose data is gone (or never was). */
async function removeJobs(
  archive: FileArchive,
  jobs: readonly JobRef[],
): Promise<{ gone: JobRef[]; removed: number; failed: number }> {
  const gone: JobRef[] = [];
  let removed = 0, failed = 0;
  for (const job of jobs) {
    try {
      if (await removeJobDirectory(archive, job)) removed++;
      gone.push(job);
    } catch (error) {
      log.warn(
        `retention: cannot remove job ${job.jobId} on "${job.cluster}" from the archive: ${
          (error as Error).message
        }`,
      );
      failed++;
    }
  }
  return { gone, removed, failed };
}

function deleteFromDb(db: DatabaseSync, jobs: readonly JobRef[]): number {
  const deleted = deleteRowsById(db, { table: "job", ids: jobs.map((j) => j.id) });
  if (deleted > 0) vacuum(db);
  return deleted;
}

async function readCopyMarker(targetPath: string): Promise<number> {
  const bytes = await readIfExists(join(targetPath, ".copy-marker"));
  const value = bytes ? Number(new TextDecoder().decode(bytes).trim()) : 0;
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}

async function transfer(
  options: ArchiveRetentionOptions,
  jobs: readonly JobRef[],
): Promise<TransferResult> {
  const { archive, retention, now } = options;
  const targetPath = retention.targetPath!;
  return retention.format === "parquet"
    ? await writeJobsAsParquet(archive, jobs, {
      targetPath,
      maxFileSizeMb: retention.maxFileSizeMb > 0 ? retention.maxFileSizeMb : 512,
      now,
    })
    : await copyJobsAsJson(archive, jobs, { targetPath });
}

/** Runs the configured retention policy once; throws when the configuration cannot work. */
export async function runArchiveRetention(
  options: ArchiveRetentionOptions,
): Promise<ArchiveRetentionResult> {
  const { db, archive, retention } = options;
  const policy = retention.policy;
  if (policy === "none") throw new Error("archive retention policy is none");
  const problem = retentionProblem(retention);
  if (problem) throw new Error(`archive retention ${policy}: ${problem}`);
  const cutoff = options.now - retention.age! * DAY;
  const omitTagged = retention.omitTagged;
  const result: ArchiveRetentionResult = {
    policy,
    cutoff,
    jobs: 0,
    transferred: 0,
    removed: 0,
    dbDeleted: 0,
    failed: 0,
  };
  if (policy === "copy") {
    const from = await readCopyMarker(retention.targetPath!);
    const jobs = findFinishedJobs(db, { from, before: cutoff, omitTagged });
    result.jobs = jobs.length;
    if (jobs.length > 0) {
      const copied = await transfer(options, jobs);
      result.transferred = copied.done.length;
      result.failed = copied.failed;
    }
    await Deno.mkdir(retention.targetPath!, { recursive: true });
    await writeFileAtomic(join(retention.targetPath!, ".copy-marker"), String(cutoff));
    return result;
  }
  const jobs = findFinishedJobs(db, { before: cutoff, omitTagged });
  result.jobs = jobs.length;
  if (jobs.length === 0) return result;
  let due: readonly JobRef[] = jobs;
  if (policy === "move") {
    const moved = await transfer(options, jobs);
    result.transferred = moved.done.length;
    result.failed = moved.failed;
    due = [...moved.done, ...moved.missing];
  }
  const { gone, removed, failed } = await removeJobs(archive, due);
  result.removed = removed;
  result.failed += failed;
  if (retention.includeDb) result.dbDeleted = deleteFromDb(db, gone);
  return result;
}
