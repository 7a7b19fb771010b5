import assert from "node:assert/strict";
import { join } from "node:path";
import { FileArchive } from "../archive/mod.ts";
import { JobRepository, migrateUp, openDatabase } from "../db/mod.ts";
import { createMetricStore } from "../metricstore/mod.ts";
import { demoClusters } from "./demo_clusters.ts";
import { generateRunningJobs } from "./generate_jobs.ts";
import { startDemoCollector } from "./demo_collector.ts";

Deno.test("startDemoCollector() fills the store for the nodes of running jobs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cc-demo-collector-" });
  const now = 1_800_000_000;
  try {
    await FileArchive.init(join(dir, "archive"));
    const archive = await FileArchive.open(join(dir, "archive"));
    for (const cluster of demoClusters()) await archive.writeClusterConfig(cluster);
    const db = openDatabase(join(dir, "job.db"));
    migrateUp(db);
    const [job] = generateRunningJobs({ seed: 1, now, count: 1 });
    new JobRepository(db).insertJob(job);
    const service = createMetricStore(
      archive.clusters(),
      {
        retentionInMemory: "48h",
        memoryCap: 1,
      } as Parameters<typeof createMetricStore>[1],
    );
    const stop = startDemoCollector({ db, archive, metricStore: service, now: () => now });
    stop();
    service.stop();
    const host = job.resources[0].hostname;
    const read = service.store.read([job.cluster, host], "cpu_load", {
      from: Math.max(job.startTime, now - 7200),
      to: now,
    });
    assert.ok(read, `no cpu_load for ${host}`);
    const values = Array.from(read.data).filter((v) => !Number.isNaN(v));
    assert.ok(values.length >= 1, "no samples");
    assert.ok(values.every((v) => v >= 0), "negative samples");
    db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
