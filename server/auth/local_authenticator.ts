/**
 * Sign-in with a local account's bcrypt password (cc-backend's
 * `LocalAuthenticator`): applies to accounts whose source is local.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { AUTH_SOURCES, UserRepository } from "../db/mod.ts";
import { type Authenticator, loginFailure } from "./authenticator.ts";

/** The local-password authenticator. */
export function localAuthenticator(db: DatabaseSync): Authenticator {
  const users = new UserRepository(db);
  return {
    name: "local",
    async login({ username, password, dbUser }) {
      if (!dbUser || dbUser.authSource !== AUTH_SOURCES.local) return null;
      if (password === "" || !(await users.checkPassword(username, password))) {
        throw loginFailure("Authentication failed");
      }
      return dbUser;
    },
  };
}
