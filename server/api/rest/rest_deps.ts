/**
 * What the REST route modules are built from.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { FileArchive } from "../../archive/mod.ts";
import type { ApiTokenVerifier } from "../../auth/verify_api_token.ts";
import type { Config } from "../../config/mod.ts";
import type { JobHooks } from "../../jobs/job_hooks.ts";
import type { JobDataSource } from "../../jobs/job_data_source.ts";
import type { JobWriter } from "../../jobs/job_writer.ts";
import type { NodeHealthChecker } from "../../nodes/mod.ts";
import type { MetricStoreService } from "../../metricstore/mod.ts";

/** Dependencies shared by every REST route module. */
export interface RestDeps {
  db: DatabaseSync;
  archive: FileArchive;
  config: Config;
  verifier: ApiTokenVerifier;
  /** Metric health of node-state updates; unset until a metric store is plugged in. */
  nodeHealth?: NodeHealthChecker;
  /** Metric data of running jobs (the metric store); unset until one is plugged in. */
  liveJobData?: JobDataSource;
  /**
   * Where start_job/stop_job write (the server's runs on a worker thread);
   * unset means in-process on `db`.
   */
  jobWriter?: JobWriter;
  /** Job start and stop events (archiver, taggers subscribe); unset means nobody listens. */
  jobHooks?: JobHooks;
  /** The built-in metric store (`metric-store` section); its write/free/debug/query routes. */
  metricStore?: MetricStoreService;
  /** Injected clock (unix seconds) so tests do not depend on the wall clock. */
  now?: () => number;
}
