/**
 * The REST list benchmark's database: a site's `job.db` filled with generated
 * finished jobs (three clusters, realistic states, sizes and durations), every
 * tenth tagged, and meta.json of the newest ones in the archive.
 *
 * @module
 */
import { join } from "node:path";
import { FileArchive } from "../server/archive/mod.ts";
import type { Job, JobState } from "../server/archive/types.ts";
import { jobToValues, openDatabase } from "../server/db/mod.ts";
import { JOB_INSERT_COLUMNS } from "../server/db/job_mapping.ts";
import { indexSql, V11_INDEXES } from "../server/db/migrations/schema_v11.ts";
import { Rng } from "../server/demo/rng.ts";

const CLUSTERS = [
  { name: "fritz", subCluster: "main", host: (i: number) => `f0${101 + (i % 88)}`, cores: 72 },
  { name: "alex", subCluster: "a100", host: (i: number) => `a0${601 + (i % 5)}`, cores: 128 },
  {
    name: "emmy",
    subCluster: "icelake",
    host: (i: number) => `w22${String(1 + (i % 35)).padStart(2, "0")}`,
    cores: 32,
  },
];

const STATES: [JobState, number][] = [
  ["completed", 85],
  ["failed", 6],
  ["cancelled", 5],
  ["timeout", 3],
  ["out_of_memory", 1],
];

/** A generated finished job; `i` orders start times (higher is newer). */
function generatedJob(rng: Rng, i: number, t0: number): Job {
  const cluster = CLUSTERS[rng.int(0, CLUSTERS.length - 1)];
  const numNodes = rng.weighted([[1, 70], [2, 15], [4, 10], [16, 5]] as const);
  const first = rng.int(0, 10_000);
  const resources = Array.from({ length: numNodes }, (_, n) => {
    const hostname = cluster.host(first + n);
    return numNodes === 1
      ? { hostname, hwthreads: Array.from({ length: cluster.cores }, (_, t) => t) }
      : { hostname };
  });
  const duration = rng.int(60, 86_400);
  const user = `user${rng.int(0, 499)}`;
  return {
    jobId: 1_000_000 + i,
    user,
    project: `project${rng.int(0, 99)}`,
    cluster: cluster.name,
    subCluster: cluster.subCluster,
    partition: "main",
    arrayJobId: 0,
    numNodes,
    numHwthreads: numNodes * cluster.cores,
    numAcc: 0,
    shared: "none",
    monitoringStatus: 3,
    smt: 1,
    jobState: rng.weighted(STATES),
    startTime: t0 + i * 30 + rng.int(0, 29),
    duration,
    walltime: 86_400,
    resources,
    metaData: { jobName: `job-${i % 997}`, jobScript: "#!/bin/bash\nsrun ./app" },
    footprint: {
      cpu_load_avg: rng.float(0, cluster.cores),
      flops_any_avg: rng.float(0, 500),
      mem_bw_avg: rng.float(0, 300),
      mem_used_max: rng.float(0, 256),
    },
    energy: 0,
    statistics: {
      cpu_load: { unit: { base: "" }, avg: 40, min: 0.5, max: 72 },
      flops_any: { unit: { base: "F/s", prefix: "G" }, avg: 120, min: 1, max: 480 },
    },
  };
}

/**
 * Fills the site's database with `count` finished jobs in one transaction
 * and one prepared statement (indexes dropped during the load and rebuilt
 * after), tags every tenth job, and writes meta.json of the newest `archived`
 * jobs (monitoring status 3: the list reads their statistics from there).
 */
export async function generateDatabase(
  site: string,
  count: number,
  archived: number,
): Promise<void> {
  const db = openDatabase(join(site, "var/job.db"));
  const rng = new Rng(42);
  const t0 = 1_700_000_000 - count * 30;
  let t = performance.now();
  const jobIndexes = V11_INDEXES.filter((index) => index.table === "job");
  for (const index of jobIndexes) db.exec(`DROP INDEX IF EXISTS ${index.name}`);
  db.exec("PRAGMA cache_size = -1000000");
  db.exec("PRAGMA threads = 2"); // sorter threads for CREATE INDEX
  const insert = db.prepare(
    `INSERT INTO job (${JOB_INSERT_COLUMNS.join(", ")}) VALUES (${
      JOB_INSERT_COLUMNS.map(() => "?").join(", ")
    })`,
  );
  db.exec("INSERT INTO tag (tag_type, tag_name, tag_scope) VALUES ('app', 'gromacs', 'global')");
  const tagJob = db.prepare("INSERT INTO jobtag (job_id, tag_id) VALUES (?, 1)");
  const newest: Job[] = [];
  db.exec("BEGIN");
  for (let i = 0; i < count; i++) {
    const job = generatedJob(rng, i, t0);
    const { statistics: _, ...row } = job;
    const id = Number(insert.run(...jobToValues(row)).lastInsertRowid);
    if (i % 10 === 0) tagJob.run(id);
    if (i >= count - archived) newest.push(job);
  }
  db.exec("COMMIT");
  const inserted = (performance.now() - t) / 1000;
  t = performance.now();
  for (const index of jobIndexes) db.exec(indexSql(index));
  db.exec("PRAGMA optimize");
  db.close();
  const indexed = (performance.now() - t) / 1000;
  const archive = await FileArchive.open(join(site, "var/job-archive"));
  for (const job of newest) await archive.writeJobMeta(job);
  console.log(
    `generated ${count} jobs: inserted in ${inserted.toFixed(1)} s ` +
      `(${Math.round(count / inserted)} rows/s), ${jobIndexes.length} indexes rebuilt in ` +
      `${indexed.toFixed(1)} s; meta.json of the newest ${archived} written`,
  );
}
