import assert from "node:assert/strict";
import {
  crossLoginJwtHs512Key,
  crossLoginJwtPublicKey,
  decodeBase64Std,
  DEMO_JWT_PUBLIC_KEY,
  jwtPrivateKey,
  jwtPublicKey,
  ldapAdminPassword,
  oidcClientCredentials,
  sessionKey,
  usesDemoJwtKey,
} from "./env_keys.ts";

const b64 = (size: number) => btoa(String.fromCharCode(...new Uint8Array(size).fill(7)));
const env = (vars: Record<string, string>) => new Map(Object.entries(vars));

Deno.test("jwtPublicKey() and jwtPrivateKey() decode 32 and 64 bytes", () => {
  const vars = env({ JWT_PUBLIC_KEY: b64(32), JWT_PRIVATE_KEY: b64(64) });
  assert.deepEqual(jwtPublicKey(vars), new Uint8Array(32).fill(7));
  assert.deepEqual(jwtPrivateKey(vars), new Uint8Array(64).fill(7));
});

Deno.test("key helpers treat unset and empty variables as absent", () => {
  const vars = env({ JWT_PUBLIC_KEY: "", SESSION_KEY: "" });
  assert.equal(jwtPublicKey(vars), undefined);
  assert.equal(jwtPrivateKey(vars), undefined);
  assert.equal(sessionKey(vars), undefined);
  assert.equal(crossLoginJwtPublicKey(vars), undefined);
  assert.equal(crossLoginJwtHs512Key(vars), undefined);
  assert.equal(ldapAdminPassword(vars), undefined);
  assert.deepEqual(oidcClientCredentials(vars), { clientId: undefined, clientSecret: undefined });
});

Deno.test("key helpers reject wrong lengths and bad base64 without echoing secrets", async (t) => {
  await t.step("public key of 31 bytes", () => {
    assert.throws(() => jwtPublicKey(env({ JWT_PUBLIC_KEY: b64(31) })), {
      name: "ConfigError",
      message:
        "JWT_PUBLIC_KEY: expected base64 of 32 bytes (a raw Ed25519 public key), found 31 bytes",
    });
  });
  await t.step("private key of 32 bytes", () => {
    assert.throws(() => jwtPrivateKey(env({ JWT_PRIVATE_KEY: b64(32) })), {
      message: "JWT_PRIVATE_KEY: expected base64 of 64 bytes (an Ed25519 seed followed by its " +
        "public key), found 32 bytes",
    });
  });
  await t.step("cross-login key of 64 bytes", () => {
    assert.throws(() => crossLoginJwtPublicKey(env({ CROSS_LOGIN_JWT_PUBLIC_KEY: b64(64) })), {
      message: "CROSS_LOGIN_JWT_PUBLIC_KEY: expected base64 of 32 bytes (a raw Ed25519 public " +
        "key), found 64 bytes",
    });
  });
  await t.step("invalid characters", () => {
    assert.throws(() => sessionKey(env({ SESSION_KEY: "secret-value!" })), (error: Error) => {
      assert.equal(
        error.message,
        "SESSION_KEY: expected standard base64 (A-Z, a-z, 0-9, +, / with = padding), found " +
          "invalid characters or length",
      );
      assert.ok(!error.message.includes("secret-value"));
      return true;
    });
  });
  await t.step("url-safe alphabet and missing padding are not standard base64", () => {
    assert.throws(() => decodeBase64Std("ab-_", "X"), { message: /^X: expected standard base64/ });
    assert.throws(() => decodeBase64Std("dGVzdA", "X"), {
      message: /^X: expected standard base64/,
    });
  });
});

Deno.test("sessionKey() decodes the template's 32-character value as base64", () => {
  const key = sessionKey(env({ SESSION_KEY: "67d829bf61dc5f87a73fd814e2c9f629" }));
  assert.equal(key?.length, 24);
});

Deno.test("decodeBase64Std() ignores line breaks", () => {
  assert.deepEqual(decodeBase64Std("dGVz\ndA==", "X"), new TextEncoder().encode("test"));
});

Deno.test("string helpers return the configured secrets", () => {
  const vars = env({
    CROSS_LOGIN_JWT_HS512_KEY: btoa("hmac"),
    LDAP_ADMIN_PASSWORD: "mashup",
    OID_CLIENT_ID: "cc",
    OID_CLIENT_SECRET: "s3cret",
  });
  assert.deepEqual(crossLoginJwtHs512Key(vars), new TextEncoder().encode("hmac"));
  assert.equal(ldapAdminPassword(vars), "mashup");
  assert.deepEqual(oidcClientCredentials(vars), { clientId: "cc", clientSecret: "s3cret" });
});

Deno.test("usesDemoJwtKey() recognises the shipped demo key", () => {
  assert.equal(usesDemoJwtKey(env({ JWT_PUBLIC_KEY: DEMO_JWT_PUBLIC_KEY })), true);
  assert.equal(jwtPublicKey(env({ JWT_PUBLIC_KEY: DEMO_JWT_PUBLIC_KEY }))?.length, 32);
  assert.equal(usesDemoJwtKey(env({ JWT_PUBLIC_KEY: b64(32) })), false);
});
