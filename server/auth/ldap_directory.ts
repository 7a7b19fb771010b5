/**
 * The LDAP server of `auth.ldap`, through ldapts: binds as the read-only
 * search account (`search-dn` with `LDAP_ADMIN_PASSWORD`) for lookups and
 * as the user (`user-bind` with `{username}` replaced) to check a password.
 * One connection per operation, as cc-backend does; 10 s to connect, 30 s
 * per operation.
 *
 * @module
 */
import { BusyError, Client, ResultCodeError, UnavailableError } from "ldapts";
import type { LdapConfig } from "../config/mod.ts";
import { escapeDnValue, escapeFilterValue } from "./ldap_escape.ts";

/** The directory could not be asked (connection, admin bind, search failed). */
export class LdapUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LdapUnavailable";
  }
}

/** A user entry: login name and full name. */
export interface LdapUser {
  username: string;
  name: string;
}

/** Options of {@link LdapDirectory}. */
export interface LdapDirectoryOptions {
  /** `LDAP_ADMIN_PASSWORD`. */
  adminPassword?: string;
  connectTimeoutMs?: number;
  timeoutMs?: number;
}

function firstValue(value: unknown): string {
  const one = Array.isArray(value) ? value[0] : value;
  if (typeof one === "string") return one;
  if (one instanceof Uint8Array) return new TextDecoder().decode(one);
  return "";
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/** Lookups and password checks against one LDAP server. */
export class LdapDirectory {
  readonly #config: LdapConfig;
  readonly #options: LdapDirectoryOptions;

  /** The directory of `config`. */
  constructor(config: LdapConfig, options: LdapDirectoryOptions = {}) {
    this.#config = config;
    this.#options = options;
  }

  /** `auth.ldap.url`. */
  get url(): string {
    return this.#config.url;
  }

  #client(): Client {
    return new Client({
      url: this.#config.url,
      connectTimeout: this.#options.connectTimeoutMs ?? 10_000,
      timeout: this.#options.timeoutMs ?? 30_000,
    });
  }

  /** Runs `fn` on a connection bound as the search account. */
  async #asSearchAccount<T>(what: string, fn: (client: Client) => Promise<T>): Promise<T> {
    const { searchDn, url } = this.#config;
    const password = this.#options.adminPassword;
    if (!password) {
      throw new LdapUnavailable(
        `cannot ${what}: LDAP_ADMIN_PASSWORD is not set (needed to bind as ${searchDn})`,
      );
    }
    const client = this.#client();
    try {
      try {
        await client.bind(searchDn, password);
      } catch (error) {
        throw new LdapUnavailable(
          `cannot ${what}: binding to ${url} as ${searchDn} failed: ${describe(error)}`,
          { cause: error },
        );
      }
      try {
        return await fn(client);
      } catch (error) {
        throw new LdapUnavailable(`cannot ${what} on ${url}: ${describe(error)}`, { cause: error });
      }
    } finally {
      await client.unbind().catch(() => {});
    }
  }

  #entryUser(entry: Record<string, unknown>): LdapUser {
    return {
      username: firstValue(entry[this.#config.uidAttr]),
      name: firstValue(entry[this.#config.usernameAttr]),
    };
  }

  /** The entry of `username` under `user-base` matching `user-filter`; null unless exactly one. */
  findUser(username: string): Promise<LdapUser | null> {
    const { userBase, userFilter, uidAttr, usernameAttr } = this.#config;
    const filter = `(&${userFilter}(${uidAttr}=${escapeFilterValue(username)}))`;
    return this.#asSearchAccount(`look up LDAP user ${JSON.stringify(username)}`, async (c) => {
      const { searchEntries } = await c.search(userBase, {
        scope: "sub",
        filter,
        attributes: ["dn", uidAttr, usernameAttr],
        sizeLimit: 2,
      });
      if (searchEntries.length !== 1) return null;
      return { ...this.#entryUser(searchEntries[0]), username };
    });
  }

  /** Every user matching `user-filter`; throws if an entry lacks the uid attribute. */
  listUsers(): Promise<LdapUser[]> {
    const { userBase, userFilter, uidAttr, usernameAttr } = this.#config;
    return this.#asSearchAccount("list LDAP users", async (c) => {
      const { searchEntries } = await c.search(userBase, {
        scope: "sub",
        filter: userFilter,
        attributes: ["dn", uidAttr, usernameAttr],
        paged: true,
      });
      return searchEntries.map((entry) => {
        const user = this.#entryUser(entry);
        if (user.username === "") {
          throw new Error(`entry ${entry.dn} has no attribute ${JSON.stringify(uidAttr)}`);
        }
        return user;
      });
    });
  }

  /**
   * Whether `password` is that of `username` (a bind as `user-bind`). False
   * for wrong credentials and for an empty password (an LDAP bind without
   * password would succeed as anonymous); throws {@link LdapUnavailable}
   * when the server cannot be asked.
   */
  async verifyPassword(username: string, password: string): Promise<boolean> {
    if (password === "") return false;
    const dn = this.#config.userBind.replaceAll("{username}", escapeDnValue(username));
    const client = this.#client();
    try {
      await client.bind(dn, password);
      return true;
    } catch (error) {
      // The server answered (wrong password, unknown DN, bad DN syntax): a refusal.
      const down = error instanceof BusyError || error instanceof UnavailableError;
      if (error instanceof ResultCodeError && !down) return false;
      throw new LdapUnavailable(
        `cannot check the password of ${JSON.stringify(username)} on ${this.#config.url}: ` +
          describe(error),
        { cause: error },
      );
    } finally {
      await client.unbind().catch(() => {});
    }
  }
}
