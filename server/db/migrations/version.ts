/**
 * The recorded schema version, kept like golang-migrate does it: a single row
 * `(version, dirty)` in `schema_migrations`, so databases move freely between
 * cc-backend and this implementation.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { AppError } from "../../errors.ts";
import { log } from "../../log/logger.ts";
import { withTransaction } from "../connection.ts";
import { SCHEMA_VERSION } from "./schema_v11.ts";

/** The recorded version; `version` is null when nothing is recorded (new or legacy database). */
export interface RecordedVersion {
  version: number | null;
  dirty: boolean;
}

/** Reads the recorded version without changing the database. */
export function readVersion(db: DatabaseSync): RecordedVersion {
  const table = db.prepare(
    "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
  ).get();
  if (!table) return { version: null, dirty: false };
  const row = db.prepare("SELECT version, dirty FROM schema_migrations LIMIT 1").get();
  if (!row) return { version: null, dirty: false };
  return { version: Number(row.version), dirty: Boolean(Number(row.dirty)) };
}

/** Records `version` and the dirty flag, creating `schema_migrations` if needed. */
export function writeVersion(db: DatabaseSync, version: number, options: { dirty: boolean }): void {
  withTransaction(db, () => {
    db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version uint64, dirty bool)");
    db.exec(
      "CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version)",
    );
    db.exec("DELETE FROM schema_migrations");
    db.prepare("INSERT INTO schema_migrations (version, dirty) VALUES (?, ?)").run(
      version,
      options.dirty ? 1 : 0,
    );
  });
}

/**
 * Records version 11 as clean without running any SQL (`-force-db`), for
 * databases fixed by hand after a failed migration.
 */
export function forceVersion(db: DatabaseSync, version: number = SCHEMA_VERSION): void {
  writeVersion(db, version, { dirty: false });
  log.info(`forced database version to ${version}`);
}

/**
 * Throws unless the database is at version 11 and clean, with the messages
 * cc-backend prints at start-up. A database without a recorded version counts
 * as version 0 (after a warning).
 */
export function checkVersion(db: DatabaseSync): void {
  const recorded = readVersion(db);
  if (recorded.version === null) {
    log.warn("Legacy database without version or missing database file!");
  }
  const version = recorded.version ?? 0;
  if (version < SCHEMA_VERSION) {
    throw new AppError(
      500,
      `unsupported database version ${version}, need ${SCHEMA_VERSION}. ` +
        "Please backup your database file and run cc-backend -migrate-db",
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new AppError(
      500,
      `unsupported database version ${version}, need ${SCHEMA_VERSION}: the database is newer ` +
        "than this cc-backend; downgrade it with an external migrate tool",
    );
  }
  if (recorded.dirty) {
    throw new AppError(
      500,
      `last migration to version ${version} has failed, ` +
        "please fix the db manually and force version with -force-db flag",
    );
  }
}
