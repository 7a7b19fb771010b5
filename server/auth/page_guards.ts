/**
 * The guards of the signed-in surfaces, with cc-backend's rules:
 *
 * - {@link sessionOrTokenGuard} (cc-backend's `Auth`) for pages, `/query`
 *   and `/search`: an API token in the headers first, then the session.
 *   Without either, a page answers 401 with the login page (the requested
 *   URL kept for after the login) and an API request the JSON 401.
 * - {@link configAdminGuard} (`AuthConfigAPI`) for `/config/*`: a session
 *   of an admin.
 * - {@link frontendGuard} (`AuthFrontendAPI`) for `/frontend/*`: any
 *   session.
 *
 * With `main.disable-authentication` every request passes as
 * {@link ANONYMOUS_ADMIN} (cc-backend has no user then and its pages fail).
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { hasRole } from "./auth_user.ts";
import type { AuthUser } from "./auth_user.ts";
import { AppError } from "../errors.ts";
import type { ApiEnv } from "../api/rest/api_env.ts";
import { authFailure } from "../api/rest/auth_guards.ts";
import { ANONYMOUS_ADMIN, type Authentication } from "./authentication.ts";
import type { LoginPageRenderer } from "./login.ts";
import { tokenFromHeaders, userFromApiToken } from "./verify_api_token.ts";

/** Shown when a guarded page or API is requested without credentials. */
export const PLEASE_LOGIN = "unauthorized (please login first)";

/** Options of {@link sessionOrTokenGuard}. */
export interface SessionOrTokenGuardOptions {
  /** `page`: HTML login page on failure; `json`: cc-backend's JSON 401. */
  respond: "page" | "json";
  /** Renders the login page (needed for `respond: "page"`). */
  render?: LoginPageRenderer;
}

function named(name: string, fn: MiddlewareHandler<ApiEnv>): MiddlewareHandler<ApiEnv> {
  Object.defineProperty(fn, "name", { value: name });
  return fn;
}

function requestUri(c: Context): string {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

/** The token user of the request, null without token; throws a 401 AppError for a bad token. */
async function tokenUser(c: Context, auth: Authentication): Promise<AuthUser | null> {
  const token = tokenFromHeaders(c.req.raw.headers);
  return token ? await userFromApiToken(token, auth.verifier) : null;
}

/** Pages, `/query`, `/search`: API token, else session. */
export function sessionOrTokenGuard(
  auth: Authentication,
  options: SessionOrTokenGuardOptions,
): MiddlewareHandler<ApiEnv> {
  const { respond, render } = options;
  if (respond === "page" && !render) {
    throw new Error("sessionOrTokenGuard: page guard needs render");
  }
  return named("sessionOrTokenGuard", async (c, next) => {
    if (auth.disabled) {
      c.set("user", ANONYMOUS_ADMIN);
      return await next();
    }
    let user: AuthUser | null;
    try {
      user = await tokenUser(c, auth) ?? await auth.sessionUser(c);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // An invalid token: cc-backend answers 401 with the reason as text.
      if (respond === "json") return authFailure(c, error.message);
      return c.text(`${error.message}\n`, 401);
    }
    if (!user) {
      if (respond === "json") return authFailure(c, PLEASE_LOGIN);
      const html = render!({
        error: PLEASE_LOGIN,
        redirect: requestUri(c),
        oidc: auth.oidc !== undefined,
        title: "Authentication failed - ClusterCockpit",
      });
      return c.html(html, 401);
    }
    c.set("user", user);
    await next();
  });
}

function sessionGuard(
  name: string,
  auth: Authentication,
  allowed: (user: AuthUser) => boolean,
): MiddlewareHandler<ApiEnv> {
  return named(name, async (c, next) => {
    if (auth.disabled) {
      c.set("user", ANONYMOUS_ADMIN);
      return await next();
    }
    const user = await auth.sessionUser(c);
    if (!user) return authFailure(c, "unauthorized (login first or use a token)");
    if (!allowed(user)) return authFailure(c, "unauthorized");
    c.set("user", user);
    await next();
  });
}

/** `/config/*`: a session with role `admin`. */
export function configAdminGuard(auth: Authentication): MiddlewareHandler<ApiEnv> {
  return sessionGuard("configAdminGuard", auth, (user) => hasRole(user, "admin"));
}

/** `/frontend/*`: any session. */
export function frontendGuard(auth: Authentication): MiddlewareHandler<ApiEnv> {
  return sessionGuard("frontendGuard", auth, () => true);
}
