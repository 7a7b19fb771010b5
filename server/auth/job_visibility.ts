/**
 * Which jobs a user may see (cc-backend's `SecurityCheck`): api-only,
 * admin and support see all; a manager sees own jobs and those of managed
 * projects; a user sees own jobs. Expressed as an SQL condition with bound
 * parameters so every query layer (REST, GraphQL, pages) applies the same
 * rule, and as a predicate for single jobs.
 *
 * @module
 */
import { AppError } from "../errors.ts";
import { type AuthUser, hasAnyRole, hasRole, isApiOnly } from "./auth_user.ts";

/** An SQL condition on table `job` with its parameters; `null` means no restriction. */
export interface VisibilityCondition {
  sql: string;
  params: string[];
}

/** The condition restricting `job` rows to those `user` may see. */
export function jobVisibilityCondition(user: AuthUser): VisibilityCondition | null {
  if (isApiOnly(user) || hasAnyRole(user, ["admin", "support"])) return null;
  if (hasRole(user, "manager")) {
    if (user.projects.length === 0) return { sql: "job.hpc_user = ?", params: [user.username] };
    const marks = user.projects.map(() => "?").join(", ");
    return {
      sql: `(job.project IN (${marks}) OR job.hpc_user = ?)`,
      params: [...user.projects, user.username],
    };
  }
  if (hasRole(user, "user")) return { sql: "job.hpc_user = ?", params: [user.username] };
  throw new AppError(403, "user has no or unknown roles");
}

/** Whether `user` may see a job of `owner` in `project`. */
export function canSeeJob(user: AuthUser, job: { user: string; project: string }): boolean {
  if (isApiOnly(user) || hasAnyRole(user, ["admin", "support"])) return true;
  if (hasRole(user, "manager")) {
    return job.user === user.username || user.projects.includes(job.project);
  }
  if (hasRole(user, "user")) return job.user === user.username;
  return false;
}
