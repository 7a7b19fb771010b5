/**
 * `-init-db` with its progress display and end-of-run summary.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { FileArchive } from "../../server/archive/mod.ts";
import type { DbConfig } from "../../server/config/mod.ts";
import { initDb } from "../../server/importer/init_db.ts";
import { log } from "../../server/log/logger.ts";
import { countJobDirs } from "../../server/importer/count_job_dirs.ts";
import { createProgressDisplay } from "../init_db_progress.ts";

/** Rebuilds the job tables from `archive`, showing progress, and prints a summary. */
export async function runInitDb(
  db: DatabaseSync,
  archive: FileArchive,
  options: { dbConfig?: Partial<DbConfig> } = {},
): Promise<void> {
  const total = await countJobDirs(archive);
  const display = createProgressDisplay(total);
  const summary = await initDb(db, archive, {
    onProgress: display.update,
    dbConfig: options.dbConfig,
  });
  display.stop();
  for (const failure of summary.failed) {
    log.warn(`init-db: skipped ${failure.path}: ${failure.error}`);
  }
  const rate = summary.seconds > 0 ? Math.round(summary.imported / summary.seconds) : 0;
  console.error(
    `init-db: ${summary.imported} jobs imported, ${summary.failed.length} skipped as invalid, ` +
      `in ${summary.seconds.toFixed(1)} s (${rate} jobs/s)`,
  );
  for (const failure of summary.failed.slice(0, 20)) {
    console.error(`  invalid: ${failure.path}: ${failure.error}`);
  }
  if (summary.failed.length > 20) {
    console.error(`  ... and ${summary.failed.length - 20} more (see the log at level warn)`);
  }
}
