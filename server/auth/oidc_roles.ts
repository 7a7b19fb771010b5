/**
 * How an OpenID Connect ID token's claims become cc-backend roles and
 * projects: roles from `realm_access.roles` and every client's
 * `resource_access.<client>.roles` (Keycloak's layout), keeping only
 * `user`, `manager`, `support` and `admin` (never `api`); none found means
 * `user`. Projects from the string-array claim `projects`.
 *
 * @module
 */
import { stringListClaim } from "./login_user_sync.ts";

const MAPPED_ROLES = new Set(["user", "manager", "support", "admin"]);

function rolesOf(value: unknown): string[] {
  if (typeof value !== "object" || value === null) return [];
  return stringListClaim((value as { roles?: unknown }).roles);
}

/** The roles an ID token's claims grant. */
export function oidcRoles(claims: Record<string, unknown>): string[] {
  const found = [...rolesOf(claims.realm_access)];
  const clients = claims.resource_access;
  if (typeof clients === "object" && clients !== null) {
    for (const client of Object.values(clients)) found.push(...rolesOf(client));
  }
  const roles = [...new Set(found.filter((r) => MAPPED_ROLES.has(r)))];
  return roles.length > 0 ? roles : ["user"];
}

/** The projects an ID token's claims grant. */
export function oidcProjects(claims: Record<string, unknown>): string[] {
  return stringListClaim(claims.projects);
}
