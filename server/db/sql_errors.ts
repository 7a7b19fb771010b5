/**
 * Turns SQLite constraint failures into {@link AppError}s whose message says
 * what was attempted and which field was at fault.
 *
 * @module
 */

import { AppError } from "../errors.ts";

/** Options of {@link sqlError}. */
export interface SqlErrorOptions {
  /** Values of the attempted row, to quote the offending one in CHECK failures. */
  values?: Record<string, unknown>;
}

/**
 * Wraps an error thrown by node:sqlite. `attempt` describes the operation, e.g.
 * `cannot insert job 123 on "fritz"`. UNIQUE and primary-key failures become
 * 422, CHECK / NOT NULL / foreign-key failures 400, anything else 500.
 */
export function sqlError(attempt: string, error: unknown, options: SqlErrorOptions = {}): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const unique = /UNIQUE constraint failed: (.+)$/.exec(message);
  if (unique) {
    return new AppError(
      422,
      `${attempt}: a row with the same (${columnsOf(unique[1])}) already exists`,
      {
        cause: error,
      },
    );
  }
  const check = /CHECK constraint failed: (\w+)/.exec(message);
  if (check) {
    const field = check[1];
    const value = options.values?.[field];
    const shown = value === undefined ? "" : ` ${JSON.stringify(value)}`;
    return new AppError(400, `${attempt}: invalid value${shown} for field "${field}"`, {
      cause: error,
    });
  }
  const notNull = /NOT NULL constraint failed: (\S+)/.exec(message);
  if (notNull) {
    return new AppError(400, `${attempt}: field "${columnsOf(notNull[1])}" must not be null`, {
      cause: error,
    });
  }
  if (message.includes("FOREIGN KEY constraint failed")) {
    return new AppError(400, `${attempt}: a referenced row does not exist`, { cause: error });
  }
  return new AppError(500, `${attempt}: ${message}`, { cause: error });
}

function columnsOf(list: string): string {
  return list.split(",").map((c) => c.trim().replace(/^\w+\./, "")).join(", ");
}
