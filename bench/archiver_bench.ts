/**
 * Archiver throughput: 4-node, 8-hour jobs on the fixture cluster fritz
 * (whole nodes of 72 cores, all 19 metrics at 60 s: about 1 million points
 * per job, archived at node and core scope) archived through the real queue
 * (store reads, statistics, data.json.gz, meta.json, database update).
 * Prints jobs archived per second and where the time goes.
 *
 * Usage: deno run -A bench/archiver_bench.ts [jobs=12]
 *
 * @module
 */
import { join } from "node:path";
import { FileArchive } from "../server/archive/mod.ts";
import { archiveJob, Archiver } from "../server/archiver/mod.ts";
import { JobRepository, migrateUp, openDatabase } from "../server/db/mod.ts";
import { JobDataLoader, MemoryStore } from "../server/metricstore/mod.ts";

const FIXTURE = new URL("../tests/fixtures/archive/fritz/cluster.json", import.meta.url);
const HOSTS = ["f0101", "f0102", "f0103", "f0104"];
const START = 1_790_000_000;
const DURATION = 8 * 3600;

/** Fills the store with every fritz metric of `HOSTS` over the job's eight hours. */
function fillStore(store: MemoryStore, archive: FileArchive): number {
  const cluster = archive.cluster("fritz")!;
  const topology = cluster.subClusters[0].topology;
  let points = 0;
  for (const mc of cluster.metricConfig) {
    const children = mc.scope === "hwthread"
      ? topology.node.map((t) => `hwthread${t}`)
      : mc.scope === "socket"
      ? topology.socket.map((_, s) => `socket${s}`)
      : [null];
    for (const [h, host] of HOSTS.entries()) {
      for (const [c, child] of children.entries()) {
        const path = child === null ? ["fritz", host] : ["fritz", host, child];
        for (let t = 0; t <= DURATION; t += mc.timestep) {
          const value = 10 + ((h * 7 + c * 3 + t / 60) % 50) + (t % 7) / 10;
          store.write(path, mc.name, START + t, value);
          points++;
        }
      }
    }
  }
  return points;
}

/** Runs the benchmark and returns the measured rate. */
export async function benchArchiver(count: number): Promise<{ jobsPerSecond: number }> {
  const dir = await Deno.makeTempDir({ prefix: "bench-archiver-" });
  try {
    const root = join(dir, "archive");
    await FileArchive.init(root);
    await Deno.mkdir(join(root, "fritz"));
    await Deno.copyFile(FIXTURE, join(root, "fritz", "cluster.json"));
    const archive = await FileArchive.open(root);
    const db = openDatabase(join(dir, "job.db"));
    migrateUp(db);
    const store = MemoryStore.fromClusters(archive.clusters());
    let t = performance.now();
    const points = fillStore(store, archive);
    console.log(
      `store filled with ${(points / 1e6).toFixed(2)} M points in ${
        ((performance.now() - t) / 1000).toFixed(1)
      } s`,
    );
    const jobs = new JobRepository(db);
    const job = (jobId: number) => ({
      jobId,
      user: "bench",
      project: "bench",
      cluster: "fritz",
      subCluster: "main",
      numNodes: HOSTS.length,
      numHwthreads: 288,
      shared: "none" as const,
      monitoringStatus: 1,
      jobState: "completed" as const,
      startTime: START,
      duration: DURATION,
      resources: HOSTS.map((hostname) => ({ hostname })),
      metaData: { jobScript: "#!/bin/bash\nsrun ./a.out" },
    });
    const ids = jobs.insertJobs(Array.from({ length: count + 1 }, (_, i) => job(1000 + i)));
    const loader = new JobDataLoader(store, { clusters: archive });

    // One job by hand, phase by phase, for the profile (and to warm up).
    const first = jobs.findById(ids[0])!;
    const phases = { load: 0, total: 0 };
    t = performance.now();
    const timedLoader = {
      load: (...args: Parameters<JobDataLoader["load"]>) => {
        const l0 = performance.now();
        const loaded = loader.load(...args);
        phases.load = performance.now() - l0;
        return loaded;
      },
    };
    const archived = await archiveJob(first, { archive, reader: timedLoader });
    phases.total = performance.now() - t;
    let series = 0;
    for (const perScope of Object.values(archived.data)) {
      for (const m of Object.values(perScope)) series += m?.series.length ?? 0;
    }
    const gz = await Deno.stat(join(archive.jobDir(first), "data.json.gz"));
    console.log(
      `one job: ${series} series, data.json.gz ${(gz.size / 1e6).toFixed(2)} MB; ` +
        `store reads ${phases.load.toFixed(0)} ms, post-processing + encoding + gzip + write ` +
        `${(phases.total - phases.load).toFixed(0)} ms`,
    );

    const archiver = new Archiver({ db, archive, reader: loader });
    t = performance.now();
    for (const id of ids.slice(1)) archiver.enqueue(jobs.findById(id)!);
    await archiver.idle();
    const seconds = (performance.now() - t) / 1000;
    const { archived: done, failed } = archiver.counts;
    db.close();
    const jobsPerSecond = done / seconds;
    console.log(
      `archiver: ${done} jobs of 4 nodes x 8 h archived (${failed} failed) in ` +
        `${seconds.toFixed(2)} s = ${jobsPerSecond.toFixed(1)} jobs/s`,
    );
    return { jobsPerSecond };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  await benchArchiver(Number(Deno.args[0] ?? 12));
}
