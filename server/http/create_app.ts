/**
 * The HTTP application: global middleware (security headers, CORS,
 * cross-site guard, gzip), the REST API, login and admin routes, GraphQL at
 * `/query`, the pages and their static assets.
 *
 * @module
 */
import { Hono } from "hono";
import { compress } from "hono/compress";
import type { ApiEnv } from "../api/rest/api_env.ts";
import { apiErrorHandler } from "../api/rest/error_body.ts";
import { mountRestApi } from "../api/rest/mount_rest_api.ts";
import { mountSwagger } from "../api/openapi/mount_swagger.ts";
import type { RestDeps } from "../api/rest/rest_deps.ts";
import { mountGraphql } from "../api/graphql/mount_graphql.ts";
import { mountPlayground } from "../api/graphql/mount_playground.ts";
import type { Authentication } from "../auth/authentication.ts";
import { mountAuthRoutes } from "../auth/mount_auth_routes.ts";
import { sessionOrTokenGuard } from "../auth/page_guards.ts";
import { mountPages } from "../render/mod.ts";
import type { TaggerControl } from "../tagger/mod.ts";
import { pageNotFound, renderLoginPage } from "../../routes/mod.ts";
import { corsHeaders, crossSiteGuard, securityHeaders } from "./security_middleware.ts";

/** What the application serves from. */
export interface AppContext extends RestDeps {
  /** Sessions, login and the authenticator chain. */
  auth: Authentication;
  /** On-demand tagger runs for `/config/taggers/`. */
  taggers?: TaggerControl;
  /** The site's `var/` directory (notice, images); default `./var`. */
  varDir?: string;
  /** Whether the server itself speaks TLS (for HSTS). */
  tls?: boolean;
  /** `-dev`: development components such as Swagger UI, GraphiQL and island rebuilds. */
  dev?: boolean;
  /** Stops development watchers with the server. */
  signal?: AbortSignal;
}

/** Builds the Hono application. */
export function createApp(ctx: AppContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use(compress());
  app.use(corsHeaders());
  app.use(securityHeaders({ tls: ctx.tls ?? false }));
  app.use(crossSiteGuard());
  mountRestApi(app, ctx);
  mountSwagger(app, { dev: ctx.dev ?? false });
  mountPlayground(app, { dev: ctx.dev ?? false });
  mountAuthRoutes(app, { auth: ctx.auth, varDir: ctx.varDir, taggers: ctx.taggers, now: ctx.now });
  mountGraphql(app, ctx, {
    guard: sessionOrTokenGuard(ctx.auth, { respond: "json" }),
    // Open to authenticated users (the guard runs first): tools and GraphiQL need it.
    introspection: true,
  });
  mountPages(app, ctx, {
    guard: sessionOrTokenGuard(ctx.auth, { respond: "page", render: renderLoginPage }),
    dev: ctx.dev,
    signal: ctx.signal,
  });
  app.notFound(pageNotFound);
  app.onError(apiErrorHandler);
  return app;
}
