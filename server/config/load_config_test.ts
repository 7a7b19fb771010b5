import assert from "node:assert/strict";
import { join } from "node:path";
import { setLogSink } from "../log/logger.ts";
import { defaultMetricStoreWorkers, uiDefaults } from "./apply_defaults.ts";
import { ConfigError } from "./config_error.ts";
import type { Config } from "./config_types.ts";
import { loadConfig } from "./load_config.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cc-config-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function writeConfig(dir: string, doc: unknown): Promise<string> {
  const path = join(dir, "config.json");
  await Deno.writeTextFile(path, typeof doc === "string" ? doc : JSON.stringify(doc));
  return path;
}

/** The problems of a failing load, with the temp dir shown as "./". */
async function problemsOf(dir: string, load: () => Promise<Config>): Promise<string[]> {
  const error = await load().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
  return error.problems.map((p) => p.replaceAll(dir + "/", "./"));
}

Deno.test("loadConfig() applies every default to a minimal config", async () => {
  await withDir(async (dir) => {
    const config = await loadConfig(await writeConfig(dir, { main: {} }), { cwd: dir });
    assert.deepEqual(config, {
      main: {
        addr: "localhost:8080",
        user: "",
        group: "",
        disableAuthentication: false,
        embedStaticFiles: true,
        staticFiles: "",
        db: "./var/job.db",
        enableJobTaggers: false,
        validate: false,
        sessionMaxAge: "168h",
        httpsCertFile: "",
        httpsKeyFile: "",
        redirectHttpTo: "",
        machineStateDir: "",
        stopJobsExceedingWalltime: 0,
        shortRunningJobsDuration: 300,
        emissionConstant: 0,
        systemdUnit: "clustercockpit.service",
        dbConfig: {
          cacheSizeMb: 2048,
          softHeapLimitMb: 16384,
          maxOpenConnections: 4,
          maxIdleConnections: 4,
          maxIdleTimeMinutes: 10,
          busyTimeoutMs: 60000,
        },
      },
      archive: {
        kind: "file",
        path: "./var/job-archive",
        region: "us-east-1",
        usePathStyle: false,
        compression: 7,
      },
      cron: { commitJobWorker: "2m", durationWorker: "5m", footprintWorker: "10m" },
      ui: uiDefaults(),
    });
  });
});

Deno.test("loadConfig() fills defaults inside optional sections", async () => {
  await withDir(async (dir) => {
    const path = await writeConfig(dir, {
      main: {
        "api-subjects": {
          "subject-job-event": "cc.job.event",
          "subject-node-state": "cc.node.state",
        },
        "db-config": { "cache-size-mb": 512, "max-open-connections": 0, "busy-timeout-ms": -1 },
        "resampling": { "trigger": 300, "resolutions": [240, 60] },
        "nodestate-retention": { "policy": "move", "target-kind": "file" },
      },
      auth: { jwts: {}, ldap: { url: "ldap://x" }, oidc: { provider: "https://idp" } },
      archive: { kind: "s3", bucket: "b", retention: { policy: "delete", age: 365 } },
      cron: { "commit-job-worker": "1m" },
      "metric-store": { "retention-in-memory": "48h", "memory-cap": 100, "num-workers": 0 },
      ui: { "job-list": { "use-paging": true }, "custom": 1 },
    });
    const config = await loadConfig(path, { cwd: dir });
    assert.deepEqual(config.main.apiSubjects, {
      subjectJobEvent: "cc.job.event",
      subjectNodeState: "cc.node.state",
      jobConcurrency: 8,
      nodeConcurrency: 2,
    });
    assert.equal(config.main.dbConfig.cacheSizeMb, 512);
    assert.equal(config.main.dbConfig.maxOpenConnections, 4, "values <= 0 are ignored");
    assert.equal(config.main.dbConfig.busyTimeoutMs, 60000);
    assert.deepEqual(config.main.resampling, {
      minimumPoints: 1000,
      trigger: 300,
      resolutions: [240, 60],
    });
    assert.deepEqual(config.main.nodestateRetention, {
      policy: "move",
      targetKind: "file",
      age: 24,
      maxFileSizeMb: 128,
    });
    assert.deepEqual(config.auth?.jwts, {
      maxAge: "",
      validateUser: false,
      syncUserOnLogin: false,
      updateUserOnLogin: false,
    });
    assert.equal(config.auth?.ldap?.usernameAttr, "gecos");
    assert.equal(config.auth?.ldap?.uidAttr, "uid");
    assert.equal(config.auth?.ldap?.syncInterval, "");
    assert.equal(config.auth?.ldap?.syncDelOldUsers, false);
    assert.deepEqual(config.auth?.oidc, {
      provider: "https://idp",
      syncUserOnLogin: false,
      updateUserOnLogin: false,
    });
    assert.equal(config.archive.path, undefined, "no file path default for s3");
    assert.deepEqual(config.archive.retention, {
      policy: "delete",
      age: 365,
      format: "json",
      includeDb: true,
      omitTagged: "none",
      maxFileSizeMb: 512,
    });
    assert.deepEqual(config.cron, {
      commitJobWorker: "1m",
      durationWorker: "5m",
      footprintWorker: "10m",
    });
    assert.deepEqual(config.metricStore, {
      retentionInMemory: "48h",
      memoryCap: 100,
      numWorkers: defaultMetricStoreWorkers(),
      checkpointInterval: "12h",
      checkpoints: { fileFormat: "wal", directory: "./var/checkpoints", maxWalSize: 0 },
      cleanup: { mode: "delete" },
      natsSubscriptions: [],
    });
    assert.equal(config.ui.jobList.usePaging, true);
    assert.equal(config.ui.jobList.showFootprint, false, "unmentioned ui keys keep defaults");
    assert.equal(config.ui.custom, 1, "unknown ui keys are kept");
    assert.equal(config.nats, undefined);
    assert.equal(config.metricStoreExternal, undefined);
  });
});

Deno.test("defaultMetricStoreWorkers() is min(cpus/2+1, 10)", () => {
  assert.equal(defaultMetricStoreWorkers(1), 1);
  assert.equal(defaultMetricStoreWorkers(8), 5);
  assert.equal(defaultMetricStoreWorkers(64), 10);
});

Deno.test("loadConfig() needs the main section", async (t) => {
  await withDir(async (dir) => {
    await t.step("missing file", async () => {
      const problems = await problemsOf(dir, () => loadConfig(join(dir, "nope.json")));
      assert.deepEqual(problems, [
        "./nope.json: main configuration must be present (file not found)",
      ]);
    });
    await t.step("no main key", async () => {
      const path = await writeConfig(dir, { archive: { kind: "file" } });
      const problems = await problemsOf(dir, () => loadConfig(path));
      assert.deepEqual(problems, ["./config.json: main configuration must be present"]);
    });
  });
});

Deno.test("loadConfig() reports invalid JSON with line and column", async (t) => {
  await withDir(async (dir) => {
    const cases: [string, string][] = [
      [
        '{\n  "main": {\n    "addr": "x",\n  }\n}',
        "line 4, column 3: expected a double-quoted key, found '}'",
      ],
      ['{"main": {"addr": tru}}', "line 1, column 19: expected a value, found 't'"],
      ['{"main": {}', "line 1, column 12: unexpected end of input"],
      ["", "line 1, column 1: unexpected end of input"],
    ];
    for (const [text, where] of cases) {
      await t.step(JSON.stringify(text), async () => {
        const path = await writeConfig(dir, text);
        const problems = await problemsOf(dir, () => loadConfig(path));
        assert.deepEqual(problems, [`./config.json: invalid JSON at ${where}`]);
      });
    }
    await t.step("not an object", async () => {
      const path = await writeConfig(dir, "[]");
      const problems = await problemsOf(dir, () => loadConfig(path));
      assert.deepEqual(problems, [
        "./config.json: expected a JSON object of sections, found array",
      ]);
    });
  });
});

Deno.test("loadConfig() replaces <name>-file keys by the included JSON", async (t) => {
  await withDir(async (dir) => {
    await Deno.mkdir(join(dir, "etc"));
    const configIn = (doc: unknown) =>
      Deno.writeTextFile(join(dir, "etc", "config.json"), JSON.stringify(doc));
    const load = () => loadConfig(join(dir, "etc", "config.json"), { cwd: dir });

    await t.step("paths are relative to the working directory, not the config file", async () => {
      await Deno.writeTextFile(
        join(dir, "ui.json"),
        '{"plot-configuration": {"plots-per-row": 2}}',
      );
      await Deno.writeTextFile(
        join(dir, "ms.json"),
        '{"retention-in-memory": "1h", "memory-cap": 1}',
      );
      await configIn({ "main": {}, "ui-file": "ui.json", "metric-store-file": "ms.json" });
      const config = await load();
      assert.equal(config.ui.plotConfiguration.plotsPerRow, 2);
      assert.equal(config.metricStore?.retentionInMemory, "1h");
    });
    await t.step("a missing include is logged and the section left out", async () => {
      const lines: string[] = [];
      const previous = setLogSink((line) => lines.push(line));
      try {
        await configIn({ "main": {}, "ui": { "x": 1 }, "ui-file": "missing.json" });
        const config = await load();
        assert.deepEqual(config.ui, uiDefaults());
      } finally {
        setLogSink(previous);
      }
      assert.equal(lines.length, 1);
      assert.match(
        lines[0],
        /ERROR.*etc\/config\.json: ui-file: included file .*\/missing\.json not found; section "ui" is left out$/,
      );
    });
    await t.step("invalid JSON in an include names the included file", async () => {
      await Deno.writeTextFile(join(dir, "bad.json"), '{"a": }');
      await configIn({ "main": {}, "ui-file": "bad.json" });
      assert.deepEqual(await problemsOf(dir, load), [
        "./bad.json: invalid JSON at line 1, column 7: expected a value, found '}'",
      ]);
    });
    await t.step("schema errors in an include name the included file", async () => {
      await Deno.writeTextFile(join(dir, "ui.json"), '{"job-list": {"use-paging": "yes"}}');
      await configIn({ "main": { "addr": 1 }, "ui-file": "ui.json" });
      assert.deepEqual(await problemsOf(dir, load), [
        "./etc/config.json: main.addr: expected string, found number 1",
        './ui.json: ui.job-list.use-paging: expected boolean, found string "yes"',
      ]);
    });
    await t.step("the include path must be a string", async () => {
      await configIn({ "main": {}, "ui-file": 1 });
      assert.deepEqual(await problemsOf(dir, load), [
        "./etc/config.json: ui-file: expected string, found number 1",
      ]);
    });
  });
});

Deno.test("loadConfig() ignores unknown top-level sections", async () => {
  await withDir(async (dir) => {
    const path = await writeConfig(dir, { main: {}, "future-section": { a: 1 } });
    const config = await loadConfig(path);
    assert.equal("futureSection" in config, false);
  });
});

Deno.test("loadConfig() prefixes schema problems with the config path", async () => {
  await withDir(async (dir) => {
    const path = await writeConfig(dir, {
      main: { "short-running-jobs-duration": "300", "adress": "x" },
    });
    assert.deepEqual(await problemsOf(dir, () => loadConfig(path)), [
      "./config.json: main.adress: unknown key",
      './config.json: main.short-running-jobs-duration: expected integer, found string "300"',
    ]);
  });
});
