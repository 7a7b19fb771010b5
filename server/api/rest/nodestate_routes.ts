/**
 * `POST|PUT /api/nodestate/` and `POST /api/healthcheck[/]`: node states
 * from the resource manager (cc-backend serves both paths with one handler,
 * the latter behind the metric-store guard). Answers a JSON summary instead
 * of cc-backend's empty 200.
 *
 * @module
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { type NodeStatesRequest, updateNodeStates } from "../../nodes/mod.ts";
import type { ApiEnv } from "./api_env.ts";
import { jsonResponse } from "./json_response.ts";
import { type BodySchema, INTEGER, readJson } from "./read_json.ts";
import type { RestDeps } from "./rest_deps.ts";

const NODE_SCHEMA: BodySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    hostname: { type: "string" },
    states: { type: "array", items: { type: "string" } },
    cpusAllocated: INTEGER,
    memoryAllocated: INTEGER,
    gpusAllocated: INTEGER,
    jobsRunning: INTEGER,
  },
};

/** cc-backend's `UpdateNodeStatesRequest`, strictly: the body over REST and the event over NATS. */
export const NODE_STATES_SCHEMA: BodySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    cluster: { type: "string" },
    nodes: { type: "array", items: NODE_SCHEMA },
  },
};

/** `/api/nodestate/` (with `guard`) and `/api/healthcheck` (with the metric-store guard). */
export function nodeStateRoutes(
  deps: RestDeps,
  options: { guard: MiddlewareHandler<ApiEnv>; metricStoreGuard: MiddlewareHandler<ApiEnv> },
): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const handler = async (c: Context<ApiEnv>) => {
    const request = await readJson<NodeStatesRequest>(
      c,
      NODE_STATES_SCHEMA,
      "parsing request body failed",
    );
    const result = await updateNodeStates(request, {
      db: deps.db,
      clusters: deps.archive,
      health: deps.nodeHealth,
      now: deps.now,
    });
    const total = result.stored + result.skipped.length;
    let msg = `stored the states of ${result.stored} of ${total} node(s) of cluster ` +
      JSON.stringify(result.cluster);
    if (result.skipped.length > 0) {
      msg += `; ${result.skipped.length} not stored: ${result.reason}`;
    }
    return jsonResponse(c, { msg, stored: result.stored, skipped: result.skipped });
  };
  app.on(["POST", "PUT"], "/nodestate/", options.guard, handler);
  app.post("/healthcheck", options.metricStoreGuard, handler);
  app.post("/healthcheck/", options.metricStoreGuard, handler);
  return app;
}
