/**
 * Mounts every REST route group of cc-backend 1.5 with its guard: `/api`
 * (jobs, tags, users, clusters, node states, machine state), the
 * metric-store routes and `/userapi`. Unknown API paths answer cc-backend's
 * JSON 404, a known path with the wrong method 405 with `Allow`.
 *
 * @module
 */
import type { Hono } from "hono";
import type { ApiEnv } from "./api_env.ts";
import { authApi, authMetricStoreApi, authUserApi, type GuardOptions } from "./auth_guards.ts";
import type { RestDeps } from "./rest_deps.ts";
import { jobRoutes } from "./job_routes.ts";
import { jobReadRoutes } from "./job_read_routes.ts";
import { userApiRoutes } from "./userapi_routes.ts";
import { tagRoutes } from "./tag_routes.ts";
import { userRoutes } from "./user_routes.ts";
import { clusterRoutes } from "./cluster_routes.ts";
import { nodeStateRoutes } from "./nodestate_routes.ts";
import { machineStateRoutes } from "./machine_state_routes.ts";
import { apiNotFound } from "./api_not_found.ts";
import { metricStoreRoutes } from "./metricstore_routes.ts";

/** Adds the REST API to `app`. */
export function mountRestApi(app: Hono<ApiEnv>, deps: RestDeps): void {
  const guard: GuardOptions = {
    verifier: deps.verifier,
    allowedIps: deps.config.main.apiAllowedIps,
    disabled: deps.config.main.disableAuthentication,
  };
  // Guards are attached per route: a sub-app's use("*") would cover all of /api.
  const api = authApi(guard);
  const metricStoreGuard = authMetricStoreApi(guard);
  app.route("/api", nodeStateRoutes(deps, { guard: api, metricStoreGuard }));
  if (deps.metricStore) {
    const { store, ingestor, parallel } = deps.metricStore;
    app.route(
      "/api",
      metricStoreRoutes({ store, ingestor, parallel, now: deps.now }, { guard: metricStoreGuard }),
    );
  }
  app.use("/userapi/*", authUserApi(guard));
  app.route("/userapi", userApiRoutes(deps));
  // The job write routes' static paths (used_nodes, start_job/) come before ":id".
  const groups = [
    jobRoutes,
    jobReadRoutes,
    tagRoutes,
    userRoutes,
    clusterRoutes,
    machineStateRoutes,
  ];
  for (const routes of groups) {
    app.route("/api", routes(deps, { guard: api }));
  }
  app.all("/api/*", apiNotFound(app));
  app.all("/userapi/*", apiNotFound(app));
}
