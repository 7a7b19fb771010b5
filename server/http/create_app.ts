/**
 * The HTTP application: global middleware (security headers, CORS,
 * cross-site guard, gzip), the REST API and, until the web UI lands, a
 * status page.
 *
 * @module
 */
import { Hono } from "hono";
import { compress } from "hono/compress";
import { cors } from "hono/cors";
import { JobRepository } from "../db/mod.ts";
import type { ApiEnv } from "../api/rest/api_env.ts";
import { apiErrorHandler } from "../api/rest/error_body.ts";
import { mountRestApi } from "../api/rest/mount_rest_api.ts";
import { mountSwagger } from "../api/openapi/mount_swagger.ts";
import type { RestDeps } from "../api/rest/rest_deps.ts";
import { crossSiteGuard, securityHeaders } from "./security_middleware.ts";
import { renderStatusPage } from "./status_page.ts";

/** What the application serves from. */
export interface AppContext extends RestDeps {
  /** Whether the server itself speaks TLS (for HSTS). */
  tls?: boolean;
  /** Shown on the status page of the demo site. */
  demoLogin?: string;
  /** `-dev`: development components such as Swagger UI. */
  dev?: boolean;
}

/** Builds the Hono application. */
export function createApp(ctx: AppContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use(compress());
  app.use(cors({
    origin: "*",
    allowMethods: ["GET", "POST", "HEAD", "OPTIONS"],
    allowHeaders: ["X-Requested-With", "Content-Type", "Authorization", "Origin"],
    credentials: false,
  }));
  app.use(securityHeaders({ tls: ctx.tls ?? false }));
  app.use(crossSiteGuard());
  mountRestApi(app, ctx);
  mountSwagger(app, { dev: ctx.dev ?? false });
  const jobs = new JobRepository(ctx.db);
  app.get("/", (c) => {
    const clusters = ctx.archive.clusters().map((cluster) => ({
      name: cluster.name,
      running: jobs.countJobs({ filter: { cluster: cluster.name, jobState: "running" } }),
      total: jobs.countJobs({ filter: { cluster: cluster.name } }),
    }));
    return c.html(renderStatusPage(clusters, { login: ctx.demoLogin }));
  });
  app.notFound((c) => c.text("404 page not found\n", 404));
  app.onError(apiErrorHandler);
  return app;
}
