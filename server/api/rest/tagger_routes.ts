/**
 * The tagger routes of the admin settings API: `GET /config/taggers/` lists
 * AppTagger and JobClassTagger and whether a run is in progress,
 * `POST /config/taggers/run/` (form field `name`) starts an on-demand run of
 * one of them over all non-running jobs and answers at once.
 *
 * @module
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { badInput } from "../../errors.ts";
import type { TaggerControl } from "../../tagger/mod.ts";
import type { ApiEnv } from "./api_env.ts";
import { jsonResponse } from "./json_response.ts";
import { requireRole } from "./role_check.ts";

/** Options of {@link taggerRoutes}. */
export interface TaggerRoutesOptions {
  /** The session + admin guard of `/config`; it runs before each route. */
  guard: MiddlewareHandler<ApiEnv>;
}

/**
 * `name` as Go's `r.FormValue` finds it: the urlencoded or multipart body
 * first, then the query string. A body that does not parse has no fields.
 */
async function formValue(c: Context<ApiEnv>, key: string): Promise<string> {
  let body: Record<string, unknown> = {};
  try {
    body = await c.req.parseBody();
  } catch {
    // Go ignores form parse errors here and reports the field as missing.
  }
  const value = body[key];
  if (typeof value === "string") return value;
  return c.req.query(key) ?? "";
}

/** The routes, relative to the mount point (mount at `/config`). */
export function taggerRoutes(taggers: TaggerControl, options: TaggerRoutesOptions): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  const { guard } = options;

  r.get("/taggers/", guard, function listTaggersHandler(c) {
    requireRole(c, "admin", "only admins are allowed to list taggers");
    return jsonResponse(c, taggers.list());
  });

  r.post("/taggers/run/", guard, async function runTaggerHandler(c) {
    requireRole(c, "admin", "only admins are allowed to run taggers");
    const name = await formValue(c, "name");
    if (name === "") throw badInput("missing required parameter: name");
    // Throws the 409s (unknown, already running); the run goes on after the answer.
    void taggers.start(name);
    return c.body(`Tagger ${name} started`, 200, { "Content-Type": "text/plain; charset=utf-8" });
  });

  return r;
}
