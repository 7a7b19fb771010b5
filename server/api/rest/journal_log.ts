/**
 * The admin log viewer's source: `journalctl --output=json` for the unit of
 * `main.systemd-unit`, with cc-backend's parameter checks (`since`,
 * `lines` 1..1000, `level` 0..7, `search`). Where journalctl is missing
 * the caller gets a clear 503 instead of a crash.
 *
 * @module
 */
import { AppError, badInput } from "../../errors.ts";

/** One log line as `/frontend/logs/` returns it. */
export interface JournalEntry {
  timestamp: string;
  priority: number;
  message: string;
  unit: string;
}

/** The request's parameters, unchecked, as strings ("" when absent). */
export interface JournalQuery {
  since: string;
  lines: string;
  level: string;
  search: string;
}

/** What to run. */
export interface JournalOptions {
  unit: string;
  /** The program (default `journalctl`; tests use a stand-in). */
  command?: string;
  timeoutMs?: number;
}

const SAFE_TEXT = /^[a-zA-Z0-9 :\-.]+$/;

/** The journalctl arguments for `query`; throws cc-backend's 400s for bad parameters. */
export function journalArgs(query: JournalQuery, unit: string): string[] {
  const since = query.since || "1 hour ago";
  if (!SAFE_TEXT.test(since)) throw badInput("invalid 'since' parameter");
  let lines = 200;
  if (query.lines !== "") {
    lines = Number(query.lines);
    if (!/^\d+$/.test(query.lines) || lines < 1) throw badInput("invalid 'lines' parameter");
    lines = Math.min(lines, 1000);
  }
  const args = ["--output=json", "--no-pager", "-n", String(lines), "--since", since, "-u", unit];
  if (query.level !== "") {
    if (!/^[0-7]$/.test(query.level)) throw badInput("invalid 'level' parameter (must be 0-7)");
    args.push("--priority", query.level);
  }
  if (query.search !== "") {
    if (!SAFE_TEXT.test(query.search)) throw badInput("invalid 'search' parameter");
    args.push("--grep", query.search);
  }
  return args;
}

function messageText(value: unknown): string {
  if (typeof value === "string") return value;
  // journalctl writes non-UTF-8 messages as byte arrays.
  if (Array.isArray(value)) {
    return new TextDecoder().decode(Uint8Array.from(value.filter((b) => typeof b === "number")));
  }
  return "";
}

/** Parses journalctl's JSON lines. */
export function parseJournal(output: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of output.split("\n")) {
    if (line.trim() === "") continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    entries.push({
      timestamp: String(record.__REALTIME_TIMESTAMP ?? ""),
      priority: Number(record.PRIORITY ?? 6),
      message: messageText(record.MESSAGE),
      unit: String(record._SYSTEMD_UNIT ?? record.UNIT ?? ""),
    });
  }
  return entries;
}

/** Runs journalctl for `query`. */
export async function readJournal(
  query: JournalQuery,
  options: JournalOptions,
): Promise<JournalEntry[]> {
  const args = journalArgs(query, options.unit);
  const command = options.command ?? "journalctl";
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(command, {
      args,
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new AppError(
        503,
        `cannot read the log of unit ${JSON.stringify(options.unit)}: ` +
          `${command} is not installed on this host (the log viewer needs systemd's journal)`,
      );
    }
    throw new AppError(500, `running ${command} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr).trim();
  // journalctl --grep exits 1 when nothing matches; only a failure without output is an error.
  if (!output.success && stdout.trim() === "" && stderr !== "") {
    throw new AppError(500, `${command} failed: ${stderr.split("\n")[0]}`);
  }
  return parseJournal(stdout);
}
