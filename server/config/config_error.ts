/**
 * The error type of this module: configuration (config.json, .env) that
 * cannot be used, with every reason listed.
 *
 * @module
 */

/** Configuration could not be used; `problems` lists every reason, one per line of `message`. */
export class ConfigError extends Error {
  /** Each problem, e.g. `config.json: main.addr: expected string, found number 8080`. */
  readonly problems: string[];

  constructor(problems: string[], options?: { cause?: unknown }) {
    super(problems.join("\n"), options);
    this.name = "ConfigError";
    this.problems = problems;
  }
}
