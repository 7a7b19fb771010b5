/**
 * The fallback of the API route groups: a known path with another method is
 * 405 with `Allow` and an empty body (as chi answers), anything else
 * cc-backend's JSON 404 `{"error":"the requested endpoint does not exist",
 * "status":"Resource not found"}`.
 *
 * @module
 */
import type { Handler, Hono } from "hono";
import type { ApiEnv } from "./api_env.ts";

function patternOf(path: string): RegExp {
  const source = path.split("/").map((segment) => {
    if (segment.startsWith(":")) return "[^/]+";
    if (segment === "*") return ".*";
    return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }).join("/");
  return new RegExp(`^${source}$`);
}

/** Builds the fallback handler from the routes registered on `app` so far. */
export function apiNotFound(app: Hono<ApiEnv>): Handler<ApiEnv> {
  let routes: { pattern: RegExp; method: string }[] | undefined;
  return function apiNotFound(c) {
    // Computed on first use, when every route is registered.
    routes ??= app.routes
      .filter((r) => r.method !== "ALL" && !r.path.endsWith("*"))
      .map((r) => ({ pattern: patternOf(r.path), method: r.method }));
    const allowed = [
      ...new Set(routes.filter((r) => r.pattern.test(c.req.path)).map((r) => r.method)),
    ];
    if (allowed.length > 0) {
      return c.body(null, 405, { Allow: allowed.join(", ") });
    }
    return c.body(
      JSON.stringify({
        error: "the requested endpoint does not exist",
        status: "Resource not found",
      }) +
        "\n",
      404,
      { "Content-Type": "application/json" },
    );
  };
}
