import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import bcrypt from "bcryptjs";
import { importJWK, jwtVerify } from "jose";
import {
  countRows,
  describe,
  editConfig,
  readEnvFile,
  runCli,
  withDb,
  withInitSite,
} from "./cli_helpers.ts";

const NO_SERVER = "No errors, server flag not set. Exiting cc-backend.\n";

interface UserRow {
  username: string;
  password: string | null;
  ldap: number;
  roles: string;
  projects: string;
}

function userRow(site: string, username: string): UserRow | undefined {
  return withDb(
    site,
    "var/job.db",
    (db) =>
      db.prepare(
        "SELECT username, password, ldap, roles, projects FROM hpc_user WHERE username = ?",
      )
        .get(username) as UserRow | undefined,
  );
}

/** The token at the end of `-jwt`'s single output line. */
function tokenOf(stdout: string): string {
  const lines = stdout.split("\n").filter((l) => l !== "" && l !== NO_SERVER.trim());
  assert.equal(lines.length, 1, `expected one line, found ${JSON.stringify(stdout)}`);
  const match = /([\w-]+\.[\w-]+\.[\w-]+)$/.exec(lines[0]);
  assert.ok(match, `no token at the end of ${JSON.stringify(lines[0])}`);
  return match[1];
}

async function publicKeyOf(site: string): Promise<CryptoKey> {
  const env = await readEnvFile(site);
  const x = Buffer.from(env.JWT_PUBLIC_KEY, "base64").toString("base64url");
  return await importJWK({ kty: "OKP", crv: "Ed25519", x }, "EdDSA") as CryptoKey;
}

Deno.test("cc-backend -add-user, -del-user and -jwt manage local users and tokens", async (t) => {
  await withInitSite(async (site) => {
    await t.step("-add-user stores a bcrypt hash and the roles", async () => {
      const result = await runCli(site, ["-add-user", "alice:admin,api:s3cr:et"]);
      assert.equal(result.code, 0, describe(result));
      assert.equal(result.stdout, NO_SERVER);
      assert.equal(result.stderr, "");
      const row = userRow(site, "alice");
      assert.ok(row, "alice not in hpc_user");
      assert.match(row.password ?? "", /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
      // Split on the first two colons: the password keeps the third.
      assert.ok(await bcrypt.compare("s3cr:et", row.password!), "password does not verify");
      assert.deepEqual(JSON.parse(row.roles), ["admin", "api"]);
      assert.deepEqual(JSON.parse(row.projects), []);
      assert.equal(row.ldap, 0);
    });

    await t.step("the --add-user=value form and a user without roles work too", async () => {
      const [bob, carol] = await Promise.all([
        runCli(site, ["--add-user=bob:user:pw"]),
        runCli(site, ["--add-user", "carol::pw"]),
      ]);
      assert.equal(bob.code, 0, describe(bob));
      assert.equal(carol.code, 0, describe(carol));
      assert.deepEqual(JSON.parse(userRow(site, "bob")!.roles), ["user"]);
      assert.deepEqual(JSON.parse(userRow(site, "carol")!.roles), []);
    });

    await t.step("errors: duplicate user, bad format, unknown role", async () => {
      const [duplicate, format, role] = await Promise.all([
        runCli(site, ["-add-user", "alice:api:other"]),
        runCli(site, ["-add-user", "dave"]),
        runCli(site, ["-add-user", "erin:api,boss:pw"]),
      ]);
      assert.equal(duplicate.code, 1, describe(duplicate));
      assert.match(duplicate.stderr, /cannot add user "alice": a user with that username already/);
      assert.equal(format.code, 1, describe(format));
      assert.match(
        format.stderr,
        /-add-user: expected <username>:<roles>:<password>, found "dave"/,
      );
      assert.equal(role.code, 1, describe(role));
      assert.match(role.stderr, /-add-user: unknown role "boss": expected api, user, manager/);
      assert.ok(await bcrypt.compare("s3cr:et", userRow(site, "alice")!.password!));
      assert.equal(userRow(site, "dave"), undefined);
      assert.equal(userRow(site, "erin"), undefined);
    });

    await t.step("-jwt prints one line ending in a token signed with the site's key", async () => {
      const result = await runCli(site, ["-jwt", "alice"]);
      assert.equal(result.code, 0, describe(result));
      assert.equal(result.stderr, "");
      const token = tokenOf(result.stdout);
      const { payload, protectedHeader } = await jwtVerify(token, await publicKeyOf(site), {
        algorithms: ["EdDSA"],
      });
      assert.equal(protectedHeader.alg, "EdDSA");
      assert.equal(payload.sub, "alice");
      assert.deepEqual(payload.roles, ["admin", "api"]);
      assert.equal(typeof payload.iat, "number");
      // auth.jwts.max-age of the -init config: 2000h.
      assert.equal(payload.exp! - payload.iat!, 2000 * 3600);
    });

    await t.step("the token does not verify with another key", async () => {
      const token = tokenOf((await runCli(site, ["-jwt=alice"])).stdout);
      const other = await importJWK({
        kty: "OKP",
        crv: "Ed25519",
        x: Buffer.alloc(32, 7).toString("base64url"),
      }, "EdDSA") as CryptoKey;
      await assert.rejects(jwtVerify(token, other, { algorithms: ["EdDSA"] }));
    });

    await t.step("-jwt for a user without the api role warns", async () => {
      const result = await runCli(site, ["-jwt", "bob"]);
      assert.equal(result.code, 0, describe(result));
      assert.match(result.stderr, /REST API endpoints will return error!/);
      const { payload } = await jwtVerify(tokenOf(result.stdout), await publicKeyOf(site));
      assert.deepEqual(payload.roles, ["user"]);
    });

    await t.step("-jwt for an unknown user fails and prints no token", async () => {
      const result = await runCli(site, ["-jwt", "nobody"]);
      assert.equal(result.code, 1, describe(result));
      assert.match(result.stderr, /-jwt: could not find user 'nobody'/);
      assert.doesNotMatch(result.stdout, /ey[\w-]+\./);
    });

    await t.step("-del-user removes the user; an unknown user is an error", async () => {
      const removed = await runCli(site, ["-del-user", "bob"]);
      assert.equal(removed.code, 0, describe(removed));
      assert.equal(userRow(site, "bob"), undefined);
      const unknown = await runCli(site, ["--del-user", "bob"]);
      assert.equal(unknown.code, 1, describe(unknown));
      assert.match(unknown.stderr, /cannot delete user "bob": no such user/);
      withDb(site, "var/job.db", (db) => assert.equal(countRows(db, "hpc_user"), 2));
    });

    await t.step("-add-user, -del-user and -jwt run in the startup order in one call", async () => {
      const result = await runCli(site, [
        "-jwt",
        "frank",
        "-del-user",
        "carol",
        "-add-user",
        "frank:api:pw",
      ]);
      assert.equal(result.code, 0, describe(result));
      assert.equal(userRow(site, "carol"), undefined);
      const { payload } = await jwtVerify(tokenOf(result.stdout), await publicKeyOf(site));
      assert.equal(payload.sub, "frank");
    });

    await t.step("-jwt without auth.jwts.max-age issues a token without exp", async () => {
      await editConfig(site, (config) => delete config.auth);
      const result = await runCli(site, ["-jwt", "alice"]);
      assert.equal(result.code, 0, describe(result));
      const { payload } = await jwtVerify(tokenOf(result.stdout), await publicKeyOf(site));
      assert.equal(payload.exp, undefined);
    });

    await t.step("-jwt without JWT_PRIVATE_KEY says so", async () => {
      const env = await Deno.readTextFile(`${site}/.env`);
      await Deno.writeTextFile(`${site}/.env`, env.replace(/^JWT_PRIVATE_KEY=.*$/m, ""));
      const result = await runCli(site, ["-jwt", "alice"]);
      assert.equal(result.code, 1, describe(result));
      assert.match(result.stderr, /JWT_PRIVATE_KEY is not set/);
      await Deno.writeTextFile(`${site}/.env`, env);
    });

    await t.step(
      "with main.disable-authentication, -add-user and -del-user are refused",
      async () => {
        await editConfig(site, (config) => config.main["disable-authentication"] = true);
        const [add, del] = await Promise.all([
          runCli(site, ["-add-user", "gina:api:pw"]),
          runCli(site, ["-del-user", "alice"]),
        ]);
        assert.equal(add.code, 1, describe(add));
        assert.match(add.stderr, /-add-user: authentication is disabled/);
        assert.equal(del.code, 1, describe(del));
        assert.match(del.stderr, /-del-user: authentication is disabled/);
        assert.equal(userRow(site, "gina"), undefined);
        assert.ok(userRow(site, "alice"));
      },
    );
  });
});

Deno.test("cc-backend warns about cc-backend's published demo JWT keys", async () => {
  await withInitSite(async (site) => {
    const env = await Deno.readTextFile(`${site}/.env`);
    await Deno.writeTextFile(
      `${site}/.env`,
      env.replace(
        /^JWT_PUBLIC_KEY=.*$/m,
        'JWT_PUBLIC_KEY="kzfYrYy+TzpanWZHJ5qSdMj5uKUWgq74BWhQG6copP0="',
      ),
    );
    const result = await runCli(site, []);
    assert.equal(result.code, 0, describe(result));
    assert.match(result.stderr, /Using default JWT keys - not recommended for production/);
  });
});
