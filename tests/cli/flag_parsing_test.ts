import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, runCli, withInitSite, withSite } from "./cli_helpers.ts";

const ALL_FLAGS = [
  "init",
  "init-db",
  "sync-ldap",
  "server",
  "gops",
  "dev",
  "version",
  "migrate-db",
  "revert-db",
  "force-db",
  "optimize-db",
  "apply-tags",
  "cleanup-checkpoints",
  "logdate",
  "demo",
  "help",
  "config",
  "add-user",
  "del-user",
  "jwt",
  "import-job",
  "loglevel",
];

Deno.test("cc-backend -help and -version print and exit 0 before reading anything", async (t) => {
  await withSite(async (site) => {
    // An empty site: no config.json, no .env. Both must still work.
    const [help, h, version, version2] = await Promise.all([
      runCli(site, ["-help"]),
      runCli(site, ["-h"]),
      runCli(site, ["-version"]),
      runCli(site, ["--version", "-loglevel", "debug"]),
    ]);

    await t.step("-help lists every flag with its default on stdout", () => {
      assert.equal(help.code, 0, describe(help));
      assert.match(help.stdout, /^Usage of cc-backend:/);
      for (const flag of ALL_FLAGS) {
        assert.match(help.stdout, new RegExp(`^  -${flag}( string)?$`, "m"), `-${flag} missing`);
      }
      assert.match(help.stdout, /\(default "\.\/config\.json"\)/);
      assert.match(help.stdout, /\(default "warn"\)/);
      assert.equal(help.stderr, "");
    });

    await t.step("-h is -help", () => {
      assert.equal(h.code, 0, describe(h));
      assert.equal(h.stdout, help.stdout);
    });

    await t.step("-version prints the versions of program, database and archive", () => {
      for (const result of [version, version2]) {
        assert.equal(result.code, 0, describe(result));
        assert.match(result.stdout, /^Version:\t1\.5\.\d+$/m);
        assert.match(result.stdout, /^Git hash:\t\S+$/m);
        assert.match(result.stdout, /^Build time:\t.+$/m);
        assert.match(result.stdout, /^SQL db version:\t11$/m);
        assert.match(result.stdout, /^Job archive version:\t3$/m);
        assert.equal(result.stderr, "");
      }
    });

    await t.step("neither created any file", async () => {
      assert.deepEqual(await Array.fromAsync(Deno.readDir(site)), []);
    });
  });
});

Deno.test("cc-backend rejects bad flags with exit 2 and names them", async (t) => {
  await withSite(async (site) => {
    const [unknown, unknownLong, badLevel, badLevelEq, missingValue, badBool, positional] =
      await Promise.all([
        runCli(site, ["-no-such-flag"]),
        runCli(site, ["--auth", "x"]),
        runCli(site, ["-loglevel", "bad"]),
        runCli(site, ["--loglevel=verbose"]),
        runCli(site, ["-jwt"]),
        runCli(site, ["-server=maybe"]),
        runCli(site, ["serve"]),
      ]);

    await t.step("an unknown flag is named, followed by the usage", () => {
      assert.equal(unknown.code, 2, describe(unknown));
      assert.match(unknown.stderr, /^flag provided but not defined: -no-such-flag$/m);
      assert.match(unknown.stderr, /^Usage of cc-backend:$/m);
      assert.equal(unknown.stdout, "");
      assert.equal(unknownLong.code, 2, describe(unknownLong));
      assert.match(unknownLong.stderr, /flag provided but not defined: -auth/);
    });

    await t.step("a bad -loglevel names the value and the accepted levels", () => {
      for (const [result, value] of [[badLevel, "bad"], [badLevelEq, "verbose"]] as const) {
        assert.equal(result.code, 2, describe(result));
        assert.match(
          result.stderr,
          new RegExp(`invalid value "${value}" for -loglevel: expected one of debug, info, warn`),
        );
      }
    });

    await t.step("a string flag without its value, a bad boolean, a positional argument", () => {
      assert.equal(missingValue.code, 2, describe(missingValue));
      assert.match(missingValue.stderr, /flag needs an argument: -jwt/);
      assert.equal(badBool.code, 2, describe(badBool));
      assert.match(badBool.stderr, /invalid boolean value "maybe" for -server/);
      assert.equal(positional.code, 2, describe(positional));
      assert.match(positional.stderr, /unexpected argument "serve"/);
    });

    await t.step("nothing was created", async () => {
      assert.deepEqual(await Array.fromAsync(Deno.readDir(site)), []);
    });
  });
});

Deno.test("cc-backend accepts -flag=value, --flag value and Go boolean words", async (t) => {
  await withInitSite(async (site) => {
    await Deno.rename(join(site, "config.json"), join(site, "other.json"));
    const [dashEq, doubleSpace, doubleEq, boolFalse, defaultConfig] = await Promise.all([
      runCli(site, ["-config=other.json", "-loglevel=err", "-gops"]),
      runCli(site, ["--config", "other.json", "--loglevel", "warn", "--gops", "--logdate"]),
      runCli(site, ["--config=./other.json", "-server=false", "-init=0", "-logdate=f"]),
      runCli(site, ["-config", "other.json", "--server=FALSE", "--init-db=false", "-gops=true"]),
      runCli(site, []),
    ]);

    await t.step("all forms read the named config and exit without -server", () => {
      for (const result of [dashEq, doubleSpace, doubleEq, boolFalse]) {
        assert.equal(result.code, 0, describe(result));
        assert.equal(result.stdout, "No errors, server flag not set. Exiting cc-backend.\n");
      }
    });

    await t.step("-loglevel and -logdate in both forms shape the -gops warning", () => {
      const warning = "-gops: there is no Go runtime to inspect; flag ignored";
      // The site has its own keys from -init: nothing else is logged at warn.
      assert.equal(dashEq.stderr, "", "-loglevel=err hides warnings");
      assert.equal(doubleEq.stderr, "");
      assert.equal(boolFalse.stderr, `<4>[WARNING]  ${warning}\n`);
      assert.match(
        doubleSpace.stderr,
        /^<4>\[WARNING\] {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d -gops: there is no Go runtime/,
      );
    });

    await t.step("without -config, ./config.json is read (here: missing)", () => {
      assert.equal(defaultConfig.code, 1, describe(defaultConfig));
      assert.match(
        defaultConfig.stderr,
        /\.\/config\.json: main configuration must be present \(file not found\)/,
      );
    });

    await t.step("-init=0 and -init-db=false did nothing", async () => {
      assert.equal(await Deno.readTextFile(join(site, "var/job-archive/version.txt")), "3\n");
    });
  });
});
