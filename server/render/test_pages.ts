/**
 * Test support for the web UI (not used by the program): a site with the
 * fixture archive (alex, emmy, fritz), a migrated database with a few jobs,
 * every page mounted behind a stub guard that signs in whoever the
 * `X-Test-User` / `X-Test-Roles` headers name.
 *
 * @module
 */
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { Hono } from "hono";
import type { MiddlewareHandler } from "hono";
import type { ApiEnv } from "../api/rest/api_env.ts";
import { FileArchive } from "../archive/mod.ts";
import { applyDefaults } from "../config/apply_defaults.ts";
import { JobRepository, migrateUp, openDatabase } from "../db/mod.ts";
import { sampleJob } from "../db/test_db.ts";
import { pageNotFound } from "../../routes/mod.ts";
import { mountPages } from "./mount_pages.ts";

const FIXTURE_ARCHIVE = new URL("../../tests/fixtures/archive/", import.meta.url).pathname;

/** Signs in `X-Test-User` (default "alice") with `X-Test-Roles` (comma-separated); 401 without roles. */
export function stubGuard(): MiddlewareHandler<ApiEnv> {
  return async function stubGuard(c, next) {
    const roles = c.req.header("X-Test-Roles");
    if (!roles) return c.text("login required", 401);
    c.set("user", {
      username: c.req.header("X-Test-User") ?? "alice",
      roles: roles.split(",").filter(Boolean),
      projects: (c.req.header("X-Test-Projects") ?? "").split(",").filter(Boolean),
      authSource: 0,
      authType: "session",
    });
    await next();
  };
}

/** A running page test site. */
export interface PagesTestSite {
  dir: string;
  db: DatabaseSync;
  app: Hono<ApiEnv>;
  /** GET `path` as `user` with `roles` (no roles: signed out). */
  get(
    path: string,
    options?: { roles?: string[]; user?: string; projects?: string[]; headers?: HeadersInit },
  ): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Jobs: alice runs 2 on fritz (1 running), bob 1 on fritz (running, project
 * "p2") and 1 on alex; `notice` is written to `var/notice.txt`.
 */
export async function createPagesTestSite(
  options: { notice?: string } = {},
): Promise<PagesTestSite> {
  const dir = await Deno.makeTempDir({ prefix: "cc-pages-test-" });
  const varDir = join(dir, "var");
  await Deno.mkdir(varDir);
  if (options.notice !== undefined) {
    await Deno.writeTextFile(join(varDir, "notice.txt"), options.notice);
  }
  const archive = await FileArchive.open(FIXTURE_ARCHIVE);
  const db = openDatabase(join(dir, "job.db"));
  migrateUp(db);
  new JobRepository(db).insertJobs([
    sampleJob({ jobId: 1, user: "alice", project: "p1", jobState: "running" }),
    sampleJob({ jobId: 2, user: "alice", project: "p1" }),
    sampleJob({ jobId: 3, user: "bob", project: "p2", jobState: "running" }),
    sampleJob({ jobId: 4, user: "bob", project: "p2", cluster: "alex", subCluster: "a40" }),
  ]);
  const app = new Hono<ApiEnv>();
  const config = applyDefaults({ main: { addr: "127.0.0.1:0" } });
  mountPages(app, { db, archive, config, varDir }, { guard: stubGuard() });
  app.notFound(pageNotFound);
  return {
    dir,
    db,
    app,
    get(path, request = {}) {
      const headers = new Headers(request.headers);
      if (request.roles) headers.set("X-Test-Roles", request.roles.join(","));
      if (request.user) headers.set("X-Test-User", request.user);
      if (request.projects) headers.set("X-Test-Projects", request.projects.join(","));
      return Promise.resolve(app.request(path, { headers }));
    },
    async close() {
      db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
