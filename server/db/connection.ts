/**
 * Opening the SQLite database with the pragmas cc-backend uses (WAL,
 * synchronous NORMAL, foreign keys, busy timeout, cache size, in-memory temp
 * store, soft heap limit), and a transaction helper.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { AppError } from "../errors.ts";
import { DB_CONFIG_DEFAULTS, type DbConfig } from "../config/mod.ts";

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** Tuning from `main.db-config`. */
  dbConfig?: Partial<DbConfig>;
  /** Open without write access (no journal-mode change is attempted). */
  readOnly?: boolean;
}

/** Returns `db-config` with every missing or non-positive value replaced by its default. */
export function resolveDbConfig(config: Partial<DbConfig> = {}): DbConfig {
  const resolved = { ...DB_CONFIG_DEFAULTS };
  for (const key of Object.keys(DB_CONFIG_DEFAULTS) as (keyof DbConfig)[]) {
    const value = config[key];
    if (typeof value === "number" && Number.isFinite(value) && value > 0) {
      resolved[key] = Math.floor(value);
    }
  }
  return resolved;
}

/**
 * Opens (creating if needed, unless read-only) the SQLite file at `path` and
 * applies cc-backend's connection pragmas. The parent directory must exist.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): DatabaseSync {
  const config = resolveDbConfig(options.dbConfig);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, {
      readOnly: options.readOnly ?? false,
      enableForeignKeyConstraints: true,
      // Schemas written by cc-backend quote string literals with double quotes
      // (e.g. CHECK (shared IN ("none", ...)), DEFAULT "[]"); SQLite rejects them
      // when it re-parses the schema (ALTER TABLE) unless this is on, as it is in
      // the Go driver's SQLite build.
      enableDoubleQuotedStringLiterals: true,
      timeout: config.busyTimeoutMs,
    });
  } catch (error) {
    throw new AppError(500, `cannot open database "${path}": ${errorText(error)}`, {
      cause: error,
    });
  }
  try {
    // PRAGMA arguments cannot be bound; every value here is an integer we computed.
    if (!options.readOnly) db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
    db.exec(`PRAGMA busy_timeout = ${config.busyTimeoutMs}`);
    db.exec(`PRAGMA cache_size = -${config.cacheSizeMb * 1024}`);
    db.exec("PRAGMA temp_store = memory");
    db.exec(`PRAGMA soft_heap_limit = ${config.softHeapLimitMb * 1024 * 1024}`);
  } catch (error) {
    db.close();
    throw new AppError(500, `cannot configure database "${path}": ${errorText(error)}`, {
      cause: error,
    });
  }
  return db;
}

/**
 * Runs `fn` inside a transaction (`BEGIN IMMEDIATE`, or a savepoint when one is
 * already open): commits when it returns, rolls back and rethrows when it throws.
 */
export function withTransaction<T>(db: DatabaseSync, fn: () => T): T {
  if (db.isTransaction) {
    db.exec("SAVEPOINT nested");
    try {
      const result = fn();
      db.exec("RELEASE nested");
      return result;
    } catch (error) {
      db.exec("ROLLBACK TO nested");
      db.exec("RELEASE nested");
      throw error;
    }
  }
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
