/**
 * The `session` cookie: who is signed in, for how long, signed with
 * `SESSION_KEY`. cc-backend uses gorilla/securecookie (gob values, HMAC);
 * this is a simpler format of our own, so sessions of the original do not
 * carry over (users sign in again):
 *
 * `base64url(JSON payload) "." base64url(HMAC-SHA256(key, "cc-session.v1." + payload))`
 *
 * The payload names the user and the expiry; verification is constant-time
 * (WebCrypto's HMAC verify), happens before the payload is parsed, and
 * values longer than {@link MAX_SESSION_COOKIE_LENGTH} are refused unread.
 *
 * @module
 */
import type { AuthSource } from "../db/mod.ts";

/** Longest cookie value accepted (browsers keep at most about 4 KiB per cookie). */
export const MAX_SESSION_COOKIE_LENGTH = 4096;

/** Name of the cookie, as in cc-backend. */
export const SESSION_COOKIE = "session";

/** Default lifetime when `main.session-max-age` is empty, zero or unparsable (gorilla's 30 days). */
export const DEFAULT_SESSION_SECONDS = 30 * 24 * 3600;

/** What a session says about its user. */
export interface SessionData {
  username: string;
  authSource: AuthSource;
  /**
   * Roles and projects at login. Only stored for users that have no row in
   * `hpc_user` (token and OIDC logins without sync); for the others the
   * database is asked on every request.
   */
  roles?: string[];
  projects?: string[];
  name?: string;
}

/** A verified session: its data, issue and expiry time (unix seconds). */
export interface OpenedSession extends SessionData {
  issuedAt: number;
  expiresAt: number;
}

/** Why a session cookie was refused. */
export class InvalidSession extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidSession";
  }
}

const DOMAIN = new TextEncoder().encode("cc-session.v1.");
const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new InvalidSession("session cookie is malformed");
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  try {
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  } catch {
    throw new InvalidSession("session cookie is malformed");
  }
}

function signedBytes(payload: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(DOMAIN.length + payload.length);
  bytes.set(DOMAIN);
  bytes.set(encoder.encode(payload), DOMAIN.length);
  return bytes;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function toOpened(value: unknown): OpenedSession {
  const bad = () => new InvalidSession("invalid session data");
  if (typeof value !== "object" || value === null) throw bad();
  const p = value as Record<string, unknown>;
  if (typeof p.sub !== "string" || p.sub === "") throw bad();
  if (typeof p.src !== "number" || !Number.isInteger(p.src) || p.src < 0 || p.src > 4) throw bad();
  if (typeof p.iat !== "number" || typeof p.exp !== "number") throw bad();
  const session: OpenedSession = {
    username: p.sub,
    authSource: p.src as AuthSource,
    issuedAt: p.iat,
    expiresAt: p.exp,
  };
  if (p.roles !== undefined) {
    if (!isStringList(p.roles) || p.roles.length === 0) throw bad();
    session.roles = p.roles;
  }
  if (p.projects !== undefined) {
    if (!isStringList(p.projects)) throw bad();
    session.projects = p.projects;
  }
  if (typeof p.name === "string") session.name = p.name;
  return session;
}

/** Seals and opens session cookie values with one key. */
export class SessionCodec {
  readonly #key: Promise<CryptoKey>;
  /** Lifetime of new sessions, in seconds. */
  readonly maxAgeSeconds: number;

  /** A codec for `key` (`SESSION_KEY`, at least one byte) issuing sessions of `maxAgeSeconds`. */
  constructor(key: Uint8Array, options: { maxAgeSeconds: number }) {
    if (key.length === 0) throw new Error("session key must not be empty");
    if (!(options.maxAgeSeconds > 0)) {
      throw new Error(`session lifetime must be positive, found ${options.maxAgeSeconds} s`);
    }
    this.maxAgeSeconds = options.maxAgeSeconds;
    this.#key = crypto.subtle.importKey(
      "raw",
      new Uint8Array(key),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
  }

  /** The cookie value for `data`, valid from `now` (unix seconds) for the codec's lifetime. */
  async seal(data: SessionData, now: number): Promise<string> {
    const payload = base64url(encoder.encode(JSON.stringify({
      sub: data.username,
      src: data.authSource,
      roles: data.roles,
      projects: data.projects,
      name: data.name,
      iat: now,
      exp: now + this.maxAgeSeconds,
    })));
    const mac = await crypto.subtle.sign("HMAC", await this.#key, signedBytes(payload));
    const value = `${payload}.${base64url(new Uint8Array(mac))}`;
    if (value.length > MAX_SESSION_COOKIE_LENGTH) {
      throw new Error(
        `cannot create a session for ${JSON.stringify(data.username)}: ` +
          `the cookie would be ${value.length} bytes (limit ${MAX_SESSION_COOKIE_LENGTH})`,
      );
    }
    return value;
  }

  /**
   * The session in `value` if its signature is ours and it has not expired
   * at `now` (unix seconds); throws {@link InvalidSession} otherwise.
   */
  async open(value: string, now: number): Promise<OpenedSession> {
    if (value.length > MAX_SESSION_COOKIE_LENGTH) {
      throw new InvalidSession(`session cookie longer than ${MAX_SESSION_COOKIE_LENGTH} bytes`);
    }
    const dot = value.indexOf(".");
    if (dot <= 0 || dot !== value.lastIndexOf(".")) {
      throw new InvalidSession("session cookie is malformed");
    }
    const payload = value.slice(0, dot);
    const mac = fromBase64url(value.slice(dot + 1));
    if (mac.length !== 32) throw new InvalidSession("session cookie is malformed");
    const valid = await crypto.subtle.verify("HMAC", await this.#key, mac, signedBytes(payload));
    if (!valid) throw new InvalidSession("session signature is invalid");
    let decoded: unknown;
    try {
      decoded = JSON.parse(
        new TextDecoder("utf-8", { fatal: true }).decode(fromBase64url(payload)),
      );
    } catch {
      throw new InvalidSession("invalid session data");
    }
    const session = toOpened(decoded);
    if (now >= session.expiresAt) throw new InvalidSession("session has expired");
    return session;
  }
}
