/**
 * Copies archived jobs into a second file job archive (retention `copy` and
 * `move` with `format: json`): `version.txt`, each cluster's cluster.json,
 * and every job directory's meta.json and data file, byte for byte, under
 * the same relative paths. Files are replaced atomically, so a repeated
 * copy of a job simply overwrites it.
 *
 * @module
 */

import { dirname, join, relative } from "node:path";
import { FileArchive } from "../archive/mod.ts";
import { removeIfExists } from "../archive/fs_util.ts";
import { log } from "../log/logger.ts";
import type { JobRef } from "./job_task_queries.ts";

/** What a transfer did. */
export interface TransferResult {
  /** Jobs now stored at the target. */
  done: JobRef[];
  /** Jobs without an archive directory (nothing to transfer). */
  missing: JobRef[];
  /** Jobs whose transfer failed (logged). */
  failed: number;
}

const DATA_FILES = ["data.json.gz", "data.json"] as const;

async function copyAtomic(from: string, to: string): Promise<void> {
  const tmp = `${to}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.copyFile(from, tmp);
    await Deno.rename(tmp, to);
  } catch (error) {
    await removeIfExists(tmp);
    throw error;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Copies one job directory; throws naming what is missing or failed. */
async function copyJob(source: string, target: string): Promise<void> {
  const present: string[] = [];
  for (const name of DATA_FILES) {
    if (await isFile(join(source, name))) present.push(name);
  }
  if (!(await isFile(join(source, "meta.json")))) throw new Error(`no meta.json in ${source}`);
  if (present.length === 0) throw new Error(`no data.json(.gz) in ${source}`);
  await Deno.mkdir(target, { recursive: true });
  for (const name of present) await copyAtomic(join(source, name), join(target, name));
  // A data variant the source does not have would shadow (or be shadowed by) the copy.
  for (const name of DATA_FILES) {
    if (!present.includes(name)) await removeIfExists(join(target, name));
  }
  await copyAtomic(join(source, "meta.json"), join(target, "meta.json"));
}

/**
 * Copies `jobs` from `archive` into the file archive at `targetPath`
 * (created, with version.txt, when missing; an existing one must be of the
 * same version).
 */
export async function copyJobsAsJson(
  archive: FileArchive,
  jobs: readonly JobRef[],
  options: { targetPath: string },
): Promise<TransferResult> {
  const { targetPath } = options;
  await FileArchive.init(targetPath);
  const result: TransferResult = { done: [], missing: [], failed: 0 };
  const clustersDone = new Set<string>();
  for (const job of jobs) {
    let source: string;
    try {
      source = archive.jobDir(job);
    } catch (error) {
      log.warn(`retention: skipping job ${job.jobId}: ${(error as Error).message}`);
      result.failed++;
      continue;
    }
    if (!(await isDirectory(source))) {
      result.missing.push(job);
      continue;
    }
    try {
      if (!clustersDone.has(job.cluster)) {
        const clusterJson = join(archive.root, job.cluster, "cluster.json");
        const targetDir = join(targetPath, job.cluster);
        await Deno.mkdir(targetDir, { recursive: true });
        await copyAtomic(clusterJson, join(targetDir, "cluster.json"));
        clustersDone.add(job.cluster);
      }
      const target = join(targetPath, relative(archive.root, source));
      await Deno.mkdir(dirname(target), { recursive: true });
      await copyJob(source, target);
      result.done.push(job);
    } catch (error) {
      log.warn(
        `retention: cannot copy job ${job.jobId} on "${job.cluster}" to ${targetPath}: ${
          (error as Error).message
        }`,
      );
      result.failed++;
    }
  }
  return result;
}
