/**
 * The metric store's persistence service of `-server` (first in the service
 * list: it restores before anything reads or writes the store):
 *
 * - at start, restores the checkpoints of the retention window and replays
 *   the WAL (`metric-store.checkpoints`);
 * - journals every ingested sample (WAL flushed every second) and writes a
 *   snapshot of every changed host each `checkpoint-interval`;
 * - every `retention-in-memory`, deletes or archives old checkpoint files
 *   (`metric-store.cleanup`);
 * - at stop, writes a final snapshot.
 *
 * @module
 */
import { parseDuration } from "../config/duration.ts";
import { log } from "../log/logger.ts";
import { Checkpointer } from "../metricstore/checkpointer.ts";
import { cleanupCheckpoints } from "../metricstore/cleanup.ts";
import type { RunningService, ServiceContext, ServiceFactory } from "./service_context.ts";

/** The running service, with its checkpointer. */
export interface CheckpointService extends RunningService {
  checkpointer: Checkpointer;
  /** Runs the clean-up once now (also what the timer calls). */
  cleanup(): Promise<void>;
}

/** Options of {@link startCheckpointService} (tests). */
export interface CheckpointServiceOptions {
  flushIntervalMs?: number;
}

/** Starts checkpointing of the built-in store; null without one. */
export async function startCheckpointService(
  ctx: ServiceContext,
  options: CheckpointServiceOptions = {},
): Promise<CheckpointService | null> {
  const service = ctx.metricStore;
  const config = ctx.config.metricStore;
  if (service === undefined || config === undefined) return null;
  const intervalSeconds = Math.floor(parseDuration(config.checkpointInterval || "12h") / 1000);
  const checkpointer = new Checkpointer(service.store, {
    directory: config.checkpoints.directory,
    format: config.checkpoints.fileFormat,
    intervalSeconds: intervalSeconds > 0 ? intervalSeconds : 12 * 3600,
    retentionSeconds: service.retentionSeconds,
    maxWalSize: config.checkpoints.maxWalSize,
    workers: config.numWorkers,
    now: ctx.now,
    flushIntervalMs: options.flushIntervalMs,
  });
  await checkpointer.restore();
  service.ingestor.setSampleSink(checkpointer.journal);
  checkpointer.start();

  let cleaning: Promise<void> | null = null;
  const cleanup = (): Promise<void> => {
    cleaning ??= (async () => {
      try {
        const result = await cleanupCheckpoints({
          directory: config.checkpoints.directory,
          before: ctx.now() - service.retentionSeconds,
          mode: config.cleanup.mode,
          archiveDirectory: config.cleanup.directory,
          warn: (message) => log.warn(message),
        });
        log.info(
          `metric store: checkpoint clean-up ${
            result.mode === "archive" ? "archived" : "deleted"
          } ${result.files} files`,
        );
      } catch (error) {
        log.error(`metric store: checkpoint clean-up failed: ${(error as Error).message}`);
      } finally {
        cleaning = null;
      }
    })();
    return cleaning;
  };
  // Timers take at most 2^31 - 1 ms (24.8 days).
  const timer = setInterval(
    () => void cleanup(),
    Math.min(service.retentionSeconds * 1000, 2 ** 31 - 1),
  );
  Deno.unrefTimer(timer);

  return {
    name:
      `metric-store checkpoints (${config.checkpoints.fileFormat}, ${config.checkpoints.directory})`,
    checkpointer,
    cleanup,
    async stop() {
      clearInterval(timer);
      if (cleaning !== null) await cleaning;
      await checkpointer.stop();
      service.ingestor.setSampleSink(null);
    },
  };
}

/** {@link startCheckpointService} for the service list. */
export const metricStoreCheckpoints: ServiceFactory = (ctx) => startCheckpointService(ctx);
