import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { jwtVerify } from "jose";
import { importPrivateKey, importPublicKey } from "./jwt_keys.ts";
import { issueToken } from "./issue_token.ts";

function rawKeys(): { pub: Uint8Array; priv: Uint8Array } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const pub = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  const seed = Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url");
  return { pub: new Uint8Array(pub), priv: new Uint8Array(Buffer.concat([seed, pub])) };
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

Deno.test("issueToken() signs sub, roles, iat and exp verifiable with the public key", async () => {
  const keys = rawKeys();
  const token = await issueToken({ username: "demo", roles: ["admin", "api"] }, {
    privateKey: await importPrivateKey(keys.priv),
    maxAgeMs: 2000 * 3600 * 1000,
    now: Date.UTC(2026, 0, 1),
  });
  const { payload, protectedHeader } = await jwtVerify(token, await importPublicKey(keys.pub), {
    currentDate: new Date(Date.UTC(2026, 0, 2)),
  });
  assert.equal(protectedHeader.alg, "EdDSA");
  assert.equal(payload.sub, "demo");
  assert.deepEqual(payload.roles, ["admin", "api"]);
  assert.equal(payload.exp! - payload.iat!, 2000 * 3600);
});

Deno.test("issueToken() omits exp without a max age", async () => {
  const keys = rawKeys();
  const token = await issueToken({ username: "u", roles: ["api"] }, {
    privateKey: await importPrivateKey(keys.priv),
  });
  const { payload } = await jwtVerify(token, await importPublicKey(keys.pub));
  assert.equal(payload.exp, undefined);
});

Deno.test("importPrivateKey() and importPublicKey() reject keys of the wrong size", async () => {
  await assert.rejects(importPrivateKey(new Uint8Array(5)), /expected 64 bytes, found 5/);
  await assert.rejects(importPublicKey(new Uint8Array(64)), /expected 32 bytes, found 64/);
});

Deno.test("the reference's demo key pair interoperates", async () => {
  const priv =
    "dtPC/6dWJFKZK7KZ78CvWuynylOmjBFyMsUWArwmodOTN9itjL5POlqdZkcnmpJ0yPm4pRaCrvgFaFAbpyik/Q==";
  const pub = "kzfYrYy+TzpanWZHJ5qSdMj5uKUWgq74BWhQG6copP0=";
  const token = await issueToken({ username: "x", roles: ["api"] }, {
    privateKey: await importPrivateKey(fromBase64(priv)),
  });
  const { payload } = await jwtVerify(token, await importPublicKey(fromBase64(pub)));
  assert.equal(payload.sub, "x");
});
