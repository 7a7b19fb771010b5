/**
 * Schema versioning and migrations of the SQLite database.
 *
 * @module
 */

export {
  migrateDown,
  migrateUp,
  type MigrationResult,
  OLDEST_SUPPORTED_VERSION,
} from "./migrate.ts";
export { checkVersion, forceVersion, readVersion, type RecordedVersion } from "./version.ts";
export { type IndexDef, SCHEMA_VERSION, V11_INDEXES } from "./schema_v11.ts";
