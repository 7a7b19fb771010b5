/**
 * Writes the generated demo clusters and finished jobs into a job archive.
 *
 * @module
 */
import type { FileArchive } from "../archive/mod.ts";
import { demoClusters } from "./demo_clusters.ts";
import { iterateDemoJobs } from "./generate_jobs.ts";

/** Options of {@link writeDemoArchive}. */
export interface WriteDemoArchiveOptions {
  seed: number | string;
  /** Unix seconds; jobs end before it. */
  now: number;
  /** Number of finished jobs. */
  count: number;
  /** Called every 100 jobs with the number written. */
  onProgress?: (written: number) => void;
}

/** Writes cluster.json files and `count` finished jobs; returns the number written. */
export async function writeDemoArchive(
  archive: FileArchive,
  options: WriteDemoArchiveOptions,
): Promise<number> {
  const clusters = demoClusters();
  for (const cluster of clusters) await archive.writeClusterConfig(cluster);
  let written = 0;
  for (const job of iterateDemoJobs({ ...options, clusters })) {
    await archive.writeJob(job.meta, job.data);
    if (++written % 100 === 0) options.onProgress?.(written);
  }
  return written;
}
