/**
 * Typed view of config.json after loading. JSON keys are kebab-case
 * (`short-running-jobs-duration`); here every key is camelCase
 * (`shortRunningJobsDuration`). Durations stay Go duration strings; convert
 * them with `parseDuration()` where they are used.
 *
 * @module
 */

/** `main.api-subjects`: NATS subjects for the job/node API (disables REST start/stop). */
export interface ApiSubjectsConfig {
  subjectJobEvent: string;
  subjectNodeState: string;
  /** Workers handling job events (default 8). */
  jobConcurrency: number;
  /** Workers handling node state messages (default 2). */
  nodeConcurrency: number;
}

/** `main.db-config`: SQLite tuning; values ≤ 0 in the file fall back to the defaults. */
export interface DbConfig {
  cacheSizeMb: number;
  softHeapLimitMb: number;
  maxOpenConnections: number;
  maxIdleConnections: number;
  maxIdleTimeMinutes: number;
  busyTimeoutMs: number;
}

/** `main.resampling`: server-side downsampling of metric series for plots. */
export interface ResamplingConfig {
  /** Series with fewer points are not resampled (default 1000). */
  minimumPoints: number;
  trigger: number;
  /** Resolutions in seconds; the largest is the default resolution. */
  resolutions: number[];
}

/** Where and how old rows are moved or deleted (node states, archived jobs). */
export interface RetentionTarget {
  targetKind?: "file" | "s3";
  targetPath?: string;
  targetEndpoint?: string;
  targetBucket?: string;
  targetAccessKey?: string;
  targetSecretKey?: string;
  targetRegion?: string;
  targetUsePathStyle?: boolean;
}

/** `main.nodestate-retention`. */
export interface NodestateRetentionConfig extends RetentionTarget {
  policy: "delete" | "move";
  /** Age in hours (default 24). */
  age: number;
  /** Parquet file split size in MB (default 128). */
  maxFileSizeMb: number;
}

/** The `main` section. */
export interface MainConfig {
  addr: string;
  /** Unset means every client may use `/api/`. */
  apiAllowedIps?: string[];
  apiSubjects?: ApiSubjectsConfig;
  user: string;
  group: string;
  disableAuthentication: boolean;
  embedStaticFiles: boolean;
  staticFiles: string;
  db: string;
  dbConfig: DbConfig;
  enableJobTaggers: boolean;
  validate: boolean;
  /** Go duration; `""` or `"0"` leaves the session store default. */
  sessionMaxAge: string;
  httpsCertFile: string;
  httpsKeyFile: string;
  redirectHttpTo: string;
  machineStateDir: string;
  /** Seconds beyond the walltime after which running jobs are failed; 0 disables. */
  stopJobsExceedingWalltime: number;
  /** Seconds; shorter jobs count as "short". */
  shortRunningJobsDuration: number;
  /** g CO2 per kWh; 0 hides the estimate. */
  emissionConstant: number;
  resampling?: ResamplingConfig;
  systemdUnit: string;
  nodestateRetention?: NodestateRetentionConfig;
}

/** `auth.jwts`. */
export interface JwtConfig {
  /** Go duration for generated tokens; `""` → tokens without `exp`. */
  maxAge: string;
  cookieName?: string;
  validateUser: boolean;
  trustedIssuer?: string;
  syncUserOnLogin: boolean;
  updateUserOnLogin: boolean;
}

/** `auth.ldap`. */
export interface LdapConfig {
  url: string;
  userBase: string;
  searchDn: string;
  userBind: string;
  userFilter: string;
  usernameAttr: string;
  uidAttr: string;
  /** Go duration; `""` → no periodic sync. */
  syncInterval: string;
  syncDelOldUsers: boolean;
  syncUserOnLogin: boolean;
  updateUserOnLogin: boolean;
}

/** `auth.oidc`. */
export interface OidcConfig {
  provider: string;
  syncUserOnLogin: boolean;
  updateUserOnLogin: boolean;
}

/** The `auth` section. */
export interface AuthConfig {
  jwts: JwtConfig;
  ldap?: LdapConfig;
  oidc?: OidcConfig;
}

/** `archive.retention`. */
export interface ArchiveRetentionConfig extends RetentionTarget {
  policy: "none" | "delete" | "copy" | "move";
  format: "json" | "parquet";
  includeDb: boolean;
  omitTagged: "none" | "all" | "user";
  /** Age in days. */
  age?: number;
  maxFileSizeMb: number;
}

/** The `archive` section (unknown keys are kept, as the original decodes it leniently). */
export interface ArchiveConfig {
  kind: "file" | "s3" | "sqlite";
  path?: string;
  dbPath?: string;
  endpoint?: string;
  bucket?: string;
  accessKey?: string;
  secretKey?: string;
  region: string;
  usePathStyle: boolean;
  /** Compress job data older than this many days. */
  compression: number;
  retention?: ArchiveRetentionConfig;
  [key: string]: unknown;
}

/** The `cron` section: Go durations of the periodic workers. */
export interface CronConfig {
  commitJobWorker: string;
  durationWorker: string;
  footprintWorker: string;
}

/** The `nats` section. */
export interface NatsConfig {
  address: string;
  username?: string;
  password?: string;
  credsFilePath?: string;
}

/** One entry of `metric-store.nats-subscriptions`. */
export interface NatsSubscriptionConfig {
  subscribeTo: string;
  clusterTag?: string;
}

/** The `metric-store` section (internal in-memory store). */
export interface MetricStoreConfig {
  retentionInMemory: string;
  /** GB. */
  memoryCap: number;
  numWorkers: number;
  checkpointInterval: string;
  checkpoints: { fileFormat: "wal" | "json"; directory: string; maxWalSize: number };
  cleanup: { mode: "delete" | "archive"; directory?: string };
  natsSubscriptions: NatsSubscriptionConfig[];
  debug?: { dumpToFile?: string; gops?: boolean };
}

/** One entry of `metric-store-external`. */
export interface ExternalMetricStoreConfig {
  /** `"<cluster>-<subcluster>"`, `"<cluster>"` or `"*"`. */
  scope: string;
  url: string;
  token: string;
}

/** Metric selections of `ui.metric-config` (global, per cluster or per subcluster). */
export interface UiMetricSelection {
  jobListMetrics?: string[];
  jobViewPlotMetrics?: string[];
  jobViewTableMetrics?: string[];
}

/** Per-cluster overrides in `ui.metric-config.clusters`. */
export interface UiClusterMetricConfig extends UiMetricSelection {
  name: string;
  subClusters?: (UiMetricSelection & { name: string })[];
}

/** The `ui` section: server-side defaults of the web UI (unknown keys are kept). */
export interface UiConfig {
  jobList: { usePaging: boolean; showFootprint: boolean };
  nodeList: { usePaging: boolean };
  jobView: {
    showPolarPlot: boolean;
    showFootprint: boolean;
    showRoofline: boolean;
    showStatTable: boolean;
  };
  metricConfig: Required<UiMetricSelection> & { clusters: UiClusterMetricConfig[] };
  plotConfiguration: {
    colorBackground: boolean;
    plotsPerRow: number;
    lineWidth: number;
    colorScheme: string[];
  };
  [key: string]: unknown;
}

/** The whole loaded configuration with defaults applied. */
export interface Config {
  main: MainConfig;
  /** Absent → the default `{kind: "file", path: "./var/job-archive"}`. */
  archive: ArchiveConfig;
  cron: CronConfig;
  ui: UiConfig;
  auth?: AuthConfig;
  nats?: NatsConfig;
  metricStore?: MetricStoreConfig;
  metricStoreExternal?: ExternalMetricStoreConfig[];
}
