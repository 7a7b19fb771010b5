/**
 * GraphQL latency on a 1,000,000-job database, through `/query` as the UI
 * calls it: the first page of `jobs` (default order, then with three
 * filters), `jobsStatistics` grouped by user, a duration histogram and a
 * roofline heatmap. Targets: p99 of job-list queries < 30 ms, statistics
 * < 500 ms.
 *
 * The database holds 20,000 generated jobs replicated 50 times (shifted by
 * 30 days and 10,000,000 job ids per copy), built without indexes and
 * indexed afterwards; 200 recent jobs have full data in the archive.
 *
 * Usage: deno run -A bench/graphql_bench.ts [jobs=1000000]; with GRAPHQL_BENCH_DIR set the site
 * is built there once and reused by later runs.
 *
 * @module
 */
import { Hono } from "hono";
import { join } from "node:path";
import { FileArchive } from "../server/archive/mod.ts";
import { applyDefaults } from "../server/config/apply_defaults.ts";
import { JobRepository, migrateUp, openDatabase, withTransaction } from "../server/db/mod.ts";
import { indexSql, V11_INDEXES } from "../server/db/migrations/schema_v11.ts";
import { demoClusters } from "../server/demo/demo_clusters.ts";
import { generateDemoJobs, generateJobMeta } from "../server/demo/generate_jobs.ts";
import { mountGraphql } from "../server/api/graphql/mount_graphql.ts";
import type { ApiEnv } from "../server/api/rest/api_env.ts";
import { Q_AN_ROOFLINE, Q_JOBLIST, qList } from "../tests/graphql/frontend_queries.ts";

const NOW = 1_790_000_000;
const BASE = 20_000;

interface Figures {
  name: string;
  p50: number;
  p99: number;
  max: number;
  runs: number;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

async function buildSite(dir: string, total: number) {
  const root = join(dir, "archive");
  try {
    // A kept site (GRAPHQL_BENCH_DIR) is reused as it is.
    const db = openDatabase(join(dir, "job.db"), {
      dbConfig: { cacheSizeMb: 512 },
      readOnly: true,
    });
    const ids = db.prepare("SELECT id FROM job ORDER BY id DESC LIMIT 200").all().map((r) =>
      Number(r.id)
    );
    console.log(`reusing the site in ${dir}`);
    return { db, archive: await FileArchive.open(root), detailedIds: ids };
  } catch {
    // No site yet: build one.
  }
  await FileArchive.init(root);
  let archive = await FileArchive.open(root);
  for (const cluster of demoClusters()) await archive.writeClusterConfig(cluster);
  archive = await FileArchive.open(root);
  const db = openDatabase(join(dir, "job.db"), { dbConfig: { cacheSizeMb: 512 } });
  migrateUp(db);
  let t = performance.now();
  const detailed = generateDemoJobs({ seed: 3, now: NOW, count: 200, days: 1, maxPoints: 720 });
  for (const job of detailed) await archive.writeJob(job.meta, job.data);
  const base = generateJobMeta({
    seed: 5,
    now: NOW - 86400,
    count: Math.min(BASE, total),
    days: 30,
  });
  console.log(
    `generated ${base.length} + ${detailed.length} jobs in ${
      ((performance.now() - t) / 1000).toFixed(1)
    } s`,
  );
  t = performance.now();
  for (const index of V11_INDEXES) db.exec(`DROP INDEX IF EXISTS ${index.name}`);
  const repo = new JobRepository(db);
  const detailedIds: number[] = [];
  withTransaction(db, () => {
    repo.insertJobs(base);
    const copies = Math.ceil(total / base.length) - 1;
    const columns = "cluster, subcluster, submit_time, hpc_user, project, cluster_partition, " +
      "array_job_id, duration, walltime, job_state, meta_data, resources, num_nodes, num_hwthreads, " +
      "num_acc, smt, shared, monitoring_status, energy, energy_footprint, footprint";
    const copy = db.prepare(
      `INSERT INTO job (job_id, start_time, ${columns}) SELECT job_id + ?, start_time - ?, ${columns} ` +
        "FROM job WHERE id <= ? LIMIT ?",
    );
    for (let k = 1; k <= copies; k++) {
      copy.run(
        k * 10_000_000,
        k * 30 * 86400,
        base.length,
        Math.min(base.length, total - k * base.length),
      );
    }
    detailedIds.push(...repo.insertJobs(detailed.map((d) => d.meta)));
  });
  for (const index of V11_INDEXES) db.exec(indexSql(index));
  db.exec("ANALYZE");
  const count = Number(db.prepare("SELECT COUNT(*) n FROM job").get()!.n);
  console.log(
    `database of ${count} jobs built and indexed in ${
      ((performance.now() - t) / 1000).toFixed(1)
    } s`,
  );
  return { db, archive, detailedIds };
}

/** Runs the benchmark and returns its figures. */
export async function benchGraphql(total = 1_000_000): Promise<Figures[]> {
  const kept = Deno.env.get("GRAPHQL_BENCH_DIR");
  const dir = kept ?? await Deno.makeTempDir({ prefix: "bench-graphql-" });
  if (kept) await Deno.mkdir(kept, { recursive: true });
  try {
    const { db, archive, detailedIds } = await buildSite(dir, total);
    const app = new Hono<ApiEnv>();
    const config = applyDefaults({ main: { addr: "127.0.0.1:0" } });
    // Authentication disabled: the viewer sees every job (admin-like).
    mountGraphql(app, { db, archive, config, now: () => NOW });
    const run = async (query: string, variables: Record<string, unknown>) => {
      const response = await app.request("/query", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      const body = await response.json();
      if (response.status !== 200 || body.errors) {
        throw new Error(JSON.stringify(body).slice(0, 500));
      }
      return body;
    };
    const sorting = { field: "startTime", type: "col", order: "DESC" };
    const paging = { itemsPerPage: 50, page: 1 };
    const cases: [string, string, Record<string, unknown>, number][] = [
      ["jobs: first page, default order (50 items + count)", Q_JOBLIST, {
        filter: [],
        sorting,
        paging,
      }, 100],
      ["jobs: first page, cluster + state + duration filters", Q_JOBLIST, {
        filter: [
          { cluster: { eq: "fritz" } },
          { state: ["completed"] },
          { duration: { from: 3600, to: 0 } },
        ],
        sorting,
        paging,
      }, 100],
      ["jobs: first page of one user", Q_JOBLIST, {
        filter: [{ user: { eq: "aadl130h" } }],
        sorting,
        paging,
      }, 100],
      ["jobsStatistics grouped by user (all jobs)", qList("USER"), {
        jobFilters: [],
        fetchRunning: true,
      }, 10],
      ["jobsStatistics grouped by user (one cluster)", qList("USER"), {
        jobFilters: [{ cluster: { eq: "fritz" } }],
        fetchRunning: false,
      }, 10],
      [
        "duration histogram (all jobs)",
        "query ($f: [JobFilter!]) { jobsStatistics(filter: $f) { histDuration { count value } } }",
        { f: [] },
        10,
      ],
      [
        "duration histogram (one cluster, last 30 days)",
        "query ($f: [JobFilter!]) { jobsStatistics(filter: $f) { histDuration { count value } } }",
        {
          f: [{ cluster: { eq: "fritz" } }, { startTime: { range: "last30d" } }],
        },
        10,
      ],
      ["rooflineHeatmap (200 jobs with data, 50×50)", Q_AN_ROOFLINE, {
        jobFilters: [{ dbId: detailedIds.map(String) }],
        maxY: 10000,
      }, 5],
    ];
    const figures: Figures[] = [];
    for (const [name, query, variables, runs] of cases) {
      await run(query, variables); // warm-up: statement preparation and page cache
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await run(query, variables);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const f = {
        name,
        p50: percentile(times, 0.5),
        p99: percentile(times, 0.99),
        max: times.at(-1)!,
        runs,
      };
      figures.push(f);
      console.log(
        `${name.padEnd(58)} p50 ${f.p50.toFixed(1).padStart(7)} ms  p99 ${
          f.p99.toFixed(1).padStart(7)
        } ms  (${runs} runs)`,
      );
    }
    db.close();
    return figures;
  } finally {
    if (!kept) await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  await benchGraphql(Number(Deno.args[0] ?? 1_000_000));
}
