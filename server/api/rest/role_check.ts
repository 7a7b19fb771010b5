/**
 * Role checks that handlers make on top of their route group's guard, with
 * cc-backend's 403 messages. Without a user (authentication disabled by
 * `main.disable-authentication`) every check passes: the operator chose an
 * open API, and cc-backend's nil-user crash (500) helps nobody.
 *
 * @module
 */
import type { Context } from "hono";
import { hasRole } from "../../auth/auth_user.ts";
import { AppError } from "../../errors.ts";
import type { ApiEnv } from "./api_env.ts";

/** Throws a 403 with `message` when the request's user lacks `role`. */
export function requireRole(c: Context<ApiEnv>, role: string, message: string): void {
  const user = c.get("user");
  if (user && !hasRole(user, role)) throw new AppError(403, message);
}
