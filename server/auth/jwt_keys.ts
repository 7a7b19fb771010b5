/**
 * cc-backend's Ed25519 keys (raw bytes as read from `.env` by the config
 * module) converted to WebCrypto keys for jose.
 *
 * @module
 */
import { importJWK } from "jose";

function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function asCryptoKey(key: CryptoKey | Uint8Array): CryptoKey {
  // importJWK returns bytes only for symmetric ("oct") keys.
  if (key instanceof Uint8Array) throw new Error("expected an Ed25519 key, got a symmetric key");
  return key;
}

/** Imports a 64-byte Ed25519 private key (seed‖public, `JWT_PRIVATE_KEY`) as an EdDSA signing key. */
export async function importPrivateKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== 64) {
    throw new Error(`Ed25519 private key: expected 64 bytes, found ${raw.length}`);
  }
  const jwk = {
    kty: "OKP",
    crv: "Ed25519",
    d: base64url(raw.slice(0, 32)),
    x: base64url(raw.slice(32)),
  };
  return asCryptoKey(await importJWK(jwk, "EdDSA"));
}

/** Imports a raw 32-byte Ed25519 public key (`JWT_PUBLIC_KEY`) as an EdDSA verification key. */
export async function importPublicKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== 32) {
    throw new Error(`Ed25519 public key: expected 32 bytes, found ${raw.length}`);
  }
  return asCryptoKey(await importJWK({ kty: "OKP", crv: "Ed25519", x: base64url(raw) }, "EdDSA"));
}
