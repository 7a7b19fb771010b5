/**
 * `-add-user`, `-del-user` and `-jwt`: local user accounts and API tokens
 * from the command line.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { Config } from "../../server/config/mod.ts";
import { jwtPrivateKey, parseDuration } from "../../server/config/mod.ts";
import { AUTH_SOURCES, UserRepository, VALID_ROLES } from "../../server/db/mod.ts";
import { importPrivateKey } from "../../server/auth/jwt_keys.ts";
import { issueToken } from "../../server/auth/issue_token.ts";
import { log } from "../../server/log/logger.ts";

/** Parses `<username>:<roles,...>:<password>` (split on the first two colons). */
export function parseAddUser(
  value: string,
): { username: string; roles: string[]; password: string } {
  const first = value.indexOf(":");
  const second = first < 0 ? -1 : value.indexOf(":", first + 1);
  if (first <= 0 || second < 0) {
    throw new Error(
      `-add-user: expected <username>:<roles>:<password>, found "${value.replace(/:.*$/, ":...")}"`,
    );
  }
  const roles = value.slice(first + 1, second).split(",").map((r) => r.trim()).filter((r) => r);
  for (const role of roles) {
    if (!(VALID_ROLES as readonly string[]).includes(role)) {
      throw new Error(`-add-user: unknown role "${role}": expected ${VALID_ROLES.join(", ")}`);
    }
  }
  return { username: value.slice(0, first), roles, password: value.slice(second + 1) };
}

/** Adds a local user with a bcrypt-hashed password. */
export async function addUserFromFlag(db: DatabaseSync, value: string): Promise<void> {
  const spec = parseAddUser(value);
  await new UserRepository(db).addUser({
    username: spec.username,
    roles: spec.roles,
    password: spec.password,
    projects: [],
    authSource: AUTH_SOURCES.local,
  });
  log.info(`Add User: Added new user '${spec.username}' with roles '${spec.roles.join(",")}'`);
}

/** Deletes a user; an unknown user is an error. */
export function deleteUserFromFlag(db: DatabaseSync, username: string): void {
  new UserRepository(db).deleteUser(username);
  log.info(`Delete User: Deleted user '${username}'`);
}

/** Returns a freshly signed token for an existing user, as `-jwt` prints it. */
export async function tokenForUser(
  db: DatabaseSync,
  options: { username: string; config: Config },
): Promise<string> {
  const user = new UserRepository(db).getUser(options.username);
  if (!user) throw new Error(`-jwt: could not find user '${options.username}'`);
  if (!user.roles.includes("api")) {
    log.warn(
      `user '${user.username}' does not have the API role: REST API endpoints will return error!`,
    );
  }
  const raw = jwtPrivateKey();
  if (!raw) throw new Error("-jwt: JWT_PRIVATE_KEY is not set (see .env)");
  const maxAge = options.config.auth?.jwts.maxAge ?? "";
  return await issueToken({ username: user.username, roles: user.roles }, {
    privateKey: await importPrivateKey(raw),
    maxAgeMs: maxAge ? parseDuration(maxAge) : 0,
  });
}
