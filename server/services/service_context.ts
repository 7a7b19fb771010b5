/**
 * What the server's background services (archiver, taggers, task manager,
 * NATS, metric-store checkpoints) are started with, and what they return.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { FileArchive } from "../archive/mod.ts";
import type { Config } from "../config/mod.ts";
import type { JobHooks } from "../jobs/job_hooks.ts";
import type { JobDataSource } from "../jobs/job_data_source.ts";
import type { MetricStoreService } from "../metricstore/mod.ts";
import type { TaggerControl } from "../tagger/mod.ts";

/** Shared state of one server process. */
export interface ServiceContext {
  config: Config;
  db: DatabaseSync;
  archive: FileArchive;
  /** Job start/stop events. */
  jobHooks: JobHooks;
  /** The built-in metric store, when configured. */
  metricStore?: MetricStoreService;
  /** Clock in unix seconds. */
  now: () => number;
  /**
   * Services may publish things the HTTP layer uses (e.g. the metric store's
   * data of running jobs); start order decides who sees what.
   */
  provided: {
    liveJobData?: JobDataSource;
    /** On-demand tagger runs for the admin API (`/config/taggers/`). */
    taggers?: TaggerControl;
    /** Synchronises users from LDAP; the task manager runs it every `auth.ldap.sync-interval`. */
    ldapSync?: () => Promise<void>;
  };
}

/** A started service; `stop` drains and releases what it holds (called in reverse start order). */
export interface RunningService {
  name: string;
  stop(): Promise<void>;
}

/** Starts one service, or returns null when its configuration leaves it off. */
export type ServiceFactory = (
  ctx: ServiceContext,
) => Promise<RunningService | null> | RunningService | null;
