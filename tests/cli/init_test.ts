import assert from "node:assert/strict";
import { join } from "node:path";
import {
  countRows,
  describe,
  readEnvFile,
  runCli,
  schemaVersion,
  withDb,
  withSite,
} from "./cli_helpers.ts";

const SUCCESS = "Successfully setup environment!\n" +
  "Please review config.json and .env and adjust it to your needs.\n" +
  "Add your job-archive at ./var/job-archive.\n";

/** Every file below `dir` with its size, as a map from relative path to size. */
async function snapshot(dir: string, prefix = ""): Promise<Map<string, number>> {
  const files = new Map<string, number>();
  for await (const entry of Deno.readDir(join(dir, prefix))) {
    const path = join(prefix, entry.name);
    if (entry.isDirectory) {
      for (const [p, size] of await snapshot(dir, path)) files.set(p, size);
    } else {
      files.set(path, (await Deno.stat(join(dir, path))).size);
    }
  }
  return files;
}

Deno.test("cc-backend -init sets up a new site and refuses to do it twice", async (t) => {
  await withSite(async (a) => {
    await withSite(async (b) => {
      const [first, other] = await Promise.all([runCli(a, ["-init"]), runCli(b, ["--init"])]);

      await t.step("it succeeds with cc-backend's message", () => {
        for (const result of [first, other]) {
          assert.equal(result.code, 0, describe(result));
          assert.equal(result.stdout, SUCCESS);
          assert.equal(result.stderr, "");
        }
      });

      await t.step(
        "config.json is the template with the archive, jwts and main sections",
        async () => {
          const config = JSON.parse(await Deno.readTextFile(join(a, "config.json")));
          assert.equal(config.main.addr, "127.0.0.1:8080");
          assert.equal(config.main["short-running-jobs-duration"], 300);
          assert.deepEqual(config.main["api-allowed-ips"], ["*"]);
          assert.deepEqual(config.archive, { kind: "file", path: "./var/job-archive" });
          assert.deepEqual(config.auth, { jwts: { "max-age": "2000h" } });
          assert.deepEqual(config.cron, {
            "commit-job-worker": "1m",
            "duration-worker": "5m",
            "footprint-worker": "10m",
          });
        },
      );

      await t.step(
        ".env holds an Ed25519 key pair and a session key, private to the owner",
        async () => {
          const env = await readEnvFile(a);
          assert.equal(atob(env.JWT_PUBLIC_KEY).length, 32);
          assert.equal(atob(env.JWT_PRIVATE_KEY).length, 64);
          // The private key is seed ‖ public key.
          assert.equal(atob(env.JWT_PRIVATE_KEY).slice(32), atob(env.JWT_PUBLIC_KEY));
          assert.ok(env.SESSION_KEY.length >= 32, env.SESSION_KEY);
          assert.equal((await Deno.stat(join(a, ".env"))).mode! & 0o077, 0);
        },
      );

      await t.step("two sites get different keys", async () => {
        const [envA, envB] = await Promise.all([readEnvFile(a), readEnvFile(b)]);
        assert.notEqual(envA.JWT_PUBLIC_KEY, envB.JWT_PUBLIC_KEY);
        assert.notEqual(envA.JWT_PRIVATE_KEY, envB.JWT_PRIVATE_KEY);
        assert.notEqual(envA.SESSION_KEY, envB.SESSION_KEY);
      });

      await t.step("var/job.db is an empty database at schema version 11", () => {
        withDb(a, "var/job.db", (db) => {
          assert.deepEqual(schemaVersion(db), { version: 11, dirty: 0 });
          const tables = db.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
          ).all().map((r) => r.name);
          for (const table of ["job", "tag", "jobtag", "hpc_user", "configuration", "node"]) {
            assert.ok(tables.includes(table), `table ${table} missing in ${tables}`);
          }
          assert.equal(countRows(db, "job"), 0);
          assert.equal(countRows(db, "hpc_user"), 0);
        });
      });

      await t.step("var/job-archive is a version-3 archive without clusters", async () => {
        assert.equal((await Deno.readTextFile(join(a, "var/job-archive/version.txt"))).trim(), "3");
        const entries = await Array.fromAsync(Deno.readDir(join(a, "var/job-archive")));
        assert.deepEqual(entries.map((e) => e.name), ["version.txt"]);
      });

      await t.step("the new site runs: without -server it exits 0", async () => {
        const result = await runCli(a, []);
        assert.equal(result.code, 0, describe(result));
        assert.equal(result.stdout, "No errors, server flag not set. Exiting cc-backend.\n");
        assert.equal(result.stderr, "");
      });

      await t.step("a second -init refuses, exits non-zero and changes nothing", async () => {
        const before = await snapshot(a);
        const config = await Deno.readTextFile(join(a, "config.json"));
        const env = await Deno.readTextFile(join(a, ".env"));
        const again = await runCli(a, ["-init"]);
        assert.notEqual(again.code, 0, describe(again));
        assert.match(again.stderr, /Directory \.\/var already exists\. Cautiously exiting/);
        assert.doesNotMatch(again.stdout, /Successfully/);
        assert.deepEqual(await snapshot(a), before);
        assert.equal(await Deno.readTextFile(join(a, "config.json")), config);
        assert.equal(await Deno.readTextFile(join(a, ".env")), env);
      });

      await t.step("-init refuses as well when var/ exists without anything else", async () => {
        await withSite(async (c) => {
          await Deno.mkdir(join(c, "var"));
          const result = await runCli(c, ["-init"]);
          assert.notEqual(result.code, 0, describe(result));
          assert.match(result.stderr, /Directory \.\/var already exists/);
          assert.deepEqual(await snapshot(c), new Map());
        });
      });
    });
  });
});
