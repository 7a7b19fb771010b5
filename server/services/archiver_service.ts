/**
 * The archiver service of `-server`: reads running jobs' data from the
 * built-in metric store (published as `provided.liveJobData` for the job
 * reads), archives every job whose stop is announced on the job hooks,
 * queues the stopped jobs a previous run left unarchived, and drains its
 * queue on stop (bounded by `shutdownTimeoutMs`).
 *
 * @module
 */
import { Archiver, DEFAULT_SHUTDOWN_TIMEOUT_MS } from "../archiver/mod.ts";
import { log } from "../log/logger.ts";
import { JobDataLoader } from "../metricstore/job_data_loader.ts";
import type { RunningService, ServiceContext, ServiceFactory } from "./service_context.ts";

/** Options of {@link startArchiverService}. */
export interface ArchiverServiceOptions {
  /** How long stopping waits for the queue (default 10 s). */
  shutdownTimeoutMs?: number;
}

/** The running service, with its archiver for callers that want to watch it. */
export interface ArchiverService extends RunningService {
  archiver: Archiver;
  loader: JobDataLoader;
}

/**
 * Starts the archiver, or returns null without a built-in metric store
 * (then stopped jobs keep monitoring status 1 until one is configured).
 */
export function startArchiverService(
  ctx: ServiceContext,
  options: ArchiverServiceOptions = {},
): ArchiverService | null {
  if (!ctx.metricStore) {
    log.warn(
      "archiver: no built-in metric store is configured, so stopped jobs are not archived " +
        "(they keep monitoring status 1)",
    );
    return null;
  }
  const loader = new JobDataLoader(ctx.metricStore.store, {
    clusters: ctx.archive,
    now: ctx.now,
    minimumPoints: ctx.config.main.resampling?.minimumPoints,
  });
  ctx.provided.liveJobData = loader;
  const archiver = new Archiver({
    db: ctx.db,
    archive: ctx.archive,
    reader: loader,
    hooks: ctx.jobHooks,
  });
  const unsubscribe = ctx.jobHooks.onJobStopped(function archiveStoppedJob(job) {
    archiver.enqueue(job);
  });
  archiver.recover();
  return {
    name: "archiver",
    archiver,
    loader,
    async stop() {
      unsubscribe();
      const pending = archiver.pending;
      if (pending > 0) log.info(`archiver: draining ${pending} queued jobs`);
      await archiver.shutdown(options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
      const { archived, failed } = archiver.counts;
      log.info(`archiver: ${archived} jobs archived, ${failed} failed during this run`);
    },
  };
}

/** {@link startArchiverService} with the defaults, for the service list. */
export const archiverService: ServiceFactory = (ctx) => startArchiverService(ctx);
