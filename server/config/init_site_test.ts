import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { join } from "node:path";
import { parseDotEnv } from "./env.ts";
import { jwtPrivateKey, jwtPublicKey, sessionKey } from "./env_keys.ts";
import { generateKeyPair, initSite } from "./init_site.ts";
import { loadConfig } from "./load_config.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cc-init-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/** Signs and verifies with node:crypto using the raw keys exactly as written to .env. */
function assertWorkingKeyPair(publicB64: string, privateB64: string): void {
  const pub = Buffer.from(publicB64, "base64");
  const priv = Buffer.from(privateB64, "base64");
  assert.equal(pub.length, 32);
  assert.equal(priv.length, 64);
  assert.deepEqual(priv.subarray(32), pub, "private key is seed followed by public key");
  const x = pub.toString("base64url");
  const privateKey = createPrivateKey({
    key: { kty: "OKP", crv: "Ed25519", x, d: priv.subarray(0, 32).toString("base64url") },
    format: "jwk",
  });
  const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
  const message = Buffer.from("header.payload");
  const signature = sign(null, message, privateKey);
  assert.equal(verify(null, message, publicKey, signature), true);
  assert.equal(verify(null, Buffer.from("tampered"), publicKey, signature), false);
}

Deno.test("generateKeyPair() returns a working Ed25519 pair in cc-backend's format", () => {
  const keys = generateKeyPair();
  assertWorkingKeyPair(keys.publicKey, keys.privateKey);
  assert.notEqual(generateKeyPair().publicKey, keys.publicKey);
});

Deno.test("initSite() writes a loadable config.json, a .env and var/", async () => {
  await withDir(async (dir) => {
    const result = await initSite(dir);
    assert.deepEqual(result, {
      configPath: join(dir, "config.json"),
      envPath: join(dir, ".env"),
      varDir: join(dir, "var"),
      dbPath: join(dir, "var", "job.db"),
      archivePath: join(dir, "var", "job-archive"),
    });
    assert.equal((await Deno.stat(result.varDir)).isDirectory, true);
    assert.equal(await exists(result.dbPath), false, "the database is the caller's job");
    assert.equal(await exists(result.archivePath), false, "the archive is the caller's job");

    const config = await loadConfig(result.configPath, { cwd: dir });
    assert.equal(config.main.addr, "127.0.0.1:8080");
    assert.equal(config.main.emissionConstant, 317);
    assert.deepEqual(config.main.resampling, {
      minimumPoints: 600,
      trigger: 300,
      resolutions: [240, 60],
    });
    assert.deepEqual(config.cron, {
      commitJobWorker: "1m",
      durationWorker: "5m",
      footprintWorker: "10m",
    });
    assert.equal(config.auth?.jwts.maxAge, "2000h");
    assert.equal(config.archive.path, "./var/job-archive");
    assert.equal(config.metricStore?.retentionInMemory, "48h");
    assert.equal(config.metricStore?.memoryCap, 100);

    const vars = parseDotEnv(await Deno.readTextFile(result.envPath));
    assert.deepEqual(Object.keys(vars).sort(), [
      "JWT_PRIVATE_KEY",
      "JWT_PUBLIC_KEY",
      "SESSION_KEY",
    ]);
    const env = new Map(Object.entries(vars));
    assert.equal(jwtPublicKey(env)?.length, 32);
    assert.equal(jwtPrivateKey(env)?.length, 64);
    assert.equal(sessionKey(env)?.length, 32);
    assertWorkingKeyPair(vars.JWT_PUBLIC_KEY, vars.JWT_PRIVATE_KEY);
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(result.envPath)).mode! & 0o077, 0, ".env is private");
    }
  });
});

Deno.test("initSite() generates different secrets on every run", async () => {
  await withDir(async (dir) => {
    const [a, b] = [join(dir, "a"), join(dir, "b")];
    await Deno.mkdir(a);
    await Deno.mkdir(b);
    await initSite(a);
    await initSite(b);
    const envA = parseDotEnv(await Deno.readTextFile(join(a, ".env")));
    const envB = parseDotEnv(await Deno.readTextFile(join(b, ".env")));
    assert.notEqual(envA.JWT_PUBLIC_KEY, envB.JWT_PUBLIC_KEY);
    assert.notEqual(envA.JWT_PRIVATE_KEY, envB.JWT_PRIVATE_KEY);
    assert.notEqual(envA.SESSION_KEY, envB.SESSION_KEY);
  });
});

Deno.test("initSite() refuses when var/ already exists", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(join(dir, "var"));
    await assert.rejects(() => initSite(dir), {
      message: "Directory ./var already exists. Cautiously exiting...",
    });
    assert.equal(await exists(join(dir, "config.json")), false);
    assert.equal(await exists(join(dir, ".env")), false);
  });
});
