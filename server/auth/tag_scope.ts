/**
 * Who may read and write tags of each scope (`global`, `admin`, or a
 * username for private tags), as cc-backend's `checkScopeAuth` rules say.
 * One module for REST, GraphQL and pages.
 *
 * @module
 */
import { AppError } from "../errors.ts";
import { type AuthUser, hasAnyRole, hasRole, isApiOnly } from "./auth_user.ts";

/** Whether `user` may create or attach tags of `scope`. */
export function canWriteTagScope(user: AuthUser, scope: string): boolean {
  if (scope === "admin") return hasRole(user, "admin") || isApiOnly(user);
  if (scope === "global") return hasAnyRole(user, ["admin", "support"]) || isApiOnly(user);
  return scope === user.username;
}

/** Whether `user` may see tags of `scope`. */
export function canReadTagScope(user: AuthUser, scope: string): boolean {
  if (scope === "global") return true;
  if (scope === "admin") return hasAnyRole(user, ["admin", "support"]);
  return scope === user.username;
}

/** Throws a 403 naming the scope unless `user` may write it. */
export function assertCanWriteTagScope(user: AuthUser | undefined, scope: string): void {
  if (!user) {
    throw new AppError(500, "error while checking tag operation auth: no user in context");
  }
  if (!canWriteTagScope(user, scope)) {
    throw new AppError(
      403,
      `cannot write tag scope ${JSON.stringify(scope)} with current authorization`,
    );
  }
}
