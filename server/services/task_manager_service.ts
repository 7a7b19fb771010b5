/**
 * The task manager service: empties what an original cc-backend left in
 * `job_cache`, then runs the background tasks of `server/tasks` on their
 * schedules until the server stops (waiting for a running task).
 *
 * @module
 */

import { JobRepository } from "../db/mod.ts";
import { log } from "../log/logger.ts";
import { buildTasks, describeSchedule, Scheduler, type SchedulerOptions } from "../tasks/mod.ts";
import type { RunningService, ServiceContext, ServiceFactory } from "./service_context.ts";

/** Options of {@link createTaskManagerService} (tests inject a clock). */
export interface TaskManagerOptions {
  scheduler?: SchedulerOptions;
}

/** The running task manager; `scheduler` lets callers (and tests) trigger tasks. */
export interface TaskManager extends RunningService {
  scheduler: Scheduler;
}

/** A factory for the task manager; fails (naming the key) on an unparsable cron duration. */
export function createTaskManagerService(
  options: TaskManagerOptions = {},
): (ctx: ServiceContext) => TaskManager {
  return function taskManagerService(ctx: ServiceContext): TaskManager {
    const tasks = buildTasks({
      config: ctx.config,
      db: ctx.db,
      archive: ctx.archive,
      metricStore: ctx.metricStore?.store,
      ldapSync: ctx.provided.ldapSync,
      now: ctx.now,
    });
    const flushed = new JobRepository(ctx.db).flushJobCache();
    if (flushed > 0) log.info(`task manager: moved ${flushed} jobs from job_cache into job`);
    const scheduler = new Scheduler(options.scheduler);
    for (const task of tasks) {
      scheduler.add(task);
      log.info(`task manager: ${task.name} ${describeSchedule(task.schedule)}`);
    }
    scheduler.start();
    return { name: "task manager", scheduler, stop: () => scheduler.stop() };
  };
}

/** The task manager with the real clock. */
export const taskManagerService: ServiceFactory = createTaskManagerService();
