/**
 * cc-backend's error texts name the failed step first (`adding tag failed:
 * ...`); this puts such a prefix on an error and keeps its status.
 *
 * @module
 */
import { AppError } from "../errors.ts";

/**
 * An AppError `<step>: <message>` with the status of `error` when it is an
 * AppError, else 500 (an unexpected failure of the step).
 */
export function stepError(error: unknown, step: string): AppError {
  if (error instanceof AppError) {
    return new AppError(error.status, `${step}: ${error.message}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(500, `${step}: ${message}`, { cause: error });
}
