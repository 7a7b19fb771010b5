/**
 * The `configuration` table: per-user UI settings, one JSON value per key.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { AppError, badInput } from "../errors.ts";
import { sqlError } from "./sql_errors.ts";
import { type Row, Statements, textOf } from "./statements.ts";

function parse(username: string, key: string, source: string | null): unknown {
  if (source === null) return null;
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new AppError(
      500,
      `configuration ${JSON.stringify(key)} of user ${JSON.stringify(username)} ` +
        "does not hold valid JSON",
      { cause: error },
    );
  }
}

/** Reads and writes users' configuration values. */
export class UserConfigRepository {
  readonly #sql: Statements;

  /** Wraps an open database at schema version 11. */
  constructor(db: DatabaseSync) {
    this.#sql = new Statements(db);
  }

  /** The parsed value of `key` for `username`, or undefined if none is stored. */
  getConfig(username: string, key: string): unknown {
    const row = this.#sql.get("SELECT value FROM configuration WHERE username = ? AND confkey = ?")
      .get(username, key);
    return row ? parse(username, key, textOf(row.value)) : undefined;
  }

  /**
   * Stores `entry.value` (serialised as JSON) under `entry.key` for `username`,
   * replacing an earlier value. Throws a 404 if the user does not exist.
   */
  setConfig(username: string, entry: { key: string; value: unknown }): void {
    const attempt = `cannot set configuration ${JSON.stringify(entry.key)} ` +
      `for user ${JSON.stringify(username)}`;
    if (entry.key === "") throw badInput(`${attempt}: empty key`);
    const text = JSON.stringify(entry.value);
    if (text === undefined) throw badInput(`${attempt}: value is not representable as JSON`);
    if (!this.#sql.get("SELECT 1 AS found FROM hpc_user WHERE username = ?").get(username)) {
      throw new AppError(404, `${attempt}: no such user`);
    }
    try {
      this.#sql.get(
        "INSERT INTO configuration (username, confkey, value) VALUES (?, ?, ?) " +
          "ON CONFLICT (username, confkey) DO UPDATE SET value = excluded.value",
      ).run(username, entry.key, text);
    } catch (error) {
      throw sqlError(attempt, error);
    }
  }

  /** Removes `key` for `username`; false if it was not set. */
  deleteConfig(username: string, key: string): boolean {
    const result = this.#sql.get("DELETE FROM configuration WHERE username = ? AND confkey = ?")
      .run(username, key);
    return Number(result.changes) > 0;
  }

  /** Every key of `username` with its parsed value. */
  listConfig(username: string): Record<string, unknown> {
    const rows = this.#sql.get(
      "SELECT confkey, value FROM configuration WHERE username = ? ORDER BY confkey",
    ).all(username) as Row[];
    const result: Record<string, unknown> = {};
    for (const row of rows) {
      const key = String(row.confkey);
      result[key] = parse(username, key, textOf(row.value));
    }
    return result;
  }
}
