/**
 * Turns a validated config.json document into a {@link Config}: keys become
 * camelCase and every documented default is filled in.
 *
 * @module
 */

import type {
  ArchiveConfig,
  ArchiveRetentionConfig,
  AuthConfig,
  Config,
  CronConfig,
  DbConfig,
  ExternalMetricStoreConfig,
  LdapConfig,
  MainConfig,
  MetricStoreConfig,
  NatsConfig,
  NodestateRetentionConfig,
  UiConfig,
} from "./config_types.ts";

type Json = { [key: string]: unknown };
/** A section as read from the file: any documented key may be missing. */
type Given<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends unknown[] ? T[K]
    : NonNullable<T[K]> extends object ? Partial<NonNullable<T[K]>>
    : T[K];
};

/** Default `main` values (everything optional in the file). */
export const MAIN_DEFAULTS = {
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
} as const satisfies Partial<MainConfig>;

/** Default SQLite tuning (`main.db-config`). */
export const DB_CONFIG_DEFAULTS: Readonly<DbConfig> = {
  cacheSizeMb: 2048,
  softHeapLimitMb: 16384,
  maxOpenConnections: 4,
  maxIdleConnections: 4,
  maxIdleTimeMinutes: 10,
  busyTimeoutMs: 60000,
};

/** The archive used when config.json has no `archive` section. */
export const ARCHIVE_DEFAULT = { kind: "file", path: "./var/job-archive" } as const;

/** Default worker intervals (`cron`). */
export const CRON_DEFAULTS: Readonly<CronConfig> = {
  commitJobWorker: "2m",
  durationWorker: "5m",
  footprintWorker: "10m",
};

/** Built-in UI defaults that the `ui` section overrides key by key. */
export function uiDefaults(): UiConfig {
  return {
    jobList: { usePaging: false, showFootprint: false },
    nodeList: { usePaging: false },
    jobView: { showPolarPlot: true, showFootprint: false, showRoofline: true, showStatTable: true },
    metricConfig: {
      jobListMetrics: ["cpu_load", "flops_any", "mem_bw", "mem_used"],
      jobViewPlotMetrics: ["cpu_load", "flops_any", "mem_bw", "mem_used"],
      jobViewTableMetrics: ["flops_any", "mem_bw", "mem_used"],
      clusters: [],
    },
    plotConfiguration: {
      colorBackground: true,
      plotsPerRow: 3,
      lineWidth: 3,
      colorScheme: [
        "#00bfff",
        "#0000ff",
        "#ff00ff",
        "#ff0000",
        "#ff8000",
        "#ffff00",
        "#80ff00",
      ],
    },
  };
}

/** Default number of metric-store workers: `min(CPUs/2 + 1, 10)`. */
export function defaultMetricStoreWorkers(cpus = navigator.hardwareConcurrency): number {
  return Math.min(Math.floor(cpus / 2) + 1, 10);
}

function camelCase(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Recursively renames object keys from kebab-case to camelCase. */
export function camelizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [camelCase(key), camelizeKeys(inner)]),
  );
}

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && value > 0 ? value : fallback;
}

function mainConfig(given: Given<MainConfig>): MainConfig {
  const { apiSubjects, dbConfig = {}, resampling, nodestateRetention, ...rest } = given;
  const db = dbConfig as Partial<DbConfig>;
  const main: MainConfig = {
    ...MAIN_DEFAULTS,
    ...rest,
    dbConfig: {
      cacheSizeMb: positiveOr(db.cacheSizeMb, DB_CONFIG_DEFAULTS.cacheSizeMb),
      softHeapLimitMb: positiveOr(db.softHeapLimitMb, DB_CONFIG_DEFAULTS.softHeapLimitMb),
      maxOpenConnections: positiveOr(db.maxOpenConnections, DB_CONFIG_DEFAULTS.maxOpenConnections),
      maxIdleConnections: positiveOr(db.maxIdleConnections, DB_CONFIG_DEFAULTS.maxIdleConnections),
      maxIdleTimeMinutes: positiveOr(db.maxIdleTimeMinutes, DB_CONFIG_DEFAULTS.maxIdleTimeMinutes),
      busyTimeoutMs: positiveOr(db.busyTimeoutMs, DB_CONFIG_DEFAULTS.busyTimeoutMs),
    },
  };
  if (apiSubjects) {
    main.apiSubjects = {
      jobConcurrency: 8,
      nodeConcurrency: 2,
      ...apiSubjects,
    } as MainConfig["apiSubjects"];
  }
  if (resampling) {
    main.resampling = { minimumPoints: 1000, ...resampling } as MainConfig["resampling"];
  }
  if (nodestateRetention) {
    main.nodestateRetention = {
      age: 24,
      maxFileSizeMb: 128,
      ...nodestateRetention,
    } as NodestateRetentionConfig;
  }
  return main;
}

function authConfig(given: Json): AuthConfig {
  const { jwts, ldap, oidc } = given as Given<AuthConfig>;
  const flags = { syncUserOnLogin: false, updateUserOnLogin: false };
  const auth: AuthConfig = {
    jwts: { maxAge: "", validateUser: false, ...flags, ...jwts },
  };
  if (ldap) {
    auth.ldap = {
      usernameAttr: "gecos",
      uidAttr: "uid",
      syncInterval: "",
      syncDelOldUsers: false,
      userBase: "",
      searchDn: "",
      userBind: "",
      userFilter: "",
      ...flags,
      ...ldap,
    } as LdapConfig;
  }
  if (oidc) auth.oidc = { ...flags, ...oidc } as AuthConfig["oidc"];
  return auth;
}

function archiveConfig(given: Json | undefined): ArchiveConfig {
  const { retention, ...rest } = (given ?? ARCHIVE_DEFAULT) as Given<ArchiveConfig>;
  const archive = {
    region: "us-east-1",
    usePathStyle: false,
    compression: 7,
    ...rest,
  } as ArchiveConfig;
  if (archive.kind === "file" && archive.path === undefined) archive.path = ARCHIVE_DEFAULT.path;
  if (retention) {
    archive.retention = {
      format: "json",
      includeDb: true,
      omitTagged: "none",
      maxFileSizeMb: 512,
      ...retention,
    } as ArchiveRetentionConfig;
  }
  return archive;
}

function metricStoreConfig(given: Json): MetricStoreConfig {
  const { checkpoints, cleanup, numWorkers, ...rest } = given as Given<MetricStoreConfig>;
  return {
    checkpointInterval: "12h",
    natsSubscriptions: [],
    ...rest,
    numWorkers: positiveOr(numWorkers, defaultMetricStoreWorkers()),
    checkpoints: {
      fileFormat: "wal",
      directory: "./var/checkpoints",
      maxWalSize: 0,
      ...checkpoints,
    },
    cleanup: { mode: "delete", ...cleanup },
  } as MetricStoreConfig;
}

function uiConfig(given: Json | undefined): UiConfig {
  const ui = uiDefaults();
  for (const [key, value] of Object.entries(given ?? {})) {
    const base = ui[key];
    const isObject = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
    ui[key] = isObject(base) && isObject(value) ? { ...base as Json, ...value as Json } : value;
  }
  return ui;
}

/**
 * Builds the typed configuration from a document that passed
 * `validateConfigDocument()` (kebab-case keys, `main` present).
 */
export function applyDefaults(document: Json): Config {
  const doc = camelizeKeys(document) as Json;
  const config: Config = {
    main: mainConfig(doc.main as Given<MainConfig>),
    archive: archiveConfig(doc.archive as Json | undefined),
    cron: { ...CRON_DEFAULTS, ...doc.cron as Partial<CronConfig> },
    ui: uiConfig(doc.ui as Json | undefined),
  };
  if (doc.auth) config.auth = authConfig(doc.auth as Json);
  if (doc.nats) config.nats = doc.nats as NatsConfig;
  if (doc.metricStore) config.metricStore = metricStoreConfig(doc.metricStore as Json);
  if (doc.metricStoreExternal) {
    config.metricStoreExternal = doc.metricStoreExternal as ExternalMetricStoreConfig[];
  }
  return config;
}
