/**
 * The two token sign-ins of `/login` and `/jwt-login`:
 *
 * - login token (cc-backend's `JWTSessionAuthenticator`): a JWT in the
 *   `Authorization` header or `?login-token=`, HS256 or HS512 with
 *   `CROSS_LOGIN_JWT_HS512_KEY`; registered only when that key is set;
 * - cross-login cookie (`JWTCookieSessionAuthenticator`): a JWT in the cookie
 *   `auth.jwts.cookie-name`, EdDSA, from `trusted-issuer` (verified with
 *   `CROSS_LOGIN_JWT_PUBLIC_KEY`) or without issuer (our own
 *   `JWT_PUBLIC_KEY`). The cookie is removed afterwards, also when it was
 *   refused, so a stale cookie cannot block the other sign-ins.
 *
 * The user comes from the claims (`sub`, known `roles`, `projects`, `name`)
 * or, with `validate-user`, from the database; `sync-user-on-login` and
 * `update-user-on-login` apply.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { deleteCookie, getCookie } from "hono/cookie";
import { decodeJwt, errors as joseErrors, type JWTPayload, jwtVerify } from "jose";
import type { JwtConfig } from "../config/mod.ts";
import { AUTH_SOURCES, UserRepository } from "../db/mod.ts";
import { type Authenticator, loginFailure, type LoginUser } from "./authenticator.ts";
import { nameClaim, rolesClaim, stringListClaim, syncLoginUser } from "./login_user_sync.ts";
import { describeJoseError } from "./verify_api_token.ts";

async function verify(
  token: string,
  key: CryptoKey | Uint8Array,
  algorithms: string[],
): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, key, { algorithms })).payload;
  } catch (error) {
    if (error instanceof joseErrors.JOSEAlgNotAllowed) {
      throw loginFailure(
        `token is unverifiable: signing method not accepted (known: ${algorithms.join(", ")})`,
        { cause: error },
      );
    }
    throw loginFailure(describeJoseError(error), { cause: error });
  }
}

/** The user a verified token describes, synced as the options say. */
async function tokenUser(
  db: DatabaseSync,
  payload: JWTPayload,
  jwts: JwtConfig,
): Promise<LoginUser> {
  const sub = payload.sub;
  if (typeof sub !== "string" || sub === "") throw loginFailure("missing 'sub' claim in JWT");
  if (jwts.validateUser) {
    const stored = new UserRepository(db).getUser(sub);
    if (!stored) throw loginFailure("unknown user");
    return { ...stored, authSource: AUTH_SOURCES.token };
  }
  const roles = rolesClaim(payload.roles);
  if (roles.length === 0) throw loginFailure("the token grants no known role");
  const user: LoginUser = {
    username: sub,
    name: nameClaim(payload.name) || undefined,
    roles,
    projects: stringListClaim(payload.projects),
    authSource: AUTH_SOURCES.token,
  };
  if (jwts.syncUserOnLogin || jwts.updateUserOnLogin) {
    await syncLoginUser(db, user, { sync: jwts.syncUserOnLogin, update: jwts.updateUserOnLogin });
  }
  return user;
}

/** Sign-in with a `login-token` (HS256/HS512, `CROSS_LOGIN_JWT_HS512_KEY`). */
export function loginTokenAuthenticator(
  db: DatabaseSync,
  options: { key: Uint8Array; jwts: JwtConfig },
): Authenticator {
  return {
    name: "login-token",
    async login({ c }) {
      const header = c.req.header("Authorization") ?? "";
      const query = c.req.query("login-token") ?? "";
      if (header === "" && query === "") return null;
      const token = (header.startsWith("Bearer ") ? header.slice(7) : header) || query;
      const payload = await verify(token, options.key, ["HS256", "HS512"]);
      return await tokenUser(db, payload, options.jwts);
    },
  };
}

/** Sign-in with a JWT cookie set by a trusted other host. */
export function crossLoginCookieAuthenticator(
  db: DatabaseSync,
  options: {
    cookieName: string;
    trustedIssuer: string;
    /** `CROSS_LOGIN_JWT_PUBLIC_KEY`. */
    issuerKey: CryptoKey;
    /** `JWT_PUBLIC_KEY`, for tokens without issuer. */
    ownKey?: CryptoKey;
    jwts: JwtConfig;
  },
): Authenticator {
  return {
    name: "jwt-cookie",
    async login({ c }) {
      const token = getCookie(c, options.cookieName);
      if (!token) return null;
      try {
        let issuer: unknown;
        try {
          issuer = decodeJwt(token).iss;
        } catch (error) {
          throw loginFailure(describeJoseError(error), { cause: error });
        }
        const key = issuer === options.trustedIssuer
          ? options.issuerKey
          : issuer === undefined || issuer === ""
          ? options.ownKey
          : undefined;
        if (!key) throw loginFailure("untrusted JWT issuer");
        return await tokenUser(db, await verify(token, key, ["EdDSA"]), options.jwts);
      } finally {
        deleteCookie(c, options.cookieName, { path: "/", httpOnly: true });
      }
    },
  };
}
