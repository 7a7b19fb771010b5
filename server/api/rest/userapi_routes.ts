/**
 * `/userapi`: the job read endpoints (list, single job, job metrics) for
 * tokens holding `api` with a user role. The guard is applied by the mount;
 * what each token sees follows its roles (cc-backend's `SecurityCheck`).
 *
 * @module
 */
import type { Hono } from "hono";
import type { ApiEnv } from "./api_env.ts";
import { jobReadRoutes } from "./job_read_routes.ts";
import type { RestDeps } from "./rest_deps.ts";

/** `/userapi` job routes (the guard is applied by the mount). */
export function userApiRoutes(deps: RestDeps): Hono<ApiEnv> {
  return jobReadRoutes(deps);
}
