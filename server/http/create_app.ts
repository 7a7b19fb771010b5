/**
 * The HTTP application: security headers, the interim status page and JSON
 * errors. Later issues add the REST API, GraphQL and the pages.
 *
 * @module
 */
import { Hono } from "hono";
import type { DatabaseSync } from "node:sqlite";
import type { FileArchive } from "../archive/mod.ts";
import { JobRepository } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import { log } from "../log/logger.ts";
import { renderStatusPage } from "./status_page.ts";

/** What the application serves from. */
export interface AppContext {
  db: DatabaseSync;
  archive: FileArchive;
  /** Shown on the status page of the demo site. */
  demoLogin?: string;
}

/** Builds the Hono application. */
export function createApp(ctx: AppContext): Hono {
  const app = new Hono();
  const jobs = new JobRepository(ctx.db);
  app.use(async function securityHeaders(c, next) {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "same-origin");
    c.header(
      "Content-Security-Policy",
      "frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
    );
  });
  app.get("/", (c) => {
    const clusters = ctx.archive.clusters().map((cluster) => ({
      name: cluster.name,
      running: jobs.countJobs({ filter: { cluster: cluster.name, jobState: "running" } }),
      total: jobs.countJobs({ filter: { cluster: cluster.name } }),
    }));
    return c.html(renderStatusPage(clusters, { login: ctx.demoLogin }));
  });
  app.notFound((c) => c.json({ status: "Not Found", error: `no route for ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (error instanceof AppError && error.status < 500) {
      return c.json({ status: "Bad Request", error: error.message }, error.status as 400);
    }
    log.error(`${c.req.method} ${c.req.path}: ${error.message}`);
    return c.json({ status: "Internal Server Error", error: "internal server error" }, 500);
  });
  return app;
}
