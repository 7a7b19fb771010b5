/**
 * The error of the rule expression language: what went wrong, where (a
 * 0-based offset into the source, shown 1-based as a column) and in which
 * expression.
 *
 * @module
 */

/** A parse or evaluation error of one expression. */
export class ExprError extends Error {
  /** What went wrong, without the location. */
  readonly reason: string;
  /** 0-based offset of the offending token in `source`. */
  readonly position: number;
  /** The expression text. */
  readonly source: string;

  constructor(reason: string, position: number, source: string) {
    super(`${reason} at column ${position + 1} of ${JSON.stringify(source)}`);
    this.name = "ExprError";
    this.reason = reason;
    this.position = position;
    this.source = source;
  }
}
