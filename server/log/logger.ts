/**
 * Leveled logging with cc-backend's level names (`debug`, `info`, `warn`,
 * `err`, `crit`), written to stderr, optionally with date and time.
 *
 * @module
 */

/** The log levels in increasing severity. */
export const LOG_LEVELS = ["debug", "info", "warn", "err", "crit"] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = typeof LOG_LEVELS[number];

const PREFIX: Record<LogLevel, string> = {
  debug: "<7>[DEBUG]   ",
  info: "<6>[INFO]    ",
  warn: "<4>[WARNING] ",
  err: "<3>[ERROR]   ",
  crit: "<2>[CRITICAL]",
};

let threshold = LOG_LEVELS.indexOf("warn");
let withDate = false;
let sink: (line: string) => void = (line) => console.error(line);

/** Sets the minimum level and whether lines carry a timestamp. */
export function configureLogger(options: { level?: LogLevel; logDate?: boolean }): void {
  if (options.level) threshold = LOG_LEVELS.indexOf(options.level);
  if (options.logDate !== undefined) withDate = options.logDate;
}

/** Replaces where log lines go (tests capture them); returns the previous sink. */
export function setLogSink(next: (line: string) => void): (line: string) => void {
  const previous = sink;
  sink = next;
  return previous;
}

function emit(level: LogLevel, parts: unknown[]): void {
  if (LOG_LEVELS.indexOf(level) < threshold) return;
  const text = parts.map((p) => p instanceof Error ? p.message : String(p)).join(" ");
  const date = withDate ? new Date().toISOString().replace("T", " ").slice(0, 19) + " " : "";
  sink(`${PREFIX[level]} ${date}${text}`);
}

/** The project's logger. */
export const log = {
  debug: (...parts: unknown[]) => emit("debug", parts),
  info: (...parts: unknown[]) => emit("info", parts),
  warn: (...parts: unknown[]) => emit("warn", parts),
  error: (...parts: unknown[]) => emit("err", parts),
  crit: (...parts: unknown[]) => emit("crit", parts),
};
