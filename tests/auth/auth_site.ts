/**
 * Test support for the login and session suites: a temporary site with a
 * migrated database, fresh keys in an injected environment, the
 * {@link Authentication} built the way `-server` builds it, and an
 * application wired as the server wires it (login routes, `/config`,
 * `/frontend`, a guarded page and a guarded `/query` stand-in).
 *
 * @module
 */
import { Hono } from "hono";
import type { DatabaseSync } from "node:sqlite";
import { applyDefaults } from "../../server/config/apply_defaults.ts";
import { type Config, generateKeyPair, generateSessionKey } from "../../server/config/mod.ts";
import { AUTH_SOURCES, migrateUp, openDatabase, UserRepository } from "../../server/db/mod.ts";
import type { ApiEnv } from "../../server/api/rest/api_env.ts";
import { apiErrorHandler } from "../../server/api/rest/error_body.ts";
import { importPrivateKey, importPublicKey } from "../../server/auth/jwt_keys.ts";
import { issueToken } from "../../server/auth/issue_token.ts";
import { type Authentication, createAuthentication } from "../../server/auth/authentication.ts";
import { mountAuthRoutes } from "../../server/auth/mount_auth_routes.ts";
import { sessionOrTokenGuard } from "../../server/auth/page_guards.ts";
import { renderLoginPage } from "../../routes/mod.ts";
import { setLogSink } from "../../server/log/logger.ts";
import type { TaggerControl } from "../../server/tagger/mod.ts";

/** A running test site. */
export interface AuthSite {
  dir: string;
  db: DatabaseSync;
  config: Config;
  auth: Authentication;
  app: Hono<ApiEnv>;
  users: UserRepository;
  /** The environment the site was built from (`SESSION_KEY`, `JWT_*`, ...). */
  env: Map<string, string>;
  /** Moves the site's clock. */
  advance(ms: number): void;
  /** Signs an API token (EdDSA, `JWT_PRIVATE_KEY`). */
  apiToken(username: string, roles: string[]): Promise<string>;
  /** Creates a local account. */
  addLocalUser(
    username: string,
    password: string,
    roles?: string[],
    projects?: string[],
  ): Promise<void>;
  /** `POST /login` with the form fields. */
  login(fields: Record<string, string>, headers?: HeadersInit): Promise<Response>;
  /** A request with the `session` cookie `cookie` (a `name=value` pair) and headers. */
  request(path: string, init?: RequestInit & { cookie?: string }): Promise<Response>;
  /** Log lines written meanwhile. */
  logs: string[];
  close(): Promise<void>;
}

/** The `session=...` pair of a response's Set-Cookie, or undefined. */
export function sessionCookie(response: Response): string | undefined {
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(";")[0];
    if (pair.startsWith("session=") && pair !== "session=") return pair;
  }
  return undefined;
}

/** The Set-Cookie line of `name`, or undefined. */
export function setCookieLine(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

/** Options of {@link createAuthSite}. */
export interface AuthSiteOptions {
  /** Merged into the `auth` section (default `{jwts: {"max-age": "1h"}}`). */
  auth?: Record<string, unknown>;
  main?: Record<string, unknown>;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Leave `SESSION_KEY` unset. */
  noSessionKey?: boolean;
  tls?: boolean;
  journalctl?: string;
  /** On-demand tagger runs for `/config/taggers/`. */
  taggers?: TaggerControl;
  ldapTimeouts?: { connectMs?: number; operationMs?: number };
}

/** Builds a site; call `close()` afterwards. */
export async function createAuthSite(options: AuthSiteOptions = {}): Promise<AuthSite> {
  const dir = await Deno.makeTempDir({ prefix: "cc-auth-test-" });
  await Deno.mkdir(`${dir}/var`);
  const logs: string[] = [];
  const previousSink = setLogSink((line) => logs.push(line));
  const db = openDatabase(`${dir}/job.db`);
  migrateUp(db);
  let now = 0;
  async function build() {
    const { jwts, ...rest } = options.auth ?? {};
    const config = applyDefaults({
      main: { addr: "127.0.0.1:0", ...options.main },
      auth: { jwts: { "max-age": "1h", ...(jwts as Record<string, unknown>) }, ...rest },
    });
    const keys = generateKeyPair();
    const env = new Map<string, string>([
      ["JWT_PUBLIC_KEY", keys.publicKey],
      ["JWT_PRIVATE_KEY", keys.privateKey],
      ...Object.entries(options.env ?? {}),
    ]);
    if (!options.noSessionKey) env.set("SESSION_KEY", generateSessionKey());
    const decode = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const privateKey = await importPrivateKey(decode(keys.privateKey));
    now = Date.now();
    const auth = await createAuthentication({
      config,
      db,
      env,
      tls: options.tls,
      now: () => now,
      ldapTimeouts: options.ldapTimeouts,
      verifier: {
        db,
        publicKey: await importPublicKey(decode(keys.publicKey)),
        validateUser: config.auth?.jwts.validateUser ?? false,
      },
    });
    const app = new Hono<ApiEnv>();
    mountAuthRoutes(app, {
      auth,
      varDir: `${dir}/var`,
      journalctl: options.journalctl,
      taggers: options.taggers,
      now: () => Math.floor(now / 1000),
    });
    const page = sessionOrTokenGuard(auth, { respond: "page", render: renderLoginPage });
    const query = sessionOrTokenGuard(auth, { respond: "json" });
    app.get("/monitoring/jobs/", page, (c) => c.json({ page: "jobs", user: c.get("user") }));
    app.get("/config", page, (c) => c.json({ page: "config", user: c.get("user") }));
    app.post("/query", query, (c) => c.json({ data: { user: c.get("user") } }));
    app.onError(apiErrorHandler);
    return { config, auth, app, privateKey, env };
  }
  let built: Awaited<ReturnType<typeof build>>;
  try {
    built = await build();
  } catch (error) {
    setLogSink(previousSink);
    db.close();
    await Deno.remove(dir, { recursive: true });
    throw error;
  }
  const { config, auth, app, privateKey, env } = built;
  const users = new UserRepository(db);
  return {
    dir,
    db,
    config,
    auth,
    app,
    users,
    env,
    logs,
    advance(ms) {
      now += ms;
    },
    apiToken: (username, roles) =>
      issueToken({ username, roles }, { privateKey, maxAgeMs: 3600_000, now }),
    async addLocalUser(username, password, roles = ["user"], projects = []) {
      await users.addUser({ username, password, roles, projects, authSource: AUTH_SOURCES.local });
    },
    async login(fields, headers) {
      return await app.request("/login", {
        method: "POST",
        body: new URLSearchParams(fields),
        headers,
      });
    },
    request(path, init = {}) {
      const { cookie, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (cookie) headers.set("Cookie", cookie);
      return Promise.resolve(app.request(path, { ...rest, headers }));
    },
    async close() {
      setLogSink(previousSink);
      db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Runs `fn` with a fresh site and closes it afterwards. */
export async function withAuthSite(
  options: AuthSiteOptions,
  fn: (site: AuthSite) => Promise<void>,
): Promise<void> {
  const site = await createAuthSite(options);
  try {
    await fn(site);
  } finally {
    await site.close();
  }
}
