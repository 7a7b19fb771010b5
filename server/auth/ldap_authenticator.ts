/**
 * Sign-in against LDAP (cc-backend's `LdapAuthenticator`): applies to
 * accounts that came from LDAP and, with `sync-user-on-login`, to unknown
 * names the directory knows. The password is checked by binding as the
 * user. An unreachable directory fails the login with a clear message (the
 * server's address is only logged); local accounts are not affected.
 *
 * Unlike cc-backend, an unknown user is created only after the password
 * checked out, so wrong guesses leave no accounts behind.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { LdapConfig } from "../config/mod.ts";
import { AUTH_SOURCES, UserRepository } from "../db/mod.ts";
import { log } from "../log/logger.ts";
import {
  type Authenticator,
  type LoginAttempt,
  loginFailure,
  type LoginUser,
} from "./authenticator.ts";
import { type LdapDirectory, LdapUnavailable, type LdapUser } from "./ldap_directory.ts";

/** Shown when the directory cannot be asked. */
export const LDAP_UNAVAILABLE_MESSAGE =
  "LDAP login is unavailable: the directory server cannot be reached, try again later";

/** The LDAP authenticator over `directory`. */
export function ldapAuthenticator(
  db: DatabaseSync,
  directory: LdapDirectory,
  config: LdapConfig,
): Authenticator {
  const users = new UserRepository(db);

  async function lookUp(username: string): Promise<LdapUser | null> {
    try {
      return await directory.findUser(username);
    } catch (error) {
      if (!(error instanceof LdapUnavailable)) throw error;
      log.error(`login: ${error.message}`);
      return null;
    }
  }

  async function checkPassword(attempt: LoginAttempt): Promise<void> {
    let ok: boolean;
    try {
      ok = await directory.verifyPassword(attempt.username, attempt.password);
    } catch (error) {
      if (!(error instanceof LdapUnavailable)) throw error;
      log.error(`login: ${error.message}`);
      throw loginFailure(LDAP_UNAVAILABLE_MESSAGE, { status: 503, cause: error });
    }
    if (!ok) throw loginFailure("Authentication failed");
  }

  return {
    name: "ldap",
    async login(attempt: LoginAttempt): Promise<LoginUser | null> {
      const stored = attempt.dbUser;
      if (stored) {
        if (stored.authSource !== AUTH_SOURCES.ldap) return null;
        await checkPassword(attempt);
        if (!config.updateUserOnLogin) return stored;
        const entry = await lookUp(stored.username);
        if (!entry || !entry.name || entry.name === stored.name) return stored;
        return users.updateUser(stored.username, { ...stored, name: entry.name });
      }
      if (!config.syncUserOnLogin) return null;
      const entry = await lookUp(attempt.username);
      if (!entry) return null;
      await checkPassword(attempt);
      return await users.addUser({
        username: attempt.username,
        name: entry.name,
        roles: ["user"],
        projects: [],
        authSource: AUTH_SOURCES.ldap,
      });
    },
  };
}
