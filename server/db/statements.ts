/**
 * A per-database cache of prepared statements, so repositories prepare each
 * SQL text once, and helpers for reading rows.
 *
 * @module
 */

import type { DatabaseSync, SQLOutputValue, StatementSync } from "node:sqlite";

/** A row as node:sqlite returns it. */
export type Row = Record<string, SQLOutputValue>;

const decoder = new TextDecoder();

/** Text of a TEXT or BLOB value (cc-backend's Go driver writes JSON as BLOB); null stays null. */
export function textOf(value: SQLOutputValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return decoder.decode(value);
  return String(value);
}

/** Prepares each distinct SQL text once for one database. */
export class Statements {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, StatementSync>();

  /** Caches statements of `db`. */
  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** The database the statements belong to. */
  get db(): DatabaseSync {
    return this.#db;
  }

  /** The prepared statement for `sql`, built only from constants and allow-listed identifiers. */
  get(sql: string): StatementSync {
    let statement = this.#cache.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#cache.set(sql, statement);
    }
    return statement;
  }
}
