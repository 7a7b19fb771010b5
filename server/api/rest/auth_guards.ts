/**
 * The API's auth middleware, one factory per route group, with cc-backend's
 * rules: JWT only; `/api` checks the IP allow-list first and accepts exactly
 * `["api"]` or roles holding both `admin` and `api`; `/userapi` accepts `api`
 * with any of user/manager/support/admin; the metric-store routes the same
 * without support. Failures answer 401 `{"error": ..., "status":
 * "Unauthorized"}` (keys in the original's alphabetical order).
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "hono/deno";
import type { AuthUser } from "../../auth/auth_user.ts";
import {
  type ApiTokenVerifier,
  tokenFromHeaders,
  userFromApiToken,
} from "../../auth/verify_api_token.ts";
import { AppError } from "../../errors.ts";
import type { ApiEnv } from "./api_env.ts";

/** What the guards need. */
export interface GuardOptions {
  verifier: ApiTokenVerifier;
  /** `main.api-allowed-ips`; unset, empty or starting with `*` allows every client. */
  allowedIps?: string[];
  /** `main.disable-authentication`: no checks, no user. */
  disabled?: boolean;
}

/** cc-backend's auth failure: 401 `{"error": message, "status": "Unauthorized"}`. */
export function authFailure(c: Context, message: string): Response {
  return c.body(JSON.stringify({ error: message, status: "Unauthorized" }) + "\n", 401, {
    "Content-Type": "application/json",
  });
}

/** The client address as cc-backend takes it: X-Real-Ip, X-Forwarded-For, then the peer. */
export function clientIp(c: Context): string {
  const real = c.req.header("X-Real-Ip");
  if (real) return stripPort(real);
  const forwarded = c.req.header("X-Forwarded-For");
  if (forwarded) return stripPort(forwarded);
  try {
    return getConnInfo(c).remote.address ?? "";
  } catch {
    // In-process requests (tests through app.request) have no peer.
    return "";
  }
}

function stripPort(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1];
  const parts = address.split(":");
  return parts.length === 2 ? parts[0] : address;
}

function ipAllowed(ip: string, allowed: string[] | undefined): boolean {
  if (!allowed || allowed.length === 0 || allowed[0] === "*") return true;
  return allowed.includes(ip);
}

type RoleRule = (user: AuthUser) => boolean;

/** `/api`: exactly `["api"]`, or both `admin` and `api`. */
export const API_ROLES: RoleRule = (u) =>
  (u.roles.length === 1 && u.roles[0] === "api") ||
  (u.roles.length >= 2 && u.roles.includes("admin") && u.roles.includes("api"));

function apiWithAny(others: string[]): RoleRule {
  return (u) =>
    (u.roles.length === 1 && u.roles[0] === "api") ||
    (u.roles.length >= 2 && u.roles.includes("api") && others.some((r) => u.roles.includes(r)));
}

/** `/userapi`: `api` alone or with user, manager, support or admin. */
export const USER_API_ROLES = apiWithAny(["user", "manager", "support", "admin"]);

/** Metric-store routes: `api` alone or with user, manager or admin (not support). */
export const METRIC_STORE_API_ROLES = apiWithAny(["user", "manager", "admin"]);

function guard(
  name: string,
  rule: RoleRule,
  options: GuardOptions & { checkIp: boolean },
): MiddlewareHandler<ApiEnv> {
  const middleware: MiddlewareHandler<ApiEnv> = async (c, next) => {
    if (options.disabled) return await next();
    if (options.checkIp) {
      const ip = clientIp(c);
      if (!ipAllowed(ip, options.allowedIps)) return authFailure(c, `unknown ip: ${ip}`);
    }
    const token = tokenFromHeaders(c.req.raw.headers);
    if (!token) return authFailure(c, "no user for secured check");
    let user: AuthUser;
    try {
      user = await userFromApiToken(token, options.verifier);
    } catch (error) {
      if (error instanceof AppError) return authFailure(c, error.message);
      throw error;
    }
    if (!rule(user)) return authFailure(c, "unauthorized");
    c.set("user", user);
    await next();
  };
  Object.defineProperty(middleware, "name", { value: name });
  return middleware;
}

/** Guard of the main `/api` routes (jobs, users, clusters, node states). */
export function authApi(options: GuardOptions): MiddlewareHandler<ApiEnv> {
  return guard("authApi", API_ROLES, { ...options, checkIp: true });
}

/** Guard of `/userapi`. */
export function authUserApi(options: GuardOptions): MiddlewareHandler<ApiEnv> {
  return guard("authUserApi", USER_API_ROLES, { ...options, checkIp: false });
}

/** Guard of the metric-store routes (`/api/write`, `/api/free`, ...). */
export function authMetricStoreApi(options: GuardOptions): MiddlewareHandler<ApiEnv> {
  return guard("authMetricStoreApi", METRIC_STORE_API_ROLES, { ...options, checkIp: false });
}
