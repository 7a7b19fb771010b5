/**
 * `GET /api/clusters/[?cluster=<name>]`: the cluster configs of the job
 * archive as `{"clusters": [...]}`, each in cc-lib's `schema.Cluster` shape.
 *
 * @module
 */
import { Hono, type MiddlewareHandler } from "hono";
import { AppError } from "../../errors.ts";
import type { ApiEnv } from "./api_env.ts";
import { clusterApiObject } from "./cluster_json.ts";
import { jsonResponse } from "./json_response.ts";
import type { RestDeps } from "./rest_deps.ts";
import { requireRole } from "./role_check.ts";

/** `GET /api/clusters/` behind `options.guard`. */
export function clusterRoutes(
  deps: RestDeps,
  options: { guard: MiddlewareHandler<ApiEnv> },
): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/clusters/", options.guard, (c) => {
    requireRole(c, "api", "missing role: api");
    // Like Go's Query().Get: the first value; an empty one means "all clusters".
    const name = c.req.query("cluster") ?? "";
    const clusters = deps.archive.clusters();
    let selected = clusters;
    if (name !== "") {
      selected = clusters.filter((cluster) => cluster.name === name);
      if (selected.length === 0) throw new AppError(400, `unknown cluster: ${name}`);
    }
    return jsonResponse(c, { clusters: selected.map(clusterApiObject) });
  });
  return app;
}
