/**
 * Mounts the sign-in routes and the session-guarded APIs: `POST /login`,
 * `/jwt-login`, `POST /logout` (not when authentication is disabled),
 * `/oidc-login` and `/oidc-callback` (with `auth.oidc`), `/config/*`
 * (session + admin, including the tagger routes) and `/frontend/*` (any
 * session). Unknown paths below `/config/` and `/frontend/` answer
 * cc-backend's JSON 404.
 *
 * The page guard and the `/query` guard are {@link sessionOrTokenGuard};
 * the application passes them to the page and GraphQL mounts.
 *
 * @module
 */
import type { Hono, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ApiEnv } from "../api/rest/api_env.ts";
import { apiNotFound } from "../api/rest/api_not_found.ts";
import { configRoutes } from "../api/rest/config_routes.ts";
import { frontendRoutes } from "../api/rest/frontend_routes.ts";
import { taggerRoutes } from "../api/rest/tagger_routes.ts";
import type { TaggerControl } from "../tagger/mod.ts";
import { renderLoginPage } from "../../routes/mod.ts";
import type { Authentication } from "./authentication.ts";
import {
  loginHandler,
  type LoginPageRenderer,
  logoutHandler,
  oidcCallbackHandler,
  oidcLoginHandler,
} from "./login.ts";
import { configAdminGuard, frontendGuard } from "./page_guards.ts";

/** Largest login form accepted (bytes). */
const MAX_LOGIN_BODY = 16 * 1024;

/** Largest `/config` or `/frontend` form accepted (bytes). */
const MAX_SETTINGS_BODY = 1024 * 1024;

/** What {@link mountAuthRoutes} needs. */
export interface AuthRoutesDeps {
  auth: Authentication;
  /** The site's `var/` directory (`notice.txt`); default `./var`. */
  varDir?: string;
  /** On-demand tagger runs (`ServiceContext.provided.taggers`); their routes need it. */
  taggers?: TaggerControl;
  /** The journalctl program (default `journalctl`). */
  journalctl?: string;
  /** Renders the login page (default: the page layer's). */
  render?: LoginPageRenderer;
  /** Clock in unix seconds for minted tokens. */
  now?: () => number;
}

function limit(maxSize: number, what: string): MiddlewareHandler<ApiEnv> {
  return bodyLimit({
    maxSize,
    onError: (c) => c.text(`${what}: request body larger than ${maxSize} bytes\n`, 413),
  });
}

/** Adds the routes to `app`; call before the page routes (which own `GET /config`). */
export function mountAuthRoutes(app: Hono<ApiEnv>, deps: AuthRoutesDeps): void {
  const { auth } = deps;
  const render = deps.render ?? renderLoginPage;
  if (!auth.disabled) {
    const login = loginHandler(auth, render);
    app.post("/login", limit(MAX_LOGIN_BODY, "login"), login);
    app.all("/jwt-login", limit(MAX_LOGIN_BODY, "login"), login);
    app.post("/logout", logoutHandler(auth, render));
  }
  if (auth.oidc) {
    app.all("/oidc-login", oidcLoginHandler(auth));
    app.all("/oidc-callback", oidcCallbackHandler(auth, render));
  }
  const admin = configAdminGuard(auth);
  app.use("/config/*", limit(MAX_SETTINGS_BODY, "config"));
  app.route("/config", configRoutes({ db: auth.db, varDir: deps.varDir }, { guard: admin }));
  if (deps.taggers) app.route("/config", taggerRoutes(deps.taggers, { guard: admin }));
  app.use("/frontend/*", limit(MAX_SETTINGS_BODY, "frontend"));
  app.route(
    "/frontend",
    frontendRoutes({
      db: auth.db,
      signingKey: auth.signingKey,
      tokenMaxAge: auth.jwts.maxAge,
      systemdUnit: auth.config.main.systemdUnit,
      journalctl: deps.journalctl,
      now: deps.now,
    }, { guard: frontendGuard(auth) }),
  );
  const notFound = apiNotFound(app);
  // "/config/*" also matches "/config", the settings page.
  app.all("/config/*", (c, next) => c.req.path === "/config" ? next() : notFound(c, next));
  app.all("/frontend/*", (c, next) => c.req.path === "/frontend" ? next() : notFound(c, next));
}
