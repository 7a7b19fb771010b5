import assert from "node:assert/strict";
import { join } from "node:path";
import {
  countRows,
  describe,
  initSite,
  runCli,
  schemaVersion,
  withDb,
  withInitSite,
  withSite,
} from "./cli_helpers.ts";

Deno.test("cc-backend stops with a clear message when .env is missing or malformed", async (t) => {
  await withSite(async (site) => {
    await initSite(site);
    await Deno.rename(join(site, ".env"), join(site, "env.saved"));

    await t.step("a missing .env is fatal: 'loading .env file'", async () => {
      const result = await runCli(site, []);
      assert.equal(result.code, 1, describe(result));
      assert.match(result.stderr, /^loading \.env file: \.\/\.env: not found$/m);
      assert.doesNotMatch(result.stderr, /loading \.env file: loading/);
      assert.equal(result.stdout, "");
    });

    await t.step(
      "it is checked before the config: a missing .env wins over a bad config",
      async () => {
        await Deno.writeTextFile(join(site, "broken.json"), "{");
        const result = await runCli(site, ["-config", "broken.json", "-add-user", "x:api:pw"]);
        assert.equal(result.code, 1, describe(result));
        assert.match(result.stderr, /loading \.env file/);
        assert.doesNotMatch(result.stderr, /broken\.json/);
      },
    );

    await t.step("a malformed .env names the line", async () => {
      await Deno.writeTextFile(join(site, ".env"), 'JWT_PUBLIC_KEY="abc"\nOOPS\n');
      const result = await runCli(site, []);
      assert.equal(result.code, 1, describe(result));
      assert.match(result.stderr, /loading \.env file: \.\/\.env: line 2: expected KEY=value/);
    });

    await t.step("nothing was added to the database", () => {
      withDb(site, "var/job.db", (db) => {
        assert.equal(countRows(db, "hpc_user"), 0);
      });
    });
  });
});

const BAD_CONFIGS: {
  name: string;
  text: string;
  expect: RegExp[];
}[] = [
  {
    name: "invalid JSON, reported with line and column",
    text: '{\n  "main": {\n    "addr": "127.0.0.1:8080",\n  }\n}\n',
    expect: [/bad\.json: invalid JSON at line 4, column 3/],
  },
  {
    name: "an unknown key in main, named main.<key>",
    text: '{"main": {"addr": "127.0.0.1:8080", "no-such-key": 1}}',
    expect: [/bad\.json: main\.no-such-key: unknown key/],
  },
  {
    name: "a value of the wrong type, naming key, expected type and value",
    text: '{"main": {"short-running-jobs-duration": "300"}}',
    expect: [/bad\.json: main\.short-running-jobs-duration: expected integer, found string "300"/],
  },
  {
    name: "a missing main section",
    text: '{"archive": {"kind": "file", "path": "./var/job-archive"}}',
    expect: [/bad\.json: main configuration must be present/],
  },
  {
    name: "several problems at once, each on its own line",
    text: '{"main": {"addr": 8080, "bogus": true}, "auth": {}}',
    expect: [
      /bad\.json: main\.bogus: unknown key/,
      /bad\.json: main\.addr: expected string, found number 8080/,
      /bad\.json: auth\.jwts: required key missing/,
    ],
  },
  {
    name: "a value outside an enumeration",
    text: '{"main": {}, "archive": {"kind": "tape"}}',
    expect: [
      /bad\.json: archive\.kind: expected one of "file", "s3", "sqlite", found string "tape"/,
    ],
  },
  {
    name: "a document that is not an object",
    text: "[1, 2]",
    expect: [/bad\.json: expected a JSON object of sections, found array/],
  },
];

Deno.test("cc-backend stops with a message naming the key for each config error", async (t) => {
  await withInitSite(async (site) => {
    // One site, one config file per case (-config), all run at once.
    const results = await Promise.all(BAD_CONFIGS.map(async (c, i) => {
      const dir = join(site, `case${i}`);
      await Deno.mkdir(dir);
      await Deno.writeTextFile(join(dir, "bad.json"), c.text);
      return runCli(site, ["-config", `case${i}/bad.json`, "-add-user", `u${i}:api:pw`]);
    }));
    const missingFile = await runCli(site, ["-config", "nowhere.json"]);

    for (const [i, c] of BAD_CONFIGS.entries()) {
      await t.step(c.name, () => {
        const result = results[i];
        assert.equal(result.code, 1, describe(result));
        assert.match(result.stderr, /^<2>\[CRITICAL\] /);
        for (const pattern of c.expect) assert.match(result.stderr, pattern);
        assert.equal(result.stdout, "");
      });
    }

    await t.step("a -config file that does not exist", () => {
      assert.equal(missingFile.code, 1, describe(missingFile));
      assert.match(
        missingFile.stderr,
        /nowhere\.json: main configuration must be present \(file not found\)/,
      );
    });

    await t.step("no -add-user of a failed start reached the database", () => {
      withDb(site, "var/job.db", (db) => {
        assert.deepEqual(schemaVersion(db), { version: 11, dirty: 0 });
        assert.equal(countRows(db, "hpc_user"), 0);
      });
    });
  });
});
