/**
 * The sign-in and sign-out handlers: `POST /login` and `/jwt-login` (form
 * `username`, `password`, optional `redirect`; or a login token or
 * cross-login cookie), `POST /logout`, and the two OIDC routes.
 *
 * A login is rate-limited per client address and username (5 attempts,
 * then one more every 3 minutes), tries the sign-in methods in order (the
 * first that applies decides), sets the session cookie and redirects with
 * 302 to `redirect` when that is a path on this site, else to `/`.
 * Failures show the login page again with the reason. An unknown username
 * gets the same answer as a wrong password, after the same bcrypt work, so
 * the form does not tell which accounts exist.
 *
 * @module
 */
import type { Context, Handler } from "hono";
import bcrypt from "bcryptjs";
import { UserRepository } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import { log } from "../log/logger.ts";
import { formFields } from "../api/rest/form_fields.ts";
import type { Authentication } from "./authentication.ts";
import { LoginRateLimiter } from "./rate_limit.ts";
import { loginClientIp } from "./request_facts.ts";
import { redirectTarget } from "./safe_redirect.ts";

/** Longest username looked up (longer ones cannot exist: the repository caps at 255). */
const MAX_USERNAME = 255;

/** Shown when the rate limit stops an attempt. */
export const TOO_MANY_ATTEMPTS = "too many login attempts, try again in a few minutes";

/** Renders the login page with a message (the page layer's `renderLoginPage`). */
export type LoginPageRenderer = (options: {
  error?: string;
  warning?: string;
  info?: string;
  redirect?: string;
  oidc?: boolean;
  title?: string;
}) => string;

let dummyHash: Promise<string> | undefined;

/** A bcrypt hash (cost 10) of a random password: unknown users cost the same as known ones. */
function dummyPasswordHash(): Promise<string> {
  return dummyHash ??= bcrypt.hash(crypto.randomUUID(), 10);
}

function failurePage(
  c: Context,
  render: LoginPageRenderer,
  page: { status: number; message: string; redirect?: string; oidc: boolean },
): Response {
  const html = render({
    warning: page.message,
    redirect: page.redirect,
    oidc: page.oidc,
    title: "Login failed - ClusterCockpit",
  });
  return c.html(html, page.status as 401);
}

/** `POST /login` and `/jwt-login`. */
export function loginHandler(auth: Authentication, render: LoginPageRenderer): Handler {
  const users = new UserRepository(auth.db);
  const oidc = auth.oidc !== undefined;
  return async function login(c) {
    const field = await formFields(c);
    const username = field("username");
    const password = field("password");
    const redirect = field("redirect");
    const ip = loginClientIp(c);
    const decision = auth.limiter.take(LoginRateLimiter.key(ip, username.slice(0, MAX_USERNAME)));
    if (!decision.allowed) {
      log.warn(`login: rate limit reached for ${JSON.stringify(username)} from ${ip}`);
      c.header("Retry-After", String(decision.retryAfterSeconds));
      return failurePage(c, render, { status: 429, message: TOO_MANY_ATTEMPTS, redirect, oidc });
    }
    const dbUser = username !== "" && username.length <= MAX_USERNAME
      ? users.getUser(username)
      : null;
    for (const authenticator of auth.authenticators) {
      let user;
      try {
        user = await authenticator.login({ c, username, password, dbUser });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
        log.warn(
          `login: ${authenticator.name} refused ${JSON.stringify(username)} from ${ip}: ` +
            `${error.message}${cause}`,
        );
        return failurePage(c, render, {
          status: error.status,
          message: error.message,
          redirect,
          oidc,
        });
      }
      if (!user) continue;
      if (user.roles.length === 0) {
        return failurePage(c, render, {
          status: 403,
          message: "the account has no roles: ask an administrator to assign one",
          redirect,
          oidc,
        });
      }
      await auth.startSession(c, user);
      log.info(`login: ${JSON.stringify(user.username)} signed in via ${authenticator.name}`);
      return c.redirect(redirectTarget(redirect), 302);
    }
    // Same work and answer as a wrong password: the form does not reveal unknown names.
    await bcrypt.compare(password, await dummyPasswordHash());
    log.info(`login: no sign-in method applies to ${JSON.stringify(username)} from ${ip}`);
    return failurePage(c, render, {
      status: 401,
      message: "Authentication failed",
      redirect,
      oidc,
    });
  };
}

/** `POST /logout`: expires the session and shows the login page. */
export function logoutHandler(auth: Authentication, render: LoginPageRenderer): Handler {
  return function logout(c) {
    auth.endSession(c);
    const html = render({
      info: "Logout successful",
      oidc: auth.oidc !== undefined,
      title: "Bye - ClusterCockpit",
    });
    return c.html(html, 200);
  };
}

/** `/oidc-login`. */
export function oidcLoginHandler(auth: Authentication): Handler {
  return function oidcLogin(c) {
    if (!auth.oidc) return c.notFound();
    return auth.oidc.start(c, { secure: auth.isSecure(c) });
  };
}

/** `/oidc-callback`: signs the user in and redirects (307) to `/`. */
export function oidcCallbackHandler(auth: Authentication, render: LoginPageRenderer): Handler {
  return async function oidcCallback(c) {
    if (!auth.oidc) return c.notFound();
    const outcome = await auth.oidc.finish(c, auth.db, { secure: auth.isSecure(c) });
    if ("status" in outcome) {
      return failurePage(c, render, {
        status: outcome.status,
        message: `OIDC login failed: ${outcome.message}`,
        oidc: true,
      });
    }
    await auth.startSession(c, outcome.user);
    log.info(`login: ${JSON.stringify(outcome.user.username)} signed in via OIDC`);
    return c.redirect("/", 307);
  };
}
