/**
 * Test support for the job view (not used by the program): a site with a
 * copy of the fixture archive, the pages and the GraphQL API behind the
 * stub guard of `test_pages.ts` (`X-Test-User` / `X-Test-Roles`), a metric
 * store with live data of a running job, and jobs covering the cases the
 * view must render: the two archived emmy jobs with real data, a running
 * single-node fritz job, an archiving-failed job with hostile and long
 * texts, footprint, energy and tags, shared jobs running side by side, and
 * a GPU job whose archive has no data.
 *
 * @module
 */
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { Hono } from "hono";
import type { ApiEnv } from "../api/rest/api_env.ts";
import { mountGraphql } from "../api/graphql/mount_graphql.ts";
import { FileArchive } from "../archive/mod.ts";
import type { Job } from "../archive/types.ts";
import { applyDefaults } from "../config/apply_defaults.ts";
import {
  AUTH_SOURCES,
  JobRepository,
  migrateUp,
  openDatabase,
  TagRepository,
  UserRepository,
} from "../db/mod.ts";
import { Ingestor } from "../metricstore/ingest.ts";
import { JobDataLoader } from "../metricstore/job_data_loader.ts";
import { MemoryStore } from "../metricstore/memory_store.ts";
import { pageNotFound } from "../../routes/mod.ts";
import { mountPages } from "./mount_pages.ts";
import { stubGuard } from "./test_pages.ts";

const FIXTURE_ARCHIVE = new URL("../../tests/fixtures/archive/", import.meta.url).pathname;

/** A hostile job name: markup that must come out as text. */
export const HOSTILE_NAME = '<script>alert("x")</script><img src=x onerror=alert(1)>';

/** Database ids of the jobs of the site. */
export interface JobViewIds {
  /** emmy 1403244 (32 nodes, archived, user emmyUser6). */
  emmy: number;
  /** emmy 1404397 (32 nodes, archived). */
  emmy2: number;
  /** fritz, running on f0101 (alice), data in the metric store. */
  running: number;
  /** fritz, archiving failed (alice): long and hostile texts, footprint, energy, tags, admin note. */
  failed: number;
  /** fritz, shared, with `neighbour` running beside it on f0102 (bob). */
  shared: number;
  neighbour: number;
  /** alex (GPUs), archived but without data in the archive (alice). */
  gpu: number;
}

/** A running job view site. */
export interface JobViewTestSite {
  dir: string;
  db: DatabaseSync;
  archive: FileArchive;
  app: Hono<ApiEnv>;
  ids: JobViewIds;
  /** Unix seconds the site runs at. */
  now: number;
  /** GET `path` as `user` (default alice) with `roles` (none: signed out). */
  get(
    path: string,
    as?: { roles?: string[]; user?: string; projects?: string[] },
  ): Promise<Response>;
  /** POST a GraphQL request as `user` with `roles`; returns the decoded body. */
  query(
    query: string,
    variables?: Record<string, unknown>,
    as?: { roles?: string[]; user?: string },
  ): Promise<{ data?: Record<string, unknown>; errors?: { message: string }[] }>;
  close(): Promise<void>;
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.isDirectory) await copyDir(src, dst);
    else await Deno.copyFile(src, dst);
  }
}

function fritzJob(overrides: Partial<Job>): Job {
  return {
    jobId: 5000,
    user: "alice",
    project: "p1",
    cluster: "fritz",
    subCluster: "main",
    partition: "singlenode",
    numNodes: 1,
    numHwthreads: 72,
    numAcc: 0,
    shared: "none",
    monitoringStatus: 1,
    smt: 1,
    jobState: "completed",
    startTime: 1_700_000_000,
    duration: 3600,
    walltime: 86400,
    resources: [{ hostname: "f0101", hwthreads: Array.from({ length: 72 }, (_, i) => i) }],
    ...overrides,
  };
}

/** Line protocol for the running job: 30 minutes of samples every 60 s on f0101. */
function liveSamples(start: number, now: number): string[] {
  const lines: string[] = [];
  for (let t = start; t <= now; t += 60) {
    const k = (t - start) / 60;
    lines.push(`cpu_load,hostname=f0101 value=${50 + (k % 10)} ${t}`);
    lines.push(`mem_used,hostname=f0101 value=${40 + k} ${t}`);
    for (let h = 0; h < 72; h++) {
      lines.push(`flops_any,hostname=f0101,type=hwthread,type-id=${h} value=${2 + (h % 4)} ${t}`);
    }
    for (let s = 0; s < 2; s++) {
      lines.push(`mem_bw,hostname=f0101,type=socket,type-id=${s} value=${30 + 5 * s} ${t}`);
    }
  }
  return lines;
}

/**
 * Creates the site. `ui` and `main` are merged into config.json's sections
 * (defaults here: footprint shown, resampling 600/300/120/60 s with
 * trigger 30, emission constant 317 g/kWh).
 */
export async function createJobViewTestSite(
  options: { ui?: Record<string, unknown>; main?: Record<string, unknown> } = {},
): Promise<JobViewTestSite> {
  const dir = await Deno.makeTempDir({ prefix: "cc-job-view-test-" });
  const varDir = join(dir, "var");
  await Deno.mkdir(varDir);
  await copyDir(FIXTURE_ARCHIVE, join(dir, "job-archive"));
  const archive = await FileArchive.open(join(dir, "job-archive"));
  const db = openDatabase(join(dir, "job.db"));
  migrateUp(db);
  const config = applyDefaults({
    main: {
      addr: "127.0.0.1:0",
      "emission-constant": 317,
      resampling: { "minimum-points": 100, trigger: 30, resolutions: [600, 300, 120, 60] },
      ...options.main,
    },
    ui: { "job-view": { "show-footprint": true }, ...options.ui },
  });

  const users = new UserRepository(db);
  for (
    const [username, roles, name] of [
      ["alice", ["user"], "Alice <Admin> Liddell"],
      ["bob", ["user"], "Bob"],
      ["emmyUser6", ["user"], "Emmy User"],
      ["admin", ["admin"], "Ada Admin"],
      ["support", ["support"], "Sam Support"],
      ["manager", ["manager"], "Mia Manager"],
    ] as const
  ) {
    await users.addUser({
      username,
      roles: [...roles],
      name,
      projects: username === "manager" ? ["p2"] : [],
      authSource: AUTH_SOURCES.local,
    });
  }

  const now = Math.floor(Date.now() / 1000);
  const jobs = new JobRepository(db);
  const emmyMeta = async (jobId: number, startTime: number) => ({
    ...(await archive.loadJobMeta({ jobId, cluster: "emmy", startTime })),
    monitoringStatus: 3,
  });
  const longName = `${HOSTILE_NAME} ${"a-very-long-job-name-".repeat(12)}end`;
  const runningStart = now - 1800;
  const [emmy, emmy2, running, failed, shared, neighbour, gpu] = jobs.insertJobs([
    await emmyMeta(1403244, 1608923076),
    await emmyMeta(1404397, 1609300556),
    fritzJob({ jobId: 5001, jobState: "running", startTime: runningStart, duration: 0 }),
    fritzJob({
      jobId: 5002,
      monitoringStatus: 2,
      project: `${"project-".repeat(20)}<b>bold</b>`,
      metaData: {
        jobName: longName,
        jobScript: "#!/bin/bash\necho '<b>not bold</b>'\nsrun ./a.out",
        slurmInfo: "Partition: singlenode\n<i>not italic</i>",
        message: "Node f0101 had a <failing> disk",
      },
      footprint: { cpu_load_avg: 10, flops_any_avg: 600, mem_used_max: 250, mem_bw_avg: 400 },
      energyFootprint: { cpu_power: 1.5, mem_power: 0.25 },
      energy: 1.75,
    }),
    fritzJob({
      jobId: 5003,
      shared: "single_user",
      numHwthreads: 36,
      resources: [{ hostname: "f0102", hwthreads: Array.from({ length: 36 }, (_, i) => i) }],
      monitoringStatus: 0,
      startTime: now - 7200,
      duration: 0,
      jobState: "running",
      footprint: { flops_any_avg: 200 },
    }),
    fritzJob({
      jobId: 5004,
      user: "bob",
      project: "p2",
      shared: "single_user",
      numHwthreads: 36,
      resources: [{ hostname: "f0102", hwthreads: Array.from({ length: 36 }, (_, i) => 36 + i) }],
      monitoringStatus: 0,
      startTime: now - 3600,
      duration: 0,
      jobState: "running",
    }),
    {
      ...fritzJob({ jobId: 5005, monitoringStatus: 3 }),
      cluster: "alex",
      subCluster: "a40",
      numAcc: 8,
      numHwthreads: 128,
      resources: [{ hostname: "a0121", accelerators: ["00000000:01:00.0"] }],
    },
  ]);
  const tags = new TagRepository(db);
  const tagged = [
    tags.getOrCreateTag({ type: "app", name: "<gromacs>", scope: "global" }),
    tags.getOrCreateTag({ type: "note", name: "mine", scope: "alice" }),
    tags.getOrCreateTag({ type: "ops", name: "secret", scope: "admin" }),
  ];
  for (const tag of tagged) tags.addTagToJob(failed, tag.id);
  tags.getOrCreateTag({ type: "review", name: "later", scope: "alice" });
  tags.getOrCreateTag({ type: "app", name: "lammps", scope: "global" });

  const fritz = archive.cluster("fritz")!;
  const store = MemoryStore.fromClusters([fritz]);
  const body = new TextEncoder().encode(liveSamples(runningStart, now).join("\n") + "\n");
  new Ingestor(store).ingest(body, { cluster: "fritz", now });
  const liveJobData = new JobDataLoader(store, { clusters: archive, now: () => now });

  const app = new Hono<ApiEnv>();
  const clock = () => now;
  mountPages(app, { db, archive, config, varDir, now: clock }, { guard: stubGuard() });
  mountGraphql(app, { db, archive, config, liveJobData, now: clock }, { guard: stubGuard() });
  app.notFound(pageNotFound);

  const headersFor = (as: { roles?: string[]; user?: string; projects?: string[] }) => {
    const headers = new Headers();
    if (as.roles) headers.set("X-Test-Roles", as.roles.join(","));
    if (as.user) headers.set("X-Test-User", as.user);
    if (as.projects) headers.set("X-Test-Projects", as.projects.join(","));
    return headers;
  };
  return {
    dir,
    db,
    archive,
    app,
    now,
    ids: { emmy, emmy2, running, failed, shared, neighbour, gpu },
    get(path, as = {}) {
      return Promise.resolve(app.request(path, { headers: headersFor(as) }));
    },
    async query(query, variables = {}, as = { roles: ["admin"], user: "admin" }) {
      const headers = headersFor(as);
      headers.set("Content-Type", "application/json");
      const response = await app.request("/query", {
        method: "POST",
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return await response.json();
    },
    async close() {
      db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
