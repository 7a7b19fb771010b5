/**
 * The authentication of one server: the session cookie, the sign-in
 * methods in cc-backend's order (LDAP, login token, cross-login cookie,
 * local password), OIDC, the login rate limit and the key that signs API
 * tokens for `/frontend/jwt/`. Built once at start by
 * {@link createAuthentication}; guards and login routes use it.
 *
 * A session names its user. For local and LDAP accounts the roles and
 * projects are read from `hpc_user` on every request, so an admin's change
 * or a deleted account takes effect at once (cc-backend keeps the roles of
 * login time for the cookie's whole life). Token and OIDC sign-ins keep the
 * roles their claims granted at login, as in cc-backend.
 *
 * @module
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { DatabaseSync } from "node:sqlite";
import {
  type Config,
  crossLoginJwtHs512Key,
  crossLoginJwtPublicKey,
  type EnvSource,
  type JwtConfig,
  jwtPrivateKey,
  ldapAdminPassword,
  parseDuration,
  sessionKey,
} from "../config/mod.ts";
import { AUTH_SOURCES, UserRepository } from "../db/mod.ts";
import { log } from "../log/logger.ts";
import type { AuthUser } from "./auth_user.ts";
import type { Authenticator, LoginUser } from "./authenticator.ts";
import {
  crossLoginCookieAuthenticator,
  loginTokenAuthenticator,
} from "./jwt_login_authenticators.ts";
import { importPrivateKey, importPublicKey } from "./jwt_keys.ts";
import { ldapAuthenticator } from "./ldap_authenticator.ts";
import { LdapDirectory } from "./ldap_directory.ts";
import { localAuthenticator } from "./local_authenticator.ts";
import { OidcLogin } from "./oidc_login.ts";
import { LoginRateLimiter } from "./rate_limit.ts";
import { isSecureRequest } from "./request_facts.ts";
import {
  DEFAULT_SESSION_SECONDS,
  InvalidSession,
  SESSION_COOKIE,
  SessionCodec,
  type SessionData,
} from "./session_cookie.ts";
import type { ApiTokenVerifier } from "./verify_api_token.ts";

/** Longest cookie lifetime browsers honour (RFC 6265bis: 400 days). */
const MAX_COOKIE_SECONDS = 400 * 24 * 3600;

/** The user of every request while `main.disable-authentication` is set. */
export const ANONYMOUS_ADMIN: AuthUser = Object.freeze({
  username: "anonymous",
  roles: ["admin"],
  projects: [],
  authSource: AUTH_SOURCES.local,
  authType: "session",
}) as AuthUser;

/** What {@link createAuthentication} builds from. */
export interface AuthenticationOptions {
  config: Config;
  db: DatabaseSync;
  /** Verifies API tokens (`JWT_PUBLIC_KEY`, `validate-user`). */
  verifier: ApiTokenVerifier;
  /** Where secrets are read (default `Deno.env`). */
  env?: EnvSource;
  /** Whether the server itself speaks TLS (cookies get `Secure`). */
  tls?: boolean;
  /** Clock in milliseconds (default `Date.now`). */
  now?: () => number;
  /** LDAP timeouts (tests shorten them). */
  ldapTimeouts?: { connectMs?: number; operationMs?: number };
}

/** The lifetime of sessions from `main.session-max-age` (gorilla's 30 days when 0 or bad). */
export function sessionSeconds(text: string): number {
  let ms = 0;
  try {
    ms = text === "" ? 0 : parseDuration(text);
  } catch {
    log.warn(
      `main.session-max-age ${JSON.stringify(text)} is not a duration: sessions last 30 days`,
    );
  }
  if (!(ms > 0)) return DEFAULT_SESSION_SECONDS;
  return Math.min(MAX_COOKIE_SECONDS, Math.max(1, Math.floor(ms / 1000)));
}

/** `auth.jwts`, or its defaults when config.json has no `auth` section. */
function jwtSettings(config: Config): JwtConfig {
  return config.auth?.jwts ?? {
    maxAge: "",
    validateUser: false,
    syncUserOnLogin: false,
    updateUserOnLogin: false,
  };
}

function ephemeralKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

/** Sessions, sign-in methods and rate limit of one server. */
export class Authentication {
  readonly config: Config;
  readonly db: DatabaseSync;
  readonly verifier: ApiTokenVerifier;
  readonly sessions: SessionCodec;
  readonly authenticators: readonly Authenticator[];
  readonly limiter: LoginRateLimiter;
  /** `main.disable-authentication`: guards let everyone in as {@link ANONYMOUS_ADMIN}. */
  readonly disabled: boolean;
  /** OIDC sign-in, when `auth.oidc` is configured. */
  readonly oidc?: OidcLogin;
  /** `JWT_PRIVATE_KEY`, signing tokens for `/frontend/jwt/`. */
  readonly signingKey?: CryptoKey;
  /** `auth.jwts`. */
  readonly jwts: JwtConfig;
  readonly #tls: boolean;
  readonly #now: () => number;
  readonly #users: UserRepository;

  /** Use {@link createAuthentication}. */
  constructor(parts: {
    options: AuthenticationOptions;
    sessions: SessionCodec;
    authenticators: Authenticator[];
    oidc?: OidcLogin;
    signingKey?: CryptoKey;
  }) {
    const { options } = parts;
    this.config = options.config;
    this.db = options.db;
    this.verifier = options.verifier;
    this.sessions = parts.sessions;
    this.authenticators = parts.authenticators;
    this.oidc = parts.oidc;
    this.signingKey = parts.signingKey;
    this.disabled = options.config.main.disableAuthentication;
    this.jwts = jwtSettings(options.config);
    this.#tls = options.tls ?? false;
    this.#now = options.now ?? Date.now;
    this.limiter = new LoginRateLimiter({ now: this.#now });
    this.#users = new UserRepository(options.db);
  }

  /** The clock, in milliseconds. */
  now(): number {
    return this.#now();
  }

  /** Whether the request reached us over HTTPS (own TLS or `X-Forwarded-Proto: https`). */
  isSecure(c: Context): boolean {
    return isSecureRequest(c, this.#tls);
  }

  /** Signs `user` in: sets the `session` cookie on the response. */
  async startSession(c: Context, user: LoginUser): Promise<void> {
    const data: SessionData = { username: user.username, authSource: user.authSource };
    if (user.authSource === AUTH_SOURCES.token || user.authSource === AUTH_SOURCES.oidc) {
      // Claims-based users keep what they were granted at login.
      data.roles = user.roles;
      data.projects = user.projects;
      if (user.name) data.name = user.name;
    }
    const value = await this.sessions.seal(data, Math.floor(this.#now() / 1000));
    setCookie(c, SESSION_COOKIE, value, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: this.isSecure(c),
      maxAge: this.sessions.maxAgeSeconds,
    });
  }

  /** Signs out: expires the `session` cookie. */
  endSession(c: Context): void {
    deleteCookie(c, SESSION_COOKIE, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: this.isSecure(c),
    });
  }

  /**
   * The user of the request's session, or null. A cookie that is malformed,
   * tampered with, expired or names a deleted account is removed.
   */
  async sessionUser(c: Context): Promise<AuthUser | null> {
    const value = getCookie(c, SESSION_COOKIE);
    if (value === undefined) return null;
    try {
      const session = await this.sessions.open(value, Math.floor(this.#now() / 1000));
      if (session.roles) {
        return {
          username: session.username,
          name: session.name,
          roles: session.roles,
          projects: session.projects ?? [],
          authSource: session.authSource,
          authType: "session",
        };
      }
      const stored = this.#users.getUser(session.username);
      if (!stored) throw new InvalidSession(`user ${JSON.stringify(session.username)} is gone`);
      if (stored.roles.length === 0) throw new InvalidSession("invalid session data");
      return { ...stored, authType: "session" };
    } catch (error) {
      if (!(error instanceof InvalidSession)) throw error;
      log.debug(`session refused: ${error.message}`);
      this.endSession(c);
      return null;
    }
  }
}

function unconfiguredSessionKey(): never {
  throw new Error(
    "SESSION_KEY is not set: it is required when authentication is enabled " +
      "(add a random base64 value to .env, e.g. the output of `openssl rand -base64 32`)",
  );
}

/**
 * Builds the authentication from config.json and the environment. Throws
 * when `SESSION_KEY` is missing while authentication is enabled, when a key
 * does not decode, and when the OIDC provider cannot be discovered.
 */
export async function createAuthentication(
  options: AuthenticationOptions,
): Promise<Authentication> {
  const { config, db } = options;
  const env = options.env ?? Deno.env;
  const disabled = config.main.disableAuthentication;
  const key = sessionKey(env) ?? (disabled ? ephemeralKey() : unconfiguredSessionKey());
  const sessions = new SessionCodec(key, {
    maxAgeSeconds: sessionSeconds(config.main.sessionMaxAge),
  });
  const jwts = jwtSettings(config);
  const authenticators: Authenticator[] = [];
  const ldap = config.auth?.ldap;
  if (ldap) {
    const adminPassword = ldapAdminPassword(env);
    if (!adminPassword) log.warn("LDAP_ADMIN_PASSWORD is not set: LDAP sync and user lookup fail");
    const directory = new LdapDirectory(ldap, {
      adminPassword,
      connectTimeoutMs: options.ldapTimeouts?.connectMs,
      timeoutMs: options.ldapTimeouts?.operationMs,
    });
    authenticators.push(ldapAuthenticator(db, directory, ldap));
  }
  const loginKey = crossLoginJwtHs512Key(env);
  if (loginKey) authenticators.push(loginTokenAuthenticator(db, { key: loginKey, jwts }));
  const issuerKey = crossLoginJwtPublicKey(env);
  if (jwts.cookieName && jwts.trustedIssuer && issuerKey) {
    authenticators.push(crossLoginCookieAuthenticator(db, {
      cookieName: jwts.cookieName,
      trustedIssuer: jwts.trustedIssuer,
      issuerKey: await importPublicKey(issuerKey),
      ownKey: options.verifier.publicKey,
      jwts,
    }));
  }
  authenticators.push(localAuthenticator(db));
  const privateKey = jwtPrivateKey(env);
  const oidc = config.auth?.oidc && !disabled
    ? await OidcLogin.discover(config.auth.oidc, { env })
    : undefined;
  return new Authentication({
    options,
    sessions,
    authenticators,
    oidc,
    signingKey: privateKey ? await importPrivateKey(privateKey) : undefined,
  });
}
