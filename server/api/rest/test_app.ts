/**
 * Test support for the REST API (not used by the program): a temporary site
 * with a migrated database, a copy of the fixture archive (alex, emmy,
 * fritz), a fresh Ed25519 key pair, the full application and a token maker.
 * On request it also runs background services the way `-server` does (with
 * the built-in metric store when the document has a `metric-store` section).
 *
 * @module
 */
import { join } from "node:path";
import { type Config, generateKeyPair, generateSessionKey } from "../../config/mod.ts";
import { createAuthentication } from "../../auth/authentication.ts";
import { applyDefaults } from "../../config/apply_defaults.ts";
import { FileArchive } from "../../archive/mod.ts";
import { migrateUp, openDatabase } from "../../db/mod.ts";
import { importPrivateKey, importPublicKey } from "../../auth/jwt_keys.ts";
import { issueToken } from "../../auth/issue_token.ts";
import { createApp } from "../../http/create_app.ts";
import type { DatabaseSync } from "node:sqlite";
import type { Hono } from "hono";
import type { ApiEnv } from "./api_env.ts";
import { JobHooks } from "../../jobs/job_hooks.ts";
import { createMetricStore, type MetricStoreService } from "../../metricstore/mod.ts";
import { startServices } from "../../services/run_services.ts";
import type { ServiceContext, ServiceFactory } from "../../services/service_context.ts";

const FIXTURE_ARCHIVE = new URL("../../../tests/fixtures/archive/", import.meta.url);

/** A running test site. */
export interface TestSite {
  dir: string;
  db: DatabaseSync;
  archive: FileArchive;
  config: Config;
  app: Hono<ApiEnv>;
  /** The job start/stop/archive events of the application. */
  jobHooks: JobHooks;
  /** The built-in metric store, when the document has a `metric-store` section. */
  metricStore?: MetricStoreService;
  /** What the `services` were started with (its `provided` is what they published). */
  serviceContext: ServiceContext;
  /** Signs a token for `username` with `roles` (default "api-user", ["api"]). */
  token(roles?: string[], username?: string): Promise<string>;
  /** `app.request` with a JSON body and the token of `roles` (none when `roles` is null). */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; roles?: string[] | null; username?: string; headers?: HeadersInit },
  ): Promise<Response>;
  /** Stops the services and the metric store, closes the database and removes the site. */
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

/**
 * Creates a site: `main` is merged into the `main` section of config.json,
 * `document` adds top-level sections, `services` are started before the
 * application is built (stopped in `close`).
 */
export async function createTestSite(
  options: {
    main?: Record<string, unknown>;
    document?: Record<string, unknown>;
    now?: () => number;
    services?: ServiceFactory[];
  } = {},
): Promise<TestSite> {
  const dir = await Deno.makeTempDir({ prefix: "cc-rest-test-" });
  const archivePath = join(dir, "job-archive");
  await copyDir(FIXTURE_ARCHIVE.pathname, archivePath);
  const archive = await FileArchive.open(archivePath);
  const db = openDatabase(join(dir, "job.db"));
  migrateUp(db);
  const config = applyDefaults({
    main: { addr: "127.0.0.1:0", ...options.main },
    auth: { jwts: { "max-age": "1h" } },
    ...options.document,
  });
  const keys = generateKeyPair();
  const decode = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const privateKey = await importPrivateKey(decode(keys.privateKey));
  const jobHooks = new JobHooks();
  const metricStore = config.metricStore
    ? createMetricStore(archive.clusters(), config.metricStore, { now: options.now })
    : undefined;
  const serviceContext: ServiceContext = {
    config,
    db,
    archive,
    jobHooks,
    metricStore,
    now: options.now ?? (() => Math.floor(Date.now() / 1000)),
    provided: {},
  };
  const services = await startServices(serviceContext, options.services ?? []);
  const verifier = {
    db,
    publicKey: await importPublicKey(decode(keys.publicKey)),
    validateUser: config.auth?.jwts.validateUser ?? false,
  };
  const auth = await createAuthentication({
    config,
    db,
    verifier,
    env: new Map([["SESSION_KEY", generateSessionKey()]]),
  });
  const app = createApp({
    db,
    archive,
    config,
    verifier,
    auth,
    varDir: join(dir, "var"),
    taggers: serviceContext.provided.taggers,
    now: options.now,
    jobHooks,
    metricStore,
    liveJobData: serviceContext.provided.liveJobData,
  });
  const token = (roles = ["api"], username = "api-user") =>
    issueToken({ username, roles }, { privateKey, maxAgeMs: 3600_000 });
  return {
    dir,
    db,
    archive,
    config,
    app,
    jobHooks,
    metricStore,
    serviceContext,
    token,
    async call(method, path, callOptions = {}) {
      const headers = new Headers(callOptions.headers);
      if (callOptions.roles !== null) {
        headers.set("X-Auth-Token", await token(callOptions.roles, callOptions.username));
      }
      let body: string | undefined;
      if (callOptions.body !== undefined) {
        body = typeof callOptions.body === "string"
          ? callOptions.body
          : JSON.stringify(callOptions.body);
        headers.set("Content-Type", "application/json");
      }
      return await app.request(path, { method, headers, body });
    },
    async close() {
      await services.stop();
      metricStore?.stop();
      db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
