/**
 * Archive compression: the data.json of finished jobs that started more
 * than `archive.compression` days ago (default 7) becomes data.json.gz with
 * the same content. Files of 2000 bytes or less stay as they are (as
 * cc-backend's file archive does). `<archive>/compress.txt` keeps the last
 * cut-off, so a run only looks at jobs started since the previous one; the
 * first run (no compress.txt) looks at the whole archive.
 *
 * Deliberate difference: compress.txt is written after the run finishes,
 * not before it starts, so an interrupted run is repeated.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import type { FileArchive } from "../archive/mod.ts";
import { gzipBytes, readIfExists, writeFileAtomic } from "../archive/fs_util.ts";
import { log } from "../log/logger.ts";
import { findFinishedJobs, type JobRef } from "./job_task_queries.ts";

/** Default age in days when `archive.compression` is 0 or missing. */
export const DEFAULT_COMPRESS_DAYS = 7;

/** data.json up to this size stays uncompressed. */
const THRESHOLD = 2000;

/** Jobs compressed at the same time. */
const CONCURRENCY = 4;

/** Options of {@link compressArchive}. */
export interface CompressArchiveOptions {
  db: DatabaseSync;
  archive: FileArchive;
  /** Compress jobs older than this many days (≤ 0: the default of 7). */
  days: number;
  /** Unix seconds. */
  now: number;
}

/** What a compression run did. */
export interface CompressArchiveResult {
  /** Jobs started at or after this were looked at (0 on a full run)... */
  from: number;
  /** ...and before this. */
  before: number;
  jobs: number;
  compressed: number;
  failed: number;
}

function compressFile(archive: FileArchive): string {
  return join(archive.root, "compress.txt");
}

async function readLastCutoff(archive: FileArchive): Promise<number | undefined> {
  const bytes = await readIfExists(compressFile(archive));
  if (!bytes) return undefined;
  const text = new TextDecoder().decode(bytes).trim();
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
    log.warn(`compression: ignoring ${compressFile(archive)}: ${JSON.stringify(text)} is no time`);
    return undefined;
  }
  return value;
}

/** Compresses one job's data.json; true when it did. */
async function compressJob(archive: FileArchive, job: JobRef): Promise<boolean> {
  const dir = archive.jobDir(job);
  const plain = join(dir, "data.json");
  let size: number;
  try {
    size = (await Deno.stat(plain)).size;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false; // compressed already, or no data
    throw error;
  }
  if (size <= THRESHOLD) return false;
  const gz = join(dir, "data.json.gz");
  if (await readIfExists(gz)) {
    // Which one is current is unknown; readers use the .gz. Leave both for a person to decide.
    log.warn(`compression: ${dir} has both data.json and data.json.gz; left as it is`);
    return false;
  }
  const bytes = await Deno.readFile(plain);
  await writeFileAtomic(gz, await gzipBytes(bytes));
  await Deno.remove(plain);
  return true;
}

/** Runs one compression pass. */
export async function compressArchive(
  options: CompressArchiveOptions,
): Promise<CompressArchiveResult> {
  const { db, archive } = options;
  const days = options.days > 0 ? options.days : DEFAULT_COMPRESS_DAYS;
  const before = options.now - days * 86400;
  const from = await readLastCutoff(archive) ?? 0;
  const jobs = from < before ? findFinishedJobs(db, { from, before }) : [];
  const result: CompressArchiveResult = {
    from,
    before,
    jobs: jobs.length,
    compressed: 0,
    failed: 0,
  };
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      try {
        if (await compressJob(archive, job)) result.compressed++;
      } catch (error) {
        result.failed++;
        log.warn(
          `compression: cannot compress data of job ${job.jobId} on "${job.cluster}": ${
            (error as Error).message
          }`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await writeFileAtomic(compressFile(archive), String(before));
  return result;
}
