/**
 * Test support for the job list pages (not used by the program): a site
 * with the demo clusters, demo-like jobs (finished ones with data in the
 * archive, running ones served by a constant live source), a few special
 * jobs (a long and an HTML-like name, one not monitored, one whose
 * archiving failed), tags, users, every page and `/query` behind the stub
 * guard of `test_pages.ts` (`X-Test-User`, `X-Test-Roles`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { Hono } from "hono";
import type { ApiEnv } from "../api/rest/api_env.ts";
import { apiErrorHandler } from "../api/rest/error_body.ts";
import { mountGraphql } from "../api/graphql/mount_graphql.ts";
import { FileArchive } from "../archive/mod.ts";
import type { Job, JobData, JobMetric } from "../archive/types.ts";
import { applyDefaults } from "../config/apply_defaults.ts";
import {
  AUTH_SOURCES,
  JobRepository,
  migrateUp,
  openDatabase,
  TagRepository,
  UserRepository,
} from "../db/mod.ts";
import { demoClusters } from "../demo/demo_clusters.ts";
import { generateDemoJobs, generateJobMeta, generateRunningJobs } from "../demo/generate_jobs.ts";
import type { JobDataRequest, JobDataSource } from "../jobs/job_data_source.ts";
import { pageNotFound } from "../../routes/mod.ts";
import { mountPages } from "./mount_pages.ts";
import { stubGuard } from "./test_pages.ts";

/** The site's fixed clock (unix seconds). */
export const LIST_NOW = 1_790_000_000;

/** The job name longer than any column. */
export const LONG_NAME = `very_long_job_name_${"x".repeat(180)}_end`;

/** A job name that would be markup if it were not escaped. */
export const HTML_NAME = `<script>alert("x")</script><b>bold</b>`;

/** Serves every running job a constant node-scope series. */
class ConstantLiveSource implements JobDataSource {
  readonly name = "metric store";

  loadData(job: Job, request: JobDataRequest): Promise<JobData> {
    const data: JobData = {};
    for (const metric of request.metrics ?? ["cpu_load", "flops_any", "mem_bw", "mem_used"]) {
      const v = (job.jobId % 13) + 1;
      const node: JobMetric = {
        unit: { base: "" },
        timestep: 60,
        series: job.resources.map((r) => ({
          hostname: r.hostname,
          statistics: { avg: v, min: v - 1, max: v + 1 },
          data: [v - 1, v, v + 1, v],
        })),
      };
      data[metric] = { node };
    }
    return Promise.resolve(data);
  }
}

/** Options of {@link createJobListSite}. */
export interface JobListSiteOptions {
  /** Finished jobs without data (default 60). */
  jobs?: number;
  /** No jobs at all. */
  empty?: boolean;
  /** The `ui` section of config.json. */
  ui?: Record<string, unknown>;
  /** `main.resampling`. */
  resampling?: { trigger: number; resolutions: number[] };
}

/** A running job list test site. */
export interface JobListSite {
  dir: string;
  db: DatabaseSync;
  app: Hono<ApiEnv>;
  /** Every job with its database id. */
  jobs: Job[];
  /** GET `path` as `user` (default "admin") with `roles` (default ["admin"]). */
  get(path: string, options?: { roles?: string[]; user?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** Builds the site. */
export async function createJobListSite(options: JobListSiteOptions = {}): Promise<JobListSite> {
  const dir = await Deno.makeTempDir({ prefix: "cc-job-list-test-" });
  const root = join(dir, "job-archive");
  await FileArchive.init(root);
  let archive = await FileArchive.open(root);
  for (const cluster of demoClusters()) await archive.writeClusterConfig(cluster);
  archive = await FileArchive.open(root);
  const db = openDatabase(join(dir, "job.db"));
  migrateUp(db);

  const all: Job[] = [];
  if (!options.empty) {
    const seed = 5;
    const detailed = generateDemoJobs({
      seed,
      now: LIST_NOW - 3600,
      count: 8,
      days: 1,
      maxPoints: 60,
    });
    for (const job of detailed) await archive.writeJob(job.meta, job.data);
    const bulk = generateJobMeta({
      seed,
      now: LIST_NOW - 86400,
      count: options.jobs ?? 60,
      days: 10,
      firstJobId: 5_000_000,
    });
    const running = generateRunningJobs({ seed, now: LIST_NOW, count: 4 });
    const base = detailed[0].meta;
    const special: Job[] = [
      {
        ...base,
        jobId: 9_000_001,
        arrayJobId: 4242,
        startTime: LIST_NOW - 7200,
        metaData: { jobName: LONG_NAME },
      },
      {
        ...base,
        jobId: 9_000_002,
        arrayJobId: 4242,
        startTime: LIST_NOW - 7300,
        metaData: { jobName: HTML_NAME },
      },
      { ...base, jobId: 9_000_003, startTime: LIST_NOW - 7400, monitoringStatus: 0 },
      { ...base, jobId: 9_000_004, startTime: LIST_NOW - 7500, monitoringStatus: 2 },
    ];
    all.push(...detailed.map((j) => j.meta), ...bulk, ...running, ...special);
  }
  const ids = new JobRepository(db).insertJobs(all);
  const jobs = all.map((job, i) => ({ ...job, id: ids[i] }));

  const users = new UserRepository(db);
  await users.addUser({
    username: "admin",
    roles: ["admin"],
    projects: [],
    name: "Ada Admin",
    email: "admin@example.org",
    authSource: AUTH_SOURCES.local,
  });
  for (const user of new Set(jobs.map((j) => j.user))) {
    await users.addUser({
      username: user,
      roles: ["user"],
      projects: [],
      name: `Name <of> ${user}`,
      email: `${user}@example.org`,
      authSource: AUTH_SOURCES.local,
    });
  }
  const tags = new TagRepository(db);
  const app = tags.getOrCreateTag({ type: "app", name: "gromacs" });
  for (const job of jobs.slice(0, 5)) tags.addTagToJob(job.id!, app.id);

  const config = applyDefaults({
    main: {
      addr: "127.0.0.1:0",
      ...(options.resampling ? { resampling: options.resampling } : {}),
    },
    ...(options.ui ? { ui: options.ui } : {}),
  });
  const now = () => LIST_NOW;
  const hono = new Hono<ApiEnv>();
  const guard = stubGuard();
  mountGraphql(hono, { db, archive, config, liveJobData: new ConstantLiveSource(), now }, {
    guard,
  });
  mountPages(hono, { db, archive, config, varDir: join(dir, "var"), now }, { guard });
  hono.notFound(pageNotFound);
  hono.onError(apiErrorHandler);
  return {
    dir,
    db,
    app: hono,
    jobs,
    get(path, request = {}) {
      const headers = new Headers({
        "X-Test-Roles": (request.roles ?? ["admin"]).join(","),
        "X-Test-User": request.user ?? "admin",
      });
      return Promise.resolve(hono.request(path, { headers }));
    },
    async close() {
      db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The job ids of the rows of a rendered list page, in order. */
export function rowJobIds(html: string): number[] {
  return [...html.matchAll(/class="fw-bold">(\d+)<\/a>/g)].map((m) => Number(m[1]));
}

/** The props of the job list island of a rendered page. */
// deno-lint-ignore no-explicit-any
export function islandProps(html: string): any {
  const json = /<script type="application\/json" id="cc-islands">(.*?)<\/script>/s.exec(html);
  assert.ok(json, "no island payload");
  const island = JSON.parse(json[1]).islands.find((i: { name: string }) =>
    i.name === "job_list_view"
  );
  assert.ok(island, "no job_list_view island");
  return island.props;
}
