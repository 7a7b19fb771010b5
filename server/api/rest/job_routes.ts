/**
 * REST routes (being written; see issue 3).
 *
 * @module
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { ApiEnv } from "./api_env.ts";
import type { RestDeps } from "./rest_deps.ts";

/** The routes of this group; each route carries `options.guard`. */
export function jobRoutes(
  _deps: RestDeps,
  _options: { guard: MiddlewareHandler<ApiEnv> },
): Hono<ApiEnv> {
  return new Hono<ApiEnv>();
}
