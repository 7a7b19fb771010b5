/**
 * `-init-db` throughput: builds an archive of generated jobs (meta.json per
 * job, as `-init-db` reads only those), then rebuilds a fresh database from
 * it and prints jobs per second. Target: 10,000 jobs/s or more on 2 cores.
 *
 * Usage: deno run -A bench/init_db_bench.ts [jobs=20000]
 *
 * @module
 */
import { join } from "node:path";
import { FileArchive } from "../server/archive/mod.ts";
import { migrateUp, openDatabase } from "../server/db/mod.ts";
import { demoClusters } from "../server/demo/demo_clusters.ts";
import { generateJobMeta } from "../server/demo/generate_jobs.ts";
import { initDb } from "../server/importer/init_db.ts";

/** Runs the benchmark and returns the measured rate. */
export async function benchInitDb(count: number): Promise<{ jobsPerSecond: number }> {
  const dir = await Deno.makeTempDir({ prefix: "bench-init-db-" });
  try {
    const root = join(dir, "archive");
    await FileArchive.init(root);
    const archive = await FileArchive.open(root);
    for (const cluster of demoClusters()) await archive.writeClusterConfig(cluster);
    let t = performance.now();
    const jobs = generateJobMeta({ seed: 7, now: 1_790_000_000, count, days: 365 });
    const writes: Promise<void>[] = [];
    for (const job of jobs) {
      writes.push(archive.writeJobMeta(job));
      if (writes.length >= 64) await Promise.all(writes.splice(0));
    }
    await Promise.all(writes);
    console.log(
      `archive of ${count} jobs written in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const reopened = await FileArchive.open(root);
    const db = openDatabase(join(dir, "job.db"));
    migrateUp(db);
    t = performance.now();
    const summary = await initDb(db, reopened);
    const seconds = (performance.now() - t) / 1000;
    db.close();
    const jobsPerSecond = Math.round(summary.imported / seconds);
    console.log(
      `init-db: ${summary.imported} jobs imported (${summary.failed.length} failed) in ` +
        `${seconds.toFixed(2)} s = ${jobsPerSecond} jobs/s (target >= 10000)`,
    );
    return { jobsPerSecond };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  await benchInitDb(Number(Deno.args[0] ?? 20000));
}
