/**
 * REST routes (being written; see issue 3).
 *
 * @module
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { ApiEnv } from "./api_env.ts";
import type { RestDeps } from "./rest_deps.ts";

/** `/api/nodestate/` (with `guard`) and `/api/healthcheck` (with the metric-store guard). */
export function nodeStateRoutes(
  _deps: RestDeps,
  _options: { guard: MiddlewareHandler<ApiEnv>; metricStoreGuard: MiddlewareHandler<ApiEnv> },
): Hono<ApiEnv> {
  return new Hono<ApiEnv>();
}
