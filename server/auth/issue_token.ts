/**
 * Issues the API tokens cc-backend's `-jwt` flag and `/frontend/jwt/` print:
 * EdDSA-signed, with `sub`, `roles`, `iat` and, when `auth.jwts.max-age` is
 * set, `exp`.
 *
 * @module
 */
import { SignJWT } from "jose";

/** Who the token is for. */
export interface TokenSubject {
  username: string;
  roles: string[];
}

/** Signs a token for `subject`; `maxAgeMs` 0 or undefined issues one without `exp`. */
export async function issueToken(
  subject: TokenSubject,
  options: { privateKey: CryptoKey; maxAgeMs?: number; now?: number },
): Promise<string> {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const jwt = new SignJWT({ roles: subject.roles })
    .setProtectedHeader({ alg: "EdDSA", typ: "JWT" })
    .setSubject(subject.username)
    .setIssuedAt(iat);
  if (options.maxAgeMs && options.maxAgeMs > 0) {
    jwt.setExpirationTime(iat + Math.floor(options.maxAgeMs / 1000));
  }
  return await jwt.sign(options.privateKey);
}
