/**
 * Verifies API tokens (JWT, EdDSA only) and turns them into the request user,
 * as cc-backend's `AuthViaJWT` does: `sub` is the username; with
 * `validate-user` the user must exist and its stored roles count, otherwise
 * the token's `roles` claim does.
 *
 * @module
 */
import { errors as joseErrors, type JWTPayload, jwtVerify } from "jose";
import type { DatabaseSync } from "node:sqlite";
import { AUTH_SOURCES, UserRepository } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import type { AuthUser } from "./auth_user.ts";
import { VerifiedTokenCache } from "./verified_token_cache.ts";

/** Reads the token from `X-Auth-Token`, else `Authorization` (with or without `Bearer `). */
export function tokenFromHeaders(headers: Headers): string | undefined {
  const direct = headers.get("X-Auth-Token");
  if (direct) return direct;
  const auth = headers.get("Authorization");
  if (!auth) return undefined;
  return auth.startsWith("Bearer ") ? auth.slice(7) : auth;
}

/** What verification needs. */
export interface ApiTokenVerifier {
  /** `JWT_PUBLIC_KEY`; without it every token is refused. */
  publicKey?: CryptoKey;
  /** `auth.jwts.validate-user`. */
  validateUser: boolean;
  db: DatabaseSync;
}

function unauthorized(message: string): AppError {
  return new AppError(401, message);
}

/** golang-jwt's wording for a failed verification (the 401 message). */
export function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "token has invalid claims: token is expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return `token has invalid claims: ${error.message}`;
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return "token is unverifiable: only Ed25519/EdDSA supported";
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return "token signature is invalid: signature verification failed";
  }
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
    return `token is malformed: ${error.message}`;
  }
  return `token is unverifiable: ${error instanceof Error ? error.message : String(error)}`;
}

/** Tokens already verified, per public key. */
const verifiedTokens = new WeakMap<CryptoKey, VerifiedTokenCache>();

/** The payload of `token` signed by `key`: from the cache, or verified and cached. */
async function verifiedPayload(token: string, key: CryptoKey): Promise<JWTPayload> {
  let cache = verifiedTokens.get(key);
  if (!cache) verifiedTokens.set(key, cache = new VerifiedTokenCache());
  const cached = cache.get(token, Math.floor(Date.now() / 1000));
  if (cached) return cached;
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ["EdDSA"] });
    cache.set(token, payload);
    return payload;
  } catch (error) {
    throw unauthorized(describeJoseError(error));
  }
}

/** Verifies `token` and returns its user; throws a 401 AppError with the reason. */
export async function userFromApiToken(
  token: string,
  verifier: ApiTokenVerifier,
): Promise<AuthUser> {
  if (!verifier.publicKey) throw unauthorized("token auth is not configured (no JWT_PUBLIC_KEY)");
  const payload = await verifiedPayload(token, verifier.publicKey);
  const sub = payload.sub;
  if (typeof sub !== "string" || sub === "") throw unauthorized("missing 'sub' claim in JWT");
  if (verifier.validateUser) {
    const stored = new UserRepository(verifier.db).getUser(sub);
    if (!stored) throw unauthorized("unknown user");
    return { ...stored, authSource: AUTH_SOURCES.token, authType: "token" };
  }
  const roles = Array.isArray(payload.roles)
    ? payload.roles.filter((r): r is string => typeof r === "string")
    : [];
  return { username: sub, roles, projects: [], authSource: AUTH_SOURCES.token, authType: "token" };
}
