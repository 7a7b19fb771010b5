/**
 * The authenticated user of a request, and the role rules cc-backend applies
 * to it.
 *
 * @module
 */
import type { AuthSource } from "../db/mod.ts";

/** How the user authenticated: an API token or a session cookie. */
export type AuthType = "token" | "session";

/** The user a request acts as. */
export interface AuthUser {
  username: string;
  roles: string[];
  projects: string[];
  name?: string;
  email?: string;
  authSource: AuthSource;
  authType: AuthType;
}

/** Whether `user` holds `role`. */
export function hasRole(user: Pick<AuthUser, "roles"> | undefined, role: string): boolean {
  return user?.roles.includes(role) ?? false;
}

/** Whether `user` holds any of `roles`. */
export function hasAnyRole(user: Pick<AuthUser, "roles"> | undefined, roles: string[]): boolean {
  return roles.some((r) => hasRole(user, r));
}

/** Whether the roles are exactly `["api"]`: an automation account. */
export function isApiOnly(user: Pick<AuthUser, "roles">): boolean {
  return user.roles.length === 1 && user.roles[0] === "api";
}
