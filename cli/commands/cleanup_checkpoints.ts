/**
 * `-cleanup-checkpoints`: deletes (cleanup mode `delete`) or archives to
 * Parquet (`archive`) the metric-store checkpoint files older than
 * `now - retention-in-memory`, once, and reports how many.
 *
 * @module
 */
import type { Config } from "../../server/config/mod.ts";
import { parseDuration } from "../../server/config/duration.ts";
import { log } from "../../server/log/logger.ts";
import { cleanupCheckpoints } from "../../server/metricstore/cleanup.ts";

/** Runs the clean-up; resolves to the line to print. Throws without a `metric-store` section. */
export async function runCleanupCheckpoints(
  config: Config,
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  const store = config.metricStore;
  if (!store) {
    throw new Error(
      '-cleanup-checkpoints: needs a "metric-store" section in config.json (none is configured)',
    );
  }
  const retention = Math.floor(parseDuration(store.retentionInMemory) / 1000);
  const result = await cleanupCheckpoints({
    directory: store.checkpoints.directory,
    before: now - retention,
    mode: store.cleanup.mode,
    archiveDirectory: store.cleanup.directory,
    warn: (message) => log.warn(message),
  });
  const what = result.mode === "archive" ? "archived to parquet" : "deleted";
  return `Cleanup done: ${result.files} checkpoint files ${what}.`;
}
