/**
 * Bulk insert throughput (the `-init-db` path). Target: more than 10,000 jobs/s.
 * Run with `deno bench -A server/db/job_repository_bench.ts`.
 */
import { openDatabase } from "./connection.ts";
import { JobRepository } from "./job_repository.ts";
import { migrateUp } from "./migrations/migrate.ts";
import { sampleJob } from "./test_db.ts";

const BATCH = 20_000;
const dir = Deno.makeTempDirSync({ prefix: "ccdb_bench_" });
const db = openDatabase(`${dir}/job.db`);
migrateUp(db);
const jobs = new JobRepository(db);
let next = 0;

function batch(): ReturnType<typeof sampleJob>[] {
  return Array.from({ length: BATCH }, () =>
    sampleJob({
      jobId: ++next,
      resources: Array.from({ length: 4 }, (_, i) => ({
        hostname: `f${String(next % 1000).padStart(4, "0")}${i}`,
        hwthreads: Array.from({ length: 72 }, (_, t) => t),
      })),
    }));
}

Deno.bench({
  name: `insertJobs() ${BATCH} jobs in one transaction`,
  n: 5,
  fn(b) {
    const input = batch();
    b.start();
    jobs.insertJobs(input);
    b.end();
  },
});

globalThis.addEventListener("unload", () => {
  db.close();
  Deno.removeSync(dir, { recursive: true });
});
