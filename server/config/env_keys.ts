/**
 * Typed access to the secrets cc-backend reads from the environment (usually
 * set from `.env`). Empty variables count as unset, as in cc-backend. Error
 * messages name the variable but never echo secret values.
 *
 * @module
 */

import { ConfigError } from "./config_error.ts";

/** Where variables are read from; `Deno.env` by default, a `Map` in tests. */
export interface EnvSource {
  get(name: string): string | undefined;
}

/** Public key of the demo key pair shipped with cc-backend; using it in production draws a warning. */
export const DEMO_JWT_PUBLIC_KEY = "kzfYrYy+TzpanWZHJ5qSdMj5uKUWgq74BWhQG6copP0=";

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes standard, padded base64 (Go's `base64.StdEncoding`; line breaks are
 * ignored). `name` is used in the error message.
 *
 * @throws {ConfigError} when `text` is not valid standard base64.
 */
export function decodeBase64Std(text: string, name: string): Uint8Array {
  const clean = text.replace(/[\r\n]/g, "");
  if (!STD_BASE64.test(clean)) {
    throw new ConfigError([
      `${name}: expected standard base64 (A-Z, a-z, 0-9, +, / with = padding), found invalid characters or length`,
    ]);
  }
  return Uint8Array.from(atob(clean), (c) => c.charCodeAt(0));
}

function read(env: EnvSource, name: string): string | undefined {
  const value = env.get(name);
  return value === undefined || value === "" ? undefined : value;
}

function readKey(env: EnvSource, name: string, size: number, what: string): Uint8Array | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  const bytes = decodeBase64Std(value, name);
  if (bytes.length !== size) {
    throw new ConfigError([
      `${name}: expected base64 of ${size} bytes (${what}), found ${bytes.length} bytes`,
    ]);
  }
  return bytes;
}

/** `JWT_PUBLIC_KEY`: raw 32-byte Ed25519 public key verifying API tokens, or undefined. */
export function jwtPublicKey(env: EnvSource = Deno.env): Uint8Array | undefined {
  return readKey(env, "JWT_PUBLIC_KEY", 32, "a raw Ed25519 public key");
}

/** `JWT_PRIVATE_KEY`: 64-byte Ed25519 private key (seed ‖ public key) signing tokens, or undefined. */
export function jwtPrivateKey(env: EnvSource = Deno.env): Uint8Array | undefined {
  return readKey(env, "JWT_PRIVATE_KEY", 64, "an Ed25519 seed followed by its public key");
}

/** `CROSS_LOGIN_JWT_PUBLIC_KEY`: 32-byte Ed25519 key of a trusted external issuer, or undefined. */
export function crossLoginJwtPublicKey(env: EnvSource = Deno.env): Uint8Array | undefined {
  return readKey(env, "CROSS_LOGIN_JWT_PUBLIC_KEY", 32, "a raw Ed25519 public key");
}

/** `CROSS_LOGIN_JWT_HS512_KEY`: HMAC key for `login-token` JWTs (any length), or undefined. */
export function crossLoginJwtHs512Key(env: EnvSource = Deno.env): Uint8Array | undefined {
  const value = read(env, "CROSS_LOGIN_JWT_HS512_KEY");
  return value === undefined ? undefined : decodeBase64Std(value, "CROSS_LOGIN_JWT_HS512_KEY");
}

/** `SESSION_KEY`: the HMAC key of session cookies (base64-decoded), or undefined. */
export function sessionKey(env: EnvSource = Deno.env): Uint8Array | undefined {
  const value = read(env, "SESSION_KEY");
  return value === undefined ? undefined : decodeBase64Std(value, "SESSION_KEY");
}

/** `LDAP_ADMIN_PASSWORD`: password of `auth.ldap.search-dn`, or undefined. */
export function ldapAdminPassword(env: EnvSource = Deno.env): string | undefined {
  return read(env, "LDAP_ADMIN_PASSWORD");
}

/** OIDC client credentials from `OID_CLIENT_ID` / `OID_CLIENT_SECRET`. */
export interface OidcClientCredentials {
  clientId?: string;
  clientSecret?: string;
}

/** `OID_CLIENT_ID` and `OID_CLIENT_SECRET` (each undefined when unset). */
export function oidcClientCredentials(env: EnvSource = Deno.env): OidcClientCredentials {
  return { clientId: read(env, "OID_CLIENT_ID"), clientSecret: read(env, "OID_CLIENT_SECRET") };
}

/** Whether `JWT_PUBLIC_KEY` is the well-known demo key (warn: not for production). */
export function usesDemoJwtKey(env: EnvSource = Deno.env): boolean {
  return read(env, "JWT_PUBLIC_KEY") === DEMO_JWT_PUBLIC_KEY;
}
