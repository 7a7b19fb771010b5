/**
 * The web UI's helper API under `/frontend` (cc-backend's
 * `AuthFrontendAPI` group, any session): the admin log viewer, API tokens
 * for the signed-in user, and per-user UI settings (`configuration` table).
 *
 * @module
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { DatabaseSync } from "node:sqlite";
import { hasRole } from "../../auth/auth_user.ts";
import { issueToken } from "../../auth/issue_token.ts";
import { parseDuration } from "../../config/mod.ts";
import { UserConfigRepository, UserRepository } from "../../db/mod.ts";
import { AppError, badInput } from "../../errors.ts";
import type { ApiEnv } from "./api_env.ts";
import { formFields } from "./form_fields.ts";
import { jsonResponse } from "./json_response.ts";
import { readJournal } from "./journal_log.ts";
import { requireRole } from "./role_check.ts";

/** Longest configuration key and value accepted. */
export const MAX_CONFIG_KEY = 255;
export const MAX_CONFIG_VALUE = 64 * 1024;

/** What the routes need. */
export interface FrontendRoutesDeps {
  db: DatabaseSync;
  /** `JWT_PRIVATE_KEY`; without it `/frontend/jwt/` answers 500. */
  signingKey?: CryptoKey;
  /** `auth.jwts.max-age` ("" = tokens without expiry). */
  tokenMaxAge: string;
  /** `main.systemd-unit`. */
  systemdUnit: string;
  /** The journalctl program (tests use a stand-in). */
  journalctl?: string;
  now?: () => number;
}

function plain(body: string): [string, 200, { "Content-Type": string }] {
  return [body, 200, { "Content-Type": "text/plain; charset=utf-8" }];
}

/** The routes, relative to the mount point (mount at `/frontend`), each behind `options.guard`. */
export function frontendRoutes(
  deps: FrontendRoutesDeps,
  options: { guard: MiddlewareHandler<ApiEnv> },
): Hono<ApiEnv> {
  const users = new UserRepository(deps.db);
  const settings = new UserConfigRepository(deps.db);
  const maxAgeMs = deps.tokenMaxAge === "" ? 0 : parseDuration(deps.tokenMaxAge);
  const { guard } = options;
  const r = new Hono<ApiEnv>();

  r.get("/logs/", guard, async function getJournalLog(c) {
    requireRole(c, "admin", "only admins are allowed to view logs");
    const entries = await readJournal({
      since: c.req.query("since") ?? "",
      lines: c.req.query("lines") ?? "",
      level: c.req.query("level") ?? "",
      search: c.req.query("search") ?? "",
    }, { unit: deps.systemdUnit, command: deps.journalctl });
    return jsonResponse(c, entries);
  });

  r.get("/jwt/", guard, async function getJwt(c) {
    const me = c.get("user");
    const username = c.req.query("username") ?? "";
    if (me && !hasRole(me, "admin")) {
      if (username !== me.username) {
        throw new AppError(403, "only admins are allowed to sign JWTs not for themselves");
      }
      if (!hasRole(me, "api")) {
        throw new AppError(403, "only users with the api role may generate a JWT");
      }
    }
    const user = users.getUser(username);
    if (!user) throw new AppError(404, "getting user failed: sql: no rows in result set");
    if (!deps.signingKey) {
      throw new AppError(
        500,
        "providing JWT failed: environment variable 'JWT_PRIVATE_KEY' not set",
      );
    }
    const token = await issueToken(user, {
      privateKey: deps.signingKey,
      maxAgeMs,
      now: deps.now?.(),
    });
    return c.body(...plain(token));
  });

  r.post("/configuration/", guard, async function updateConfiguration(c) {
    const me = c.get("user");
    const field = await formFields(c);
    const key = field("key");
    const raw = field("value");
    if (key === "" || key.length > MAX_CONFIG_KEY) {
      throw badInput(
        `updating configuration failed: key must be 1 to ${MAX_CONFIG_KEY} characters`,
      );
    }
    if (raw.length > MAX_CONFIG_VALUE) {
      throw badInput(`updating configuration failed: value longer than ${MAX_CONFIG_VALUE} bytes`);
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw badInput(`updating configuration failed: value of ${JSON.stringify(key)} is not JSON`);
    }
    if (!me) {
      throw new AppError(500, "updating configuration failed: no user (authentication disabled)");
    }
    try {
      settings.setConfig(me.username, { key, value });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      throw new AppError(500, `updating configuration failed: ${error.message}`, { cause: error });
    }
    return c.body(...plain("success"));
  });

  return r;
}
