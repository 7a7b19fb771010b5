/**
 * Test support for the GraphQL API: a temporary site with the demo clusters,
 * a few hundred generated jobs in the database (meta.json in the archive
 * for all finished ones, full data for some), running jobs served by a
 * deterministic live source, tags, users with every role, node states, a
 * metric store with samples, and the app with `/query` behind a JWT guard.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { FileArchive } from "../../server/archive/mod.ts";
import type { Job, JobData, JobMetric } from "../../server/archive/types.ts";
import { importPrivateKey, importPublicKey } from "../../server/auth/jwt_keys.ts";
import { issueToken } from "../../server/auth/issue_token.ts";
import { tokenFromHeaders, userFromApiToken } from "../../server/auth/verify_api_token.ts";
import { applyDefaults } from "../../server/config/apply_defaults.ts";
import { generateKeyPair } from "../../server/config/mod.ts";
import {
  AUTH_SOURCES,
  JobRepository,
  migrateUp,
  NodeRepository,
  openDatabase,
  TagRepository,
  UserRepository,
} from "../../server/db/mod.ts";
import { demoClusters } from "../../server/demo/demo_clusters.ts";
import {
  generateDemoJobs,
  generateJobMeta,
  generateRunningJobs,
} from "../../server/demo/generate_jobs.ts";
import { AppError } from "../../server/errors.ts";
import type { JobDataRequest, JobDataSource } from "../../server/jobs/job_data_source.ts";
import { MemoryStore } from "../../server/metricstore/memory_store.ts";
import type { ApiEnv } from "../../server/api/rest/api_env.ts";
import { apiErrorHandler } from "../../server/api/rest/error_body.ts";
import { mountGraphql } from "../../server/api/graphql/mount_graphql.ts";

/** The fixed clock of the site (unix seconds). */
export const NOW = 1_790_000_000;

/** Users of the site: username → roles (and projects for the manager). */
export const USERS = {
  admin: { roles: ["admin"], projects: [] as string[] },
  support: { roles: ["support"], projects: [] as string[] },
  apiOnly: { roles: ["api"], projects: [] as string[] },
} as const;

/** A deterministic average for a running job's metric: what the fake live source reports. */
export function liveValue(job: Pick<Job, "jobId">, metric: string): number {
  return (job.jobId % 37) + metric.length;
}

/** Serves node-scope series for running jobs: a constant {@link liveValue} per host. */
export class FakeLiveSource implements JobDataSource {
  readonly name = "metric store";
  readonly calls: string[] = [];

  loadData(job: Job, request: JobDataRequest): Promise<JobData> {
    this.calls.push(`${job.id}`);
    const metrics = request.metrics ?? ["flops_any", "mem_bw", "cpu_load"];
    const data: JobData = {};
    for (const metric of metrics) {
      const v = liveValue(job, metric);
      const node: JobMetric = {
        unit: { base: "" },
        timestep: 60,
        series: job.resources.map((r) => ({
          hostname: r.hostname,
          statistics: { avg: v, min: v - 1, max: v + 1 },
          data: [v, v, v],
        })),
      };
      data[metric] = { node };
    }
    return Promise.resolve(data);
  }
}

/** A running test site. */
export interface GraphqlTestSite {
  dir: string;
  db: DatabaseSync;
  archive: FileArchive;
  app: Hono<ApiEnv>;
  store: MemoryStore;
  /** Every job as inserted, with its database id. */
  jobs: Job[];
  /** Database ids of the finished jobs whose data.json is in the archive. */
  withData: number[];
  /** The demo users' names (role user) and projects. */
  demoUsers: { user: string; project: string }[];
  /** A manager of the first demo project. */
  manager: { username: string; projects: string[] };
  /** Posts a query as `username` (default "admin"); null sends no token. */
  query(
    query: string,
    variables?: Record<string, unknown>,
    options?: { username?: string | null },
  ): Promise<{ status: number; body: GraphqlBody }>;
  /** A raw request to the app with the token of `username` (default admin). */
  request(path: string, init?: RequestInit & { username?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

/** The JSON body of a GraphQL answer. */
export interface GraphqlBody {
  // deno-lint-ignore no-explicit-any
  data?: any;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Samples in the metric store: node-level cpu_load and mem_used on these hosts. */
export const STORE_HOSTS = ["f0101", "f0102", "f0103"];

/** Builds the site. */
export async function createGraphqlTestSite(
  options: { count?: number; mount?: Parameters<typeof mountGraphql>[2] } = {},
): Promise<GraphqlTestSite> {
  const dir = await Deno.makeTempDir({ prefix: "cc-graphql-test-" });
  const root = join(dir, "job-archive");
  await FileArchive.init(root);
  let archive = await FileArchive.open(root);
  const clusters = demoClusters();
  for (const cluster of clusters) await archive.writeClusterConfig(cluster);
  archive = await FileArchive.open(root);

  const db = openDatabase(join(dir, "job.db"));
  migrateUp(db);
  const seed = 11;
  const detailed = generateDemoJobs({
    seed,
    now: NOW - 86400 * 2,
    count: 12,
    days: 3,
    maxPoints: 90,
  });
  const bulk = generateJobMeta({
    seed,
    now: NOW,
    count: options.count ?? 300,
    days: 20,
    firstJobId: 5_000_000,
  });
  const running = generateRunningJobs({ seed, now: NOW, count: 12 });
  for (const job of detailed) await archive.writeJob(job.meta, job.data);
  for (const job of bulk) await archive.writeJobMeta(job);
  const repo = new JobRepository(db);
  const all = [...detailed.map((j) => j.meta), ...bulk, ...running];
  const ids = repo.insertJobs(all);
  const jobs = all.map((job, i) => ({ ...job, id: ids[i] }));
  const withData = ids.slice(0, detailed.length);

  const users = new UserRepository(db);
  for (const [username, spec] of Object.entries(USERS)) {
    await users.addUser({
      username,
      roles: [...spec.roles],
      projects: [...spec.projects],
      name: `${username} person`,
      email: `${username}@example.org`,
      authSource: AUTH_SOURCES.local,
    });
  }
  const demoUsers = [...new Map(jobs.map((j) => [j.user, { user: j.user, project: j.project }]))
    .values()];
  for (const u of demoUsers) {
    await users.addUser({
      username: u.user,
      roles: ["user"],
      projects: [],
      name: `Name of ${u.user}`,
      email: `${u.user}@example.org`,
      authSource: AUTH_SOURCES.local,
    });
  }
  const manager = { username: "boss", projects: [demoUsers[0].project] };
  await users.addUser({
    username: manager.username,
    roles: ["manager"],
    projects: manager.projects,
    name: "The Boss",
    authSource: AUTH_SOURCES.local,
  });

  const tags = new TagRepository(db);
  const global = tags.getOrCreateTag({ type: "app", name: "gromacs" });
  const admin = tags.getOrCreateTag({ type: "review", name: "flagged", scope: "admin" });
  const mine = tags.getOrCreateTag({ type: "note", name: "check", scope: demoUsers[0].user });
  for (const job of jobs.slice(0, 40)) tags.addTagToJob(job.id!, global.id);
  for (const job of jobs.slice(20, 30)) tags.addTagToJob(job.id!, admin.id);
  for (const job of jobs.filter((j) => j.user === demoUsers[0].user).slice(0, 3)) {
    tags.addTagToJob(job.id!, mine.id);
  }

  const nodes = new NodeRepository(db);
  STORE_HOSTS.forEach((host, i) => {
    const id = nodes.upsertNode({ hostname: host, cluster: "fritz", subCluster: "main" });
    nodes.insertNodeState(id, {
      timeStamp: NOW - 600,
      nodeState: "idle",
      healthState: "full",
    });
    nodes.insertNodeState(id, {
      timeStamp: NOW - 60,
      nodeState: i === 0 ? "allocated" : "idle",
      healthState: i === 2 ? "partial" : "full",
      healthMetrics: i === 2 ? { missing: ["mem_bw"] } : undefined,
    });
  });

  const store = MemoryStore.fromClusters(archive.clusters());
  STORE_HOSTS.forEach((host, h) => {
    for (let t = NOW - 600; t < NOW; t += 60) {
      store.write(["fritz", host], "cpu_load", t, 10 * (h + 1));
      store.write(["fritz", host], "mem_used", t, 100 + h);
    }
  });

  const config = applyDefaults({
    main: { addr: "127.0.0.1:0" },
    auth: { jwts: { "max-age": "1h", "validate-user": true } },
  });
  const keys = generateKeyPair();
  const decode = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const privateKey = await importPrivateKey(decode(keys.privateKey));
  const verifier = {
    db,
    publicKey: await importPublicKey(decode(keys.publicKey)),
    validateUser: true,
  };
  const guard: MiddlewareHandler<ApiEnv> = async function testGuard(c, next) {
    const token = tokenFromHeaders(c.req.raw.headers);
    if (!token) throw new AppError(401, "no user for secured check");
    c.set("user", await userFromApiToken(token, verifier));
    await next();
  };
  const app = new Hono<ApiEnv>();
  mountGraphql(app, {
    db,
    archive,
    config,
    liveJobData: new FakeLiveSource(),
    metricStore: { store },
    now: () => NOW,
  }, { guard, introspection: true, ...options.mount }); // introspection as createApp() sets it
  app.onError(apiErrorHandler);

  const token = (username: string) => issueToken({ username, roles: [] }, { privateKey });
  async function request(path: string, init: RequestInit & { username?: string | null } = {}) {
    const headers = new Headers(init.headers);
    const username = init.username === undefined ? "admin" : init.username;
    if (username !== null) headers.set("Authorization", `Bearer ${await token(username)}`);
    return await app.request(path, { ...init, headers });
  }
  return {
    dir,
    db,
    archive,
    app,
    store,
    jobs,
    withData,
    demoUsers,
    manager,
    request,
    async query(query, variables, opts = {}) {
      const response = await request("/query", {
        method: "POST",
        username: opts.username,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() as GraphqlBody };
    },
    async close() {
      db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
