/**
 * Users that a login source describes (token claims, OIDC claims): their
 * claims read the way cc-backend reads them, and the `sync-user-on-login`
 * (create unknown users) and `update-user-on-login` (overwrite name, roles
 * and projects of known users) options.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { UserRepository, VALID_ROLES } from "../db/mod.ts";
import { log } from "../log/logger.ts";
import type { LoginUser } from "./authenticator.ts";

/** The strings of a claim that should be a list of strings; anything else is empty. */
export function stringListClaim(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The known role names in a `roles` claim, without duplicates. */
export function rolesClaim(value: unknown): string[] {
  const known = new Set<string>(VALID_ROLES);
  return [...new Set(stringListClaim(value).filter((r) => known.has(r)))];
}

/** A `name` claim: a string, or `{values: [...]}` joined by spaces. */
export function nameClaim(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) {
    return stringListClaim((value as { values?: unknown }).values).join(" ");
  }
  return "";
}

/** Creates or updates the account of `user` as the login source's options say. */
export async function syncLoginUser(
  db: DatabaseSync,
  user: LoginUser,
  options: { sync: boolean; update: boolean },
): Promise<void> {
  const users = new UserRepository(db);
  const stored = users.getUser(user.username);
  const projects = user.roles.includes("manager") ? user.projects : [];
  if (stored && options.update) {
    users.updateUser(user.username, { name: user.name, roles: user.roles, projects });
    log.info(`login: updated user ${JSON.stringify(user.username)} from ${sourceName(user)}`);
  } else if (!stored && options.sync) {
    await users.addUser({
      username: user.username,
      name: user.name,
      roles: user.roles,
      projects,
      authSource: user.authSource,
    });
    log.info(`login: created user ${JSON.stringify(user.username)} from ${sourceName(user)}`);
  }
}

function sourceName(user: LoginUser): string {
  return ["local", "LDAP", "token", "OIDC", "all"][user.authSource] ?? "login";
}
