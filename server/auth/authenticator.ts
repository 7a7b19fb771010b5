/**
 * One way of signing in through `/login` (LDAP, login token, cross-login
 * cookie, local password). The login tries them in cc-backend's order; the
 * first that applies decides, and its failure is final.
 *
 * @module
 */
import type { Context } from "hono";
import type { User } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import type { AuthUser } from "./auth_user.ts";

/** A user as a login establishes it (the session adds how it travels). */
export type LoginUser = Omit<AuthUser, "authType">;

/** A login attempt: the form fields and the stored account of `username`, if any. */
export interface LoginAttempt {
  c: Context;
  username: string;
  password: string;
  /** The `hpc_user` row of `username`, or null. */
  dbUser: User | null;
}

/** A sign-in method. */
export interface Authenticator {
  /** For logs: "ldap", "local", ... */
  readonly name: string;
  /**
   * The signed-in user; null when this method does not apply to the attempt
   * (the next one is tried). Throws {@link loginFailure} when it applies
   * and fails.
   */
  login(attempt: LoginAttempt): Promise<LoginUser | null>;
}

/**
 * A failed login: `message` is shown on the login page, `cause` (the detail
 * a visitor must not see, such as the LDAP server's address) is logged.
 */
export function loginFailure(message: string, options: { status?: number; cause?: unknown } = {}) {
  return new AppError(options.status ?? 401, message, { cause: options.cause });
}
