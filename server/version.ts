/**
 * Version information printed by `-version` and shown in the UI footer.
 *
 * @module
 */

/** This program's version: the cc-backend release it is compatible with. */
export const VERSION = "1.5.4";

/** The job database schema version this build reads and writes. */
export const DB_VERSION = 11;

/** The job-archive format version this build reads and writes. */
export const ARCHIVE_VERSION = 3;

/** Build metadata, overridable at compile time through environment variables. */
export const BUILD = {
  commit: "development",
  date: "unknown",
};
