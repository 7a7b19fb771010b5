/**
 * The one error type for failures that should reach a user with a status code
 * and a message naming what was wrong.
 *
 * @module
 */

/** A failure with an HTTP-style status and a message that says what was attempted. */
export class AppError extends Error {
  /** HTTP status code to answer with (400 bad input, 404 missing, 422 conflict, 500 internal). */
  readonly status: number;

  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AppError";
    this.status = status;
  }
}

/** Shorthand for a 400 error about bad input. */
export function badInput(message: string): AppError {
  return new AppError(400, message);
}
