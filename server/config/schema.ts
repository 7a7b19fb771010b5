/**
 * JSON schema of config.json, written for this project from the documented
 * keys of cc-backend 1.5. Sections the original decodes strictly (`main`,
 * `auth`, `cron`, `nats`, `metric-store`, `metric-store-external`) reject
 * unknown keys at every level; `archive` and `ui` are typed where known but
 * keep unknown keys. Unknown top-level sections are ignored.
 *
 * Two custom formats are used and must be registered with the validator:
 * `duration` (a non-negative Go duration) and `duration-or-empty`.
 *
 * @module
 */

/** A JSON schema node as plain data. */
export type JsonSchema = { [key: string]: unknown };

const str: JsonSchema = { type: "string" };
const int: JsonSchema = { type: "integer" };
const bool: JsonSchema = { type: "boolean" };
const dur: JsonSchema = { type: "string", format: "duration" };
const durOrEmpty: JsonSchema = { type: "string", format: "duration-or-empty" };
const strList: JsonSchema = { type: "array", items: str };
const intList: JsonSchema = { type: "array", items: int };

function oneOf(...values: string[]): JsonSchema {
  return { type: "string", enum: values };
}

function strict(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: "object", properties, required, additionalProperties: false };
}

function lenient(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: "object", properties, required };
}

const retentionTarget: Record<string, JsonSchema> = {
  "target-kind": oneOf("file", "s3"),
  "target-path": str,
  "target-endpoint": str,
  "target-bucket": str,
  "target-access-key": str,
  "target-secret-key": str,
  "target-region": str,
  "target-use-path-style": bool,
};

const main = strict({
  "addr": str,
  "api-allowed-ips": strList,
  "api-subjects": strict({
    "subject-job-event": str,
    "subject-node-state": str,
    "job-concurrency": int,
    "node-concurrency": int,
  }, ["subject-job-event", "subject-node-state"]),
  "user": str,
  "group": str,
  "disable-authentication": bool,
  "embed-static-files": bool,
  "static-files": str,
  "db": str,
  "db-config": strict({
    "cache-size-mb": int,
    "soft-heap-limit-mb": int,
    "max-open-connections": int,
    "max-idle-connections": int,
    "max-idle-time-minutes": int,
    "busy-timeout-ms": int,
  }),
  "enable-job-taggers": bool,
  "validate": bool,
  "session-max-age": durOrEmpty,
  "https-cert-file": str,
  "https-key-file": str,
  "redirect-http-to": str,
  "machine-state-dir": str,
  "stop-jobs-exceeding-walltime": int,
  "short-running-jobs-duration": int,
  "emission-constant": int,
  "resampling": strict({
    "minimum-points": int,
    "trigger": int,
    "resolutions": intList,
  }, ["trigger", "resolutions"]),
  "systemd-unit": str,
  "nodestate-retention": strict({
    "policy": oneOf("delete", "move"),
    "age": int,
    ...retentionTarget,
    "max-file-size-mb": int,
  }, ["policy"]),
});

const auth = strict({
  // The original's inner `required` lists of jwts/ldap/oidc are not enforced
  // (see the reference's [quirk]); we only require what nothing works without.
  "jwts": strict({
    "max-age": durOrEmpty,
    "cookie-name": str,
    "validate-user": bool,
    "trusted-issuer": str,
    "sync-user-on-login": bool,
    "update-user-on-login": bool,
  }),
  "ldap": strict({
    "url": str,
    "user-base": str,
    "search-dn": str,
    "user-bind": str,
    "user-filter": str,
    "username-attr": str,
    "uid-attr": str,
    "sync-interval": durOrEmpty,
    "sync-del-old-users": bool,
    "sync-user-on-login": bool,
    "update-user-on-login": bool,
  }, ["url"]),
  "oidc": strict({
    "provider": str,
    "sync-user-on-login": bool,
    "update-user-on-login": bool,
  }, ["provider"]),
}, ["jwts"]);

const archive = lenient({
  "kind": oneOf("file", "s3", "sqlite"),
  "path": str,
  "db-path": str,
  "endpoint": str,
  "bucket": str,
  "access-key": str,
  "secret-key": str,
  "region": str,
  "use-path-style": bool,
  "compression": int,
  "retention": lenient({
    "policy": oneOf("none", "delete", "copy", "move"),
    "format": oneOf("json", "parquet"),
    "include-db": bool,
    "omit-tagged": oneOf("none", "all", "user"),
    "age": int,
    ...retentionTarget,
    "max-file-size-mb": int,
  }, ["policy"]),
}, ["kind"]);

const cron = strict({
  "commit-job-worker": dur,
  "duration-worker": dur,
  "footprint-worker": dur,
});

const nats = strict({
  "address": str,
  "username": str,
  "password": str,
  "creds-file-path": str,
}, ["address"]);

const metricStore = strict({
  "retention-in-memory": dur,
  "memory-cap": int,
  "num-workers": int,
  "checkpoint-interval": dur,
  "checkpoints": strict({
    "file-format": oneOf("wal", "json"),
    "directory": str,
    "max-wal-size": { type: "integer", minimum: 0 },
  }),
  "cleanup": {
    ...strict({ "mode": oneOf("delete", "archive"), "directory": str }),
    if: { properties: { "mode": { const: "archive" } }, required: ["mode"] },
    then: { properties: { "directory": str }, required: ["directory"] },
  },
  "nats-subscriptions": {
    type: "array",
    items: strict({ "subscribe-to": str, "cluster-tag": str }, ["subscribe-to"]),
  },
  "debug": strict({ "dump-to-file": str, "gops": bool }),
}, ["retention-in-memory", "memory-cap"]);

const metricStoreExternal: JsonSchema = {
  type: "array",
  minItems: 1,
  items: strict({ "scope": str, "url": str, "token": str }, ["scope", "url", "token"]),
};

const metricSelection: Record<string, JsonSchema> = {
  "job-list-metrics": strList,
  "job-view-plot-metrics": strList,
  "job-view-table-metrics": strList,
};

const ui = lenient({
  "job-list": lenient({ "use-paging": bool, "show-footprint": bool }),
  "node-list": lenient({ "use-paging": bool }),
  "job-view": lenient({
    "show-polar-plot": bool,
    "show-footprint": bool,
    "show-roofline": bool,
    "show-stat-table": bool,
  }),
  "metric-config": lenient({
    ...metricSelection,
    "clusters": {
      type: "array",
      items: lenient({
        "name": str,
        ...metricSelection,
        "sub-clusters": {
          type: "array",
          items: lenient({ "name": str, ...metricSelection }, ["name"]),
        },
      }, ["name"]),
    },
  }),
  "plot-configuration": lenient({
    "color-background": bool,
    "plots-per-row": int,
    "line-width": int,
    "color-scheme": strList,
  }),
});

/** The schema of the whole config.json document. */
export const configSchema: JsonSchema = {
  type: "object",
  properties: {
    "main": main,
    "auth": auth,
    "archive": archive,
    "cron": cron,
    "nats": nats,
    "metric-store": metricStore,
    "metric-store-external": metricStoreExternal,
    "ui": ui,
  },
};
