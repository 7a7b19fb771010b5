/**
 * `-migrate-db`, `-revert-db` and `-force-db`: schema version changes on
 * `main.db`, each followed by exit.
 *
 * @module
 */
import type { Config } from "../../server/config/mod.ts";
import {
  forceVersion,
  migrateDown,
  migrateUp,
  openDatabase,
  SCHEMA_VERSION,
} from "../../server/db/mod.ts";

/** Runs the one schema command `flags` asks for and returns its success line. */
export function runDbCommand(
  config: Config,
  flags: { migrateDb: boolean; revertDb: boolean; forceDb: boolean },
): string {
  const path = config.main.db;
  const db = openDatabase(path, { dbConfig: config.main.dbConfig });
  try {
    if (flags.migrateDb) {
      const { to } = migrateUp(db);
      return `MigrateDB Success: Migrated SQLite database at '${path}' to version ${to}.`;
    }
    if (flags.revertDb) {
      const { to } = migrateDown(db);
      return `RevertDB Success: Reverted SQLite database at '${path}' to version ${to}.`;
    }
    forceVersion(db, SCHEMA_VERSION);
    return `ForceDB Success: Forced SQLite database at '${path}' to version ${SCHEMA_VERSION}.`;
  } finally {
    db.close();
  }
}
