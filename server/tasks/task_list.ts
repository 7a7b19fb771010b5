/**
 * The background tasks cc-backend's task manager runs, built from the
 * configuration. Interval tasks start one interval after the server;
 * daily tasks run at a local wall-clock time:
 *
 * | task | schedule | when |
 * |---|---|---|
 * | node-state retention delete / move | 02:00 / 02:30 | `main.nodestate-retention` |
 * | stop jobs exceeding walltime | 03:00 | `main.stop-jobs-exceeding-walltime` > 0 |
 * | archive retention delete / copy / move | 03:00 / 04:00 / 05:00 | `archive.retention.policy` |
 * | archive compression | 05:00 | always |
 * | LDAP sync | `auth.ldap.sync-interval` | set, and LDAP available |
 * | footprint worker | `cron.footprint-worker` (10m) | a built-in metric store |
 * | duration worker | `cron.duration-worker` (5m) | always |
 *
 * `cron.commit-job-worker` is checked but has no task: this program never
 * stages jobs in `job_cache` (the task manager service empties it once at
 * start).
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { FileArchive } from "../archive/mod.ts";
import { type Config, parseDuration } from "../config/mod.ts";
import { log } from "../log/logger.ts";
import type { MemoryStore } from "../metricstore/mod.ts";
import { retentionProblem, runArchiveRetention } from "./archive_retention.ts";
import { compressArchive } from "./compress_archive.ts";
import { failJobsExceedingWalltime, updateRunningDurations } from "./job_task_queries.ts";
import { nodeStateRetentionProblem, runNodeStateRetention } from "./node_state_retention.ts";
import { updateRunningFootprints } from "./running_footprints.ts";
import { metricStoreStats } from "./running_job_stats.ts";
import type { Schedule, Task } from "./scheduler.ts";

/** What the tasks work on. */
export interface TaskDeps {
  config: Config;
  db: DatabaseSync;
  archive: FileArchive;
  /** The built-in metric store, when configured (footprints of running jobs). */
  metricStore?: MemoryStore;
  /** Synchronises users from LDAP (provided by the LDAP authenticator). */
  ldapSync?: () => Promise<void>;
  /** Clock in unix seconds. */
  now: () => number;
}

const daily = (hour: number, minute = 0): Schedule => ({ dailyAt: { hour, minute } });

/** Runs the functions passed to it one after the other (tasks that share the archive). */
function oneAtATime(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const next = tail.then(fn);
    tail = next.catch(() => {});
    return next;
  };
}

/** Parses the Go duration at config path `key` into milliseconds; throws naming the key. */
function parseConfigDuration(key: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    throw new Error(`cannot start the task manager: ${key}: ${(error as Error).message}`);
  }
}

/**
 * The interval at config path `key` (e.g. `cron.duration-worker`) in
 * milliseconds; null (with a warning) for a zero or negative one, which
 * disables the task; throws naming the key for text that is no Go duration.
 */
export function intervalOf(key: string, text: string): number | null {
  const ms = parseConfigDuration(key, text);
  if (ms <= 0) {
    log.warn(`task manager: ${key} is ${JSON.stringify(text)}, the task is disabled`);
    return null;
  }
  return ms;
}

function jobTasks(deps: TaskDeps): Task[] {
  const { config, db } = deps;
  const tasks: Task[] = [];
  const seconds = config.main.stopJobsExceedingWalltime;
  if (seconds > 0) {
    tasks.push({
      name: "stop jobs exceeding walltime",
      schedule: daily(3),
      run: () => {
        const stopped = failJobsExceedingWalltime(db, { now: deps.now(), seconds });
        log.info(`task manager: marked ${stopped} jobs running beyond their walltime as failed`);
      },
    });
  }
  const durationEvery = intervalOf("cron.duration-worker", config.cron.durationWorker);
  if (durationEvery !== null) {
    tasks.push({
      name: "duration worker",
      schedule: { every: durationEvery },
      run: () => {
        const updated = updateRunningDurations(db, deps.now());
        log.info(`task manager: updated the duration of ${updated} running jobs`);
      },
    });
  }
  const footprintEvery = intervalOf("cron.footprint-worker", config.cron.footprintWorker);
  // Checked like the others, though there is no commit-job task (see the module notes).
  parseConfigDuration("cron.commit-job-worker", config.cron.commitJobWorker);
  if (footprintEvery !== null) {
    const store = deps.metricStore;
    if (!store) {
      log.info(
        "task manager: no built-in metric store, footprints of running jobs stay as they are",
      );
    } else {
      const stats = metricStoreStats(store);
      tasks.push({
        name: "footprint worker",
        schedule: { every: footprintEvery },
        run: () => {
          const r = updateRunningFootprints({
            db,
            clusters: deps.archive.clusters(),
            stats,
            now: deps.now(),
          });
          log.info(
            `task manager: updated ${r.updated} of ${r.jobs} footprints of running jobs ` +
              `(${r.skipped} skipped)`,
          );
        },
      });
    }
  }
  return tasks;
}

function archiveTasks(deps: TaskDeps): Task[] {
  const { config, db, archive } = deps;
  const tasks: Task[] = [];
  // Retention `move` and compression both start at 05:00 and would work on the same directories.
  const exclusive = oneAtATime();
  const retention = config.archive.retention;
  if (retention && retention.policy !== "none") {
    const problem = retentionProblem(retention);
    if (problem) {
      log.error(`task manager: archive retention ${retention.policy} is disabled: ${problem}`);
    } else {
      const hour = { delete: 3, copy: 4, move: 5 }[retention.policy];
      tasks.push({
        name: `archive retention ${retention.policy}`,
        schedule: daily(hour),
        run: () =>
          exclusive(async () => {
            const r = await runArchiveRetention({ db, archive, retention, now: deps.now() });
            log.info(
              `task manager: archive retention ${r.policy}: ${r.jobs} jobs started before ` +
                `${r.cutoff}, ${r.transferred} written to ${retention.targetPath ?? "-"}, ` +
                `${r.removed} removed from the archive, ${r.dbDeleted} deleted from the database, ` +
                `${r.failed} failed`,
            );
          }),
      });
    }
  }
  tasks.push({
    name: "archive compression",
    schedule: daily(5),
    run: () =>
      exclusive(async () => {
        const r = await compressArchive({
          db,
          archive,
          days: config.archive.compression,
          now: deps.now(),
        });
        log.info(
          `task manager: compressed the data of ${r.compressed} of ${r.jobs} jobs started ` +
            `from ${r.from} to ${r.before} (${r.failed} failed)`,
        );
      }),
  });
  return tasks;
}

function nodeStateTasks(deps: TaskDeps): Task[] {
  const retention = deps.config.main.nodestateRetention;
  if (!retention) return [];
  const problem = nodeStateRetentionProblem(retention);
  if (problem) {
    log.error(`task manager: node-state retention ${retention.policy} is disabled: ${problem}`);
    return [];
  }
  return [{
    name: `node-state retention ${retention.policy}`,
    schedule: retention.policy === "delete" ? daily(2) : daily(2, 30),
    run: async () => {
      const r = await runNodeStateRetention({
        db: deps.db,
        config: retention,
        now: deps.now(),
      });
      const files = r.files.length > 0 ? ` in ${r.files.length} files` : "";
      log.info(
        `task manager: node-state retention ${r.policy}: ${r.written} rows written${files}, ` +
          `${r.deleted} rows older than ${r.cutoff} deleted`,
      );
    },
  }];
}

function ldapTasks(deps: TaskDeps): Task[] {
  const text = deps.config.auth?.ldap?.syncInterval ?? "";
  if (text === "") return [];
  const every = intervalOf("auth.ldap.sync-interval", text);
  if (every === null) return [];
  const sync = deps.ldapSync;
  if (!sync) {
    log.warn("task manager: auth.ldap.sync-interval is set, but LDAP is not available: no sync");
    return [];
  }
  return [{ name: "ldap sync", schedule: { every }, run: sync }];
}

/** Builds the tasks the configuration asks for; throws when a duration cannot be parsed. */
export function buildTasks(deps: TaskDeps): Task[] {
  return [
    ...nodeStateTasks(deps),
    ...jobTasks(deps),
    ...archiveTasks(deps),
    ...ldapTasks(deps),
  ];
}
