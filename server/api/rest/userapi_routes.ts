/**
 * REST routes (being written; see issue 3).
 *
 * @module
 */
import { Hono } from "hono";
import type { ApiEnv } from "./api_env.ts";
import type { RestDeps } from "./rest_deps.ts";

/** `/userapi` job routes (the guard is applied by the mount). */
export function userApiRoutes(_deps: RestDeps): Hono<ApiEnv> {
  return new Hono<ApiEnv>();
}
