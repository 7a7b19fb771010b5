import assert from "node:assert/strict";
import { describeValue, validateConfigDocument } from "./validate_config.ts";

type Case = [name: string, document: unknown, problems: string[]];

function check(cases: Case[]) {
  return async (t: Deno.TestContext) => {
    for (const [name, document, expected] of cases) {
      await t.step(name, () => {
        const problems = validateConfigDocument(document).map((p) => `${p.path}: ${p.message}`);
        assert.deepEqual(problems, expected);
      });
    }
  };
}

const main = {};
const store = { "retention-in-memory": "48h", "memory-cap": 100 };

Deno.test("validateConfigDocument() accepts a full valid document", () => {
  const problems = validateConfigDocument({
    main: {
      addr: "0.0.0.0:443",
      "api-allowed-ips": ["*"],
      "session-max-age": "",
      "nodestate-retention": { policy: "delete", age: 48 },
    },
    auth: { jwts: { "max-age": "2000h" }, ldap: { url: "ldap://h", "sync-interval": "24h" } },
    archive: { kind: "file", path: "./a", location: "./unknown-but-allowed" },
    cron: { "commit-job-worker": "1m" },
    nats: { address: "nats://localhost:4222" },
    "metric-store": { ...store, cleanup: { mode: "archive", directory: "./p" } },
    "metric-store-external": [{ scope: "*", url: "http://x", token: "t" }],
    ui: { "job-list": { "use-paging": true }, "extra": true },
    "unknown-section": 1,
  });
  assert.deepEqual(problems, []);
});

Deno.test(
  "validateConfigDocument() rejects bad main keys",
  check([
    ["wrong type", { main: { "short-running-jobs-duration": "300" } }, [
      'main.short-running-jobs-duration: expected integer, found string "300"',
    ]],
    ["fraction for integer", { main: { "stop-jobs-exceeding-walltime": 1.5 } }, [
      "main.stop-jobs-exceeding-walltime: expected integer, found number 1.5",
    ]],
    ["unknown key", { main: { adress: "x" } }, ["main.adress: unknown key"]],
    ["section not an object", { main: [] }, ["main: expected object, found array"]],
    ["array item type", { main: { "api-allowed-ips": ["*", 1] } }, [
      "main.api-allowed-ips[1]: expected string, found number 1",
    ]],
    ["bad duration", { main: { "session-max-age": "1 week" } }, [
      'main.session-max-age: expected a Go duration such as "1h30m" or "", found string "1 week"',
    ]],
    ["resampling required", { main: { resampling: { trigger: 300 } } }, [
      "main.resampling.resolutions: required key missing",
    ]],
    ["api-subjects required", { main: { "api-subjects": { "subject-job-event": "a" } } }, [
      "main.api-subjects.subject-node-state: required key missing",
    ]],
    ["db-config unknown key", { main: { "db-config": { "cache-size": 1 } } }, [
      "main.db-config.cache-size: unknown key",
    ]],
    ["nodestate-retention enum", { main: { "nodestate-retention": { policy: "archive" } } }, [
      'main.nodestate-retention.policy: expected one of "delete", "move", found string "archive"',
    ]],
    ["several problems at once", { main: { addr: 8080, db: true, x: 1 } }, [
      "main.x: unknown key",
      "main.addr: expected string, found number 8080",
      "main.db: expected string, found boolean true",
    ]],
  ]),
);

Deno.test(
  "validateConfigDocument() rejects bad auth sections",
  check([
    ["jwts required", { main, auth: {} }, ["auth.jwts: required key missing"]],
    ["null section", { main, auth: null }, ["auth: expected object, found null"]],
    ["unknown auth key", { main, auth: { jwts: {}, saml: {} } }, ["auth.saml: unknown key"]],
    ["unknown jwts key", { main, auth: { jwts: { maxage: "1h" } } }, [
      "auth.jwts.maxage: unknown key",
    ]],
    ["bad max-age", { main, auth: { jwts: { "max-age": "2000" } } }, [
      'auth.jwts.max-age: expected a Go duration such as "1h30m" or "", found string "2000"',
    ]],
    ["ldap url required", { main, auth: { jwts: {}, ldap: { "user-base": "dc=x" } } }, [
      "auth.ldap.url: required key missing",
    ]],
    ["ldap wrong type", { main, auth: { jwts: {}, ldap: { url: "u", "sync-del-old-users": 1 } } }, [
      "auth.ldap.sync-del-old-users: expected boolean, found number 1",
    ]],
    ["oidc unknown key", { main, auth: { jwts: {}, oidc: { provider: "p", client: "c" } } }, [
      "auth.oidc.client: unknown key",
    ]],
  ]),
);

Deno.test(
  "validateConfigDocument() rejects bad archive sections",
  check([
    ["kind required", { main, archive: { path: "x" } }, ["archive.kind: required key missing"]],
    ["bad kind", { main, archive: { kind: "ftp" } }, [
      'archive.kind: expected one of "file", "s3", "sqlite", found string "ftp"',
    ]],
    ["retention age in days", {
      main,
      archive: { kind: "s3", retention: { policy: "move", age: "6months" } },
    }, [
      'archive.retention.age: expected integer, found string "6months"',
    ]],
    ["retention policy required", { main, archive: { kind: "file", retention: { age: 1 } } }, [
      "archive.retention.policy: required key missing",
    ]],
    ["omit-tagged enum", {
      main,
      archive: { kind: "file", retention: { policy: "delete", "omit-tagged": "some" } },
    }, [
      'archive.retention.omit-tagged: expected one of "none", "all", "user", found string "some"',
    ]],
  ]),
);

Deno.test(
  "validateConfigDocument() rejects bad cron and nats sections",
  check([
    ["duration without unit", { main, cron: { "commit-job-worker": "1" } }, [
      'cron.commit-job-worker: expected a non-negative Go duration such as "1h30m", found string "1"',
    ]],
    ["negative duration", { main, cron: { "duration-worker": "-5m" } }, [
      'cron.duration-worker: expected a non-negative Go duration such as "1h30m", found string "-5m"',
    ]],
    ["cron unknown key", { main, cron: { worker: "1m" } }, ["cron.worker: unknown key"]],
    ["nats address required", { main, nats: { username: "u" } }, [
      "nats.address: required key missing",
    ]],
    ["nats unknown key", { main, nats: { address: "nats://x", port: 1 } }, [
      "nats.port: unknown key",
    ]],
  ]),
);

Deno.test(
  "validateConfigDocument() rejects bad metric-store sections",
  check([
    ["required keys", { main, "metric-store": {} }, [
      "metric-store.retention-in-memory: required key missing",
      "metric-store.memory-cap: required key missing",
    ]],
    ["file-format enum", {
      main,
      "metric-store": { ...store, checkpoints: { "file-format": "csv" } },
    }, [
      'metric-store.checkpoints.file-format: expected one of "wal", "json", found string "csv"',
    ]],
    ["negative max-wal-size", {
      main,
      "metric-store": { ...store, checkpoints: { "max-wal-size": -1 } },
    }, [
      "metric-store.checkpoints.max-wal-size: expected a value >= 0, found number -1",
    ]],
    ["archive cleanup needs a directory", {
      main,
      "metric-store": { ...store, cleanup: { mode: "archive" } },
    }, [
      "metric-store.cleanup.directory: required key missing",
    ]],
    ["subscription needs subscribe-to", {
      main,
      "metric-store": { ...store, "nats-subscriptions": [{ "cluster-tag": "c" }] },
    }, [
      "metric-store.nats-subscriptions[0].subscribe-to: required key missing",
    ]],
    ["unknown key", { main, "metric-store": { ...store, "retention": "1h" } }, [
      "metric-store.retention: unknown key",
    ]],
    ["external: empty list", { main, "metric-store-external": [] }, [
      "metric-store-external: expected at least 1 entry, found 0",
    ]],
    ["external: not a list", { main, "metric-store-external": {} }, [
      "metric-store-external: expected array, found object",
    ]],
    ["external: token required", { main, "metric-store-external": [{ scope: "*", url: "u" }] }, [
      "metric-store-external[0].token: required key missing",
    ]],
    ["external: unknown key", {
      main,
      "metric-store-external": [{ scope: "*", url: "u", token: "t", x: 1 }],
    }, [
      "metric-store-external[0].x: unknown key",
    ]],
  ]),
);

Deno.test(
  "validateConfigDocument() types known ui keys",
  check([
    ["wrong type", { main, ui: { "job-list": { "use-paging": "yes" } } }, [
      'ui.job-list.use-paging: expected boolean, found string "yes"',
    ]],
    ["cluster needs a name", {
      main,
      ui: { "metric-config": { clusters: [{ "job-list-metrics": [] }] } },
    }, [
      "ui.metric-config.clusters[0].name: required key missing",
    ]],
    ["color scheme entries", {
      main,
      ui: { "plot-configuration": { "color-scheme": ["#fff", 0] } },
    }, [
      "ui.plot-configuration.color-scheme[1]: expected string, found number 0",
    ]],
  ]),
);

Deno.test("describeValue() names the JSON type and value", () => {
  assert.equal(describeValue("a"), 'string "a"');
  assert.equal(describeValue(2), "number 2");
  assert.equal(describeValue(false), "boolean false");
  assert.equal(describeValue(null), "null");
  assert.equal(describeValue([]), "array");
  assert.equal(describeValue({}), "object");
});
