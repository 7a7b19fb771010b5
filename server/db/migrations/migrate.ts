/**
 * Schema migrations: empty → 11, 10 → 11 and 11 → 10. Each step runs in one
 * transaction; like golang-migrate, the target version is recorded as dirty
 * before the step and as clean after it, so a failed step leaves dirty = true.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { AppError } from "../../errors.ts";
import { log } from "../../log/logger.ts";
import { withTransaction } from "../connection.ts";
import { LEGACY_INDEX_NAMES, V10_INDEXES } from "./schema_v10.ts";
import {
  type IndexDef,
  indexSql,
  JOB_TABLE_COLUMNS,
  type JobTableName,
  jobTableSql,
  nodeStateTableSql,
  SCHEMA_VERSION,
  V11_INDEXES,
  V11_TABLES,
} from "./schema_v11.ts";
import { readVersion, writeVersion } from "./version.ts";

/** The versions a migration call went from and to. */
export interface MigrationResult {
  from: number;
  to: number;
}

/** The oldest version whose upgrade path this implementation knows. */
export const OLDEST_SUPPORTED_VERSION = 10;

/**
 * Brings the database to version 11 (`-migrate-db`): creates the whole schema
 * in an empty database, upgrades version 10, and does nothing at version 11.
 */
export function migrateUp(db: DatabaseSync): MigrationResult {
  const recorded = readVersion(db);
  const from = recorded.version ?? 0;
  if (recorded.dirty) throw dirtyError(from);
  if (from === SCHEMA_VERSION) {
    log.info(`database is already at version ${SCHEMA_VERSION}`);
    return { from, to: from };
  }
  if (from > SCHEMA_VERSION) {
    throw new AppError(
      500,
      `cannot migrate database version ${from} up to ${SCHEMA_VERSION}: it is already newer`,
    );
  }
  if (from === 0) {
    const tables = userTables(db);
    if (tables.length > 0) {
      throw new AppError(
        500,
        `cannot migrate: the database has tables (${tables.join(", ")}) but no recorded ` +
          "schema version; back it up and set its version with cc-backend 1.5",
      );
    }
    runStep(db, SCHEMA_VERSION, createSchema);
  } else if (from < OLDEST_SUPPORTED_VERSION) {
    throw new AppError(
      500,
      `database version ${from} is older than ${OLDEST_SUPPORTED_VERSION}; ` +
        "migrate it with cc-backend 1.5 first",
    );
  } else {
    runStep(db, SCHEMA_VERSION, upgrade10To11);
  }
  log.info(`migrated database from version ${from} to ${SCHEMA_VERSION}`);
  return { from, to: SCHEMA_VERSION };
}

/** Reverts version 11 to version 10 (`-revert-db`). */
export function migrateDown(db: DatabaseSync): MigrationResult {
  const recorded = readVersion(db);
  const from = recorded.version ?? 0;
  if (recorded.dirty) throw dirtyError(from);
  if (from !== SCHEMA_VERSION) {
    throw new AppError(
      500,
      `cannot revert database version ${from}: only version ${SCHEMA_VERSION} can be reverted ` +
        `to ${SCHEMA_VERSION - 1}`,
    );
  }
  runStep(db, SCHEMA_VERSION - 1, downgrade11To10);
  log.info(`reverted database from version ${from} to ${SCHEMA_VERSION - 1}`);
  return { from, to: SCHEMA_VERSION - 1 };
}

function dirtyError(version: number): AppError {
  return new AppError(
    500,
    `cannot migrate: database version ${version} is dirty (a previous migration failed); ` +
      "fix the db manually and force version with -force-db flag",
  );
}

/**
 * Runs one step with foreign keys off (table rebuilds must not cascade), in a
 * transaction, bracketed by the dirty/clean version records.
 */
function runStep(db: DatabaseSync, target: number, step: (db: DatabaseSync) => void): void {
  if (db.isTransaction) {
    throw new AppError(500, `cannot migrate to version ${target} inside an open transaction`);
  }
  writeVersion(db, target, { dirty: true });
  const foreignKeys = Number(db.prepare("PRAGMA foreign_keys").get()?.foreign_keys ?? 0);
  db.exec("PRAGMA foreign_keys = OFF");
  try {
    withTransaction(db, () => step(db));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError(500, `migration to version ${target} failed: ${message}`, {
      cause: error,
    });
  } finally {
    if (foreignKeys) db.exec("PRAGMA foreign_keys = ON");
  }
  writeVersion(db, target, { dirty: false });
  db.exec("PRAGMA optimize");
}

function userTables(db: DatabaseSync): string[] {
  return db.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' " +
      "AND name <> 'schema_migrations' ORDER BY name",
  ).all().map((row) => String(row.name));
}

function createSchema(db: DatabaseSync): void {
  for (const sql of V11_TABLES) db.exec(sql);
  for (const index of V11_INDEXES) db.exec(indexSql(index));
}

function tableSql(db: DatabaseSync, table: string): string {
  const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(table);
  if (!row) throw new Error(`table ${table} is missing`);
  return String(row.sql);
}

function columnsOf(db: DatabaseSync, table: string): string[] {
  return db.prepare("SELECT name FROM pragma_table_info(?)").all(table).map((r) => String(r.name));
}

/**
 * Copies a job table into one with the v11 definition, keeping ids and every
 * value except the old state spelling 'out-of-memory', which becomes 'out_of_memory'.
 */
function rebuildJobTable(db: DatabaseSync, table: JobTableName): void {
  const columns = JOB_TABLE_COLUMNS.join(", ");
  const selected = JOB_TABLE_COLUMNS.map((c) =>
    c === "job_state"
      ? "CASE job_state WHEN 'out-of-memory' THEN 'out_of_memory' ELSE job_state END"
      : c
  ).join(", ");
  const temp = `${table}_v11`;
  db.exec(jobTableSql(table, temp));
  db.exec(`INSERT INTO ${temp} (${columns}) SELECT ${selected} FROM ${table}`);
  db.exec(`DROP TABLE ${table}`);
  db.exec(`ALTER TABLE ${temp} RENAME TO ${table}`);
  log.info(`rebuilt table ${table} with the corrected job_state CHECK`);
}

/** Adds `health_metrics` to `node_state` at its v11 position by rebuilding the table. */
function rebuildNodeState(db: DatabaseSync, existing: string[]): void {
  const columns = existing.join(", ");
  db.exec(nodeStateTableSql("node_state_v11"));
  db.exec(`INSERT INTO node_state_v11 (${columns}) SELECT ${columns} FROM node_state`);
  db.exec("DROP TABLE node_state");
  db.exec("ALTER TABLE node_state_v11 RENAME TO node_state");
}

function indexColumns(db: DatabaseSync, name: string): string[] {
  return db.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno").all(name)
    .map((row) => String(row.name));
}

/** Creates each index, first dropping a same-named one whose key columns differ. */
function ensureIndexes(db: DatabaseSync, indexes: readonly IndexDef[]): void {
  for (const index of indexes) {
    const present = indexColumns(db, index.name);
    const wanted = index.columns.map((c) => c.split(" ")[0]);
    if (present.length > 0 && present.join(",") !== wanted.join(",")) {
      db.exec(`DROP INDEX ${index.name}`);
    }
    db.exec(indexSql(index));
  }
}

function upgrade10To11(db: DatabaseSync): void {
  for (const table of ["job", "job_cache"] as const) {
    if (tableSql(db, table).includes("'out-of-memory'")) rebuildJobTable(db, table);
  }
  tableSql(db, "node_state");
  const stateColumns = columnsOf(db, "node_state");
  if (!stateColumns.includes("health_metrics")) rebuildNodeState(db, stateColumns);
  for (const name of LEGACY_INDEX_NAMES) db.exec(`DROP INDEX IF EXISTS ${name}`);
  ensureIndexes(db, V11_INDEXES);
  warnAboutUnknownIndexes(db);
}

function downgrade11To10(db: DatabaseSync): void {
  const keep = new Set(V10_INDEXES.map((index) => index.name));
  for (const index of V11_INDEXES) {
    if (!keep.has(index.name)) db.exec(`DROP INDEX IF EXISTS ${index.name}`);
  }
  ensureIndexes(db, V10_INDEXES);
  // The job_state CHECK keeps the 'out_of_memory' spelling: version 10 as
  // cc-backend's own migrations create it has that spelling too.
  if (columnsOf(db, "node_state").includes("health_metrics")) {
    db.exec("ALTER TABLE node_state DROP COLUMN health_metrics");
  }
}

function warnAboutUnknownIndexes(db: DatabaseSync): void {
  const known = new Set(V11_INDEXES.map((index) => index.name));
  const unknown = db.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL " +
      "AND tbl_name <> 'schema_migrations' ORDER BY name",
  ).all().map((row) => String(row.name)).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    log.warn(`database keeps indexes that schema ${SCHEMA_VERSION} does not define: ${unknown}`);
  }
}
