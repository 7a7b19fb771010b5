/**
 * LDAP → `hpc_user` synchronisation (`-sync-ldap` and the task manager's
 * `auth.ldap.sync-interval`): users of the directory that are missing are
 * added with role `user`; LDAP accounts that left the directory are deleted
 * when `sync-del-old-users` is set. Local accounts are never touched.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { type EnvSource, ldapAdminPassword, type LdapConfig } from "../config/mod.ts";
import { AUTH_SOURCES, UserRepository } from "../db/mod.ts";
import { log } from "../log/logger.ts";
import type { ServiceContext, ServiceFactory } from "../services/service_context.ts";
import { LdapDirectory } from "./ldap_directory.ts";

/** What a sync changed. */
export interface LdapSyncResult {
  added: string[];
  deleted: string[];
  /** Directory users whose name is taken by a local account (left alone). */
  skipped: string[];
}

/** Runs one synchronisation; throws (naming the server) when the directory cannot be read. */
export async function syncLdapUsers(
  db: DatabaseSync,
  options: { directory: LdapDirectory; config: LdapConfig },
): Promise<LdapSyncResult> {
  const users = new UserRepository(db);
  const entries = await options.directory.listUsers();
  const all = users.listUsers();
  const taken = new Set(all.map((u) => u.username));
  const fromLdap = new Set(
    all.filter((u) => u.authSource === AUTH_SOURCES.ldap).map((u) => u.username),
  );
  const inDirectory = new Set<string>();
  const result: LdapSyncResult = { added: [], deleted: [], skipped: [] };
  for (const entry of entries) {
    if (inDirectory.has(entry.username)) continue;
    inDirectory.add(entry.username);
    if (fromLdap.has(entry.username)) continue;
    if (taken.has(entry.username)) {
      result.skipped.push(entry.username);
      continue;
    }
    await users.addUser({
      username: entry.username,
      name: entry.name,
      roles: ["user"],
      projects: [],
      authSource: AUTH_SOURCES.ldap,
    });
    result.added.push(entry.username);
  }
  if (options.config.syncDelOldUsers) {
    for (const username of fromLdap) {
      if (inDirectory.has(username)) continue;
      users.deleteUser(username);
      result.deleted.push(username);
    }
  }
  return result;
}

/** One line for the log. */
export function describeLdapSync(result: LdapSyncResult): string {
  const skipped = result.skipped.length > 0
    ? `, ${result.skipped.length} skipped (a local account has the name: ${
      result.skipped.join(", ")
    })`
    : "";
  return `LDAP sync: ${result.added.length} added, ${result.deleted.length} deleted${skipped}`;
}

/**
 * A factory for the background service that offers the periodic sync to
 * the task manager (`ctx.provided.ldapSync`); list it before the task
 * manager. Nothing to stop: the task manager owns the schedule. `env`
 * supplies `LDAP_ADMIN_PASSWORD` (default `Deno.env`).
 */
export function createLdapSyncService(options: { env?: EnvSource } = {}): ServiceFactory {
  return function ldapSyncService(ctx: ServiceContext): null {
    const config = ctx.config.auth?.ldap;
    if (!config || ctx.config.main.disableAuthentication) return null;
    const adminPassword = ldapAdminPassword(options.env);
    const directory = new LdapDirectory(config, { adminPassword });
    ctx.provided.ldapSync = async () => {
      log.info(describeLdapSync(await syncLdapUsers(ctx.db, { directory, config })));
    };
    return null;
  };
}

/** The LDAP sync service reading `LDAP_ADMIN_PASSWORD` from the environment. */
export const ldapSyncService: ServiceFactory = createLdapSyncService();
