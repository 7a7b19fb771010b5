/**
 * Helpers of the end-to-end CLI suite: temp site directories, and the real
 * program (`main.ts`) spawned in them with permissions limited to the site,
 * so that every test also proves that nothing at run time reads or writes
 * outside it (module imports are not reads).
 *
 * @module
 */

import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO: string = fileURLToPath(new URL("../../", import.meta.url));

/** The program under test. */
export const MAIN: string = join(REPO, "main.ts");

/** The repository's deno.json (import map, lock file, node_modules). */
export const DENO_JSON: string = join(REPO, "deno.json");

/**
 * The server sources. `-init-db` inserts on a Worker, and Deno checks read
 * permission for every local module a Worker loads (unlike the main module
 * graph), so `deno run` needs read access to the worker's module graph here.
 */
export const SERVER_SOURCES: string = join(REPO, "server");

/** The test fixtures (`archive/`, `importer/`, `db/job.db`). */
export const FIXTURES: string = join(REPO, "tests", "fixtures");

/** What a finished run left behind. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli} and {@link startCli}. */
export interface RunOptions {
  /**
   * Grant every permission (`-A`) instead of read/write on the site only.
   * Only for what legitimately needs it (see the test that uses it).
   */
  allowAll?: boolean;
  /**
   * Further paths the program may read, beyond the site. Only for what
   * legitimately needs it (see the test that uses it).
   */
  extraRead?: string[];
  /** Extra environment variables for the program. */
  env?: Record<string, string>;
  /** Kill the program after this many milliseconds (default 30000). */
  timeoutMs?: number;
}

/** Variables of the test process the program inherits: what `deno` needs to find its cache. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const [key, value] of Object.entries(Deno.env.toObject())) {
    if (/^(HOME|PATH|TMPDIR|XDG_CACHE_HOME|DENO_DIR)$/.test(key)) env[key] = value;
  }
  return env;
}

/** The `deno run` permission flags that confine the program to `site` (and `extraRead`). */
export function sitePermissions(site: string, extraRead: string[] = []): string[] {
  return [
    `--allow-read=${[site, ...extraRead].join(",")}`,
    `--allow-write=${site}`,
    "--allow-env",
    "--allow-sys",
    "--allow-net=127.0.0.1",
  ];
}

function command(site: string, args: string[], options: RunOptions): Deno.Command {
  const permissions = options.allowAll ? ["--allow-all"] : sitePermissions(site, options.extraRead);
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--config", DENO_JSON, ...permissions, MAIN, ...args],
    cwd: site,
    clearEnv: true,
    env: { ...baseEnv(), ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** Runs the program with `args` in `site` and collects exit code and output. */
export async function runCli(
  site: string,
  args: string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const child = command(site, args, options).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
  }, options.timeoutMs ?? 30_000);
  try {
    const output = await child.output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Starts the program with `args` in `site` without waiting for it (servers). */
export function startCli(
  site: string,
  args: string[],
  options: RunOptions = {},
): Deno.ChildProcess {
  return command(site, args, options).spawn();
}

/** Describes a result for assertion messages. */
export function describe(result: RunResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}

/**
 * Runs `fn` with a fresh temp directory (its real path: permission flags must
 * match it) and removes the directory afterwards.
 */
export async function withSite<T>(fn: (site: string) => Promise<T>): Promise<T> {
  const site = Deno.realPathSync(await Deno.makeTempDir({ prefix: "cc-cli-test-" }));
  try {
    return await fn(site);
  } finally {
    await Deno.remove(site, { recursive: true });
  }
}

/** Runs `-init` in `site` and throws unless it succeeds. */
export async function initSite(site: string): Promise<void> {
  const result = await runCli(site, ["-init"]);
  if (result.code !== 0) throw new Error(`-init failed in ${site}: ${describe(result)}`);
}

/** Runs `fn` in a fresh site set up by `-init`. */
export function withInitSite<T>(fn: (site: string) => Promise<T>): Promise<T> {
  return withSite(async (site) => {
    await initSite(site);
    return await fn(site);
  });
}

/** Reads the site's config.json, lets `change` edit it, and writes it back. */
export async function editConfig(
  site: string,
  change: (config: Record<string, Record<string, unknown>>) => void,
): Promise<void> {
  const path = join(site, "config.json");
  const config = JSON.parse(await Deno.readTextFile(path));
  change(config);
  await Deno.writeTextFile(path, JSON.stringify(config, null, 2) + "\n");
}

/** The variables of the site's `.env` (the simple `KEY="value"` lines `-init` writes). */
export async function readEnvFile(site: string): Promise<Record<string, string>> {
  const text = await Deno.readTextFile(join(site, ".env"));
  const vars: Record<string, string> = {};
  for (const match of text.matchAll(/^([A-Z0-9_]+)="([^"]*)"$/gm)) vars[match[1]] = match[2];
  return vars;
}

/** Runs `fn` on the SQLite file at `path` (relative to `site`) and closes it. */
export function withDb<T>(site: string, path: string, fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(join(site, path));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** The single `(version, dirty)` row of `schema_migrations`. */
export function schemaVersion(db: DatabaseSync): { version: number; dirty: number } {
  const rows = db.prepare("SELECT version, dirty FROM schema_migrations").all();
  if (rows.length !== 1) throw new Error(`schema_migrations has ${rows.length} rows, expected 1`);
  return { version: Number(rows[0].version), dirty: Number(rows[0].dirty) };
}

/** The number of rows of one of the tables the tests look at. */
export function countRows(db: DatabaseSync, table: "job" | "tag" | "jobtag" | "hpc_user"): number {
  return Number(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()?.n);
}

/** Copies the directory tree `from` to `to`, creating parents. */
export async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory) await copyDir(source, target);
    else await Deno.copyFile(source, target);
  }
}

/** Copies the file `from` to `to`, creating the parent directory. */
export async function copyFile(from: string, to: string): Promise<void> {
  await Deno.mkdir(dirname(to), { recursive: true });
  await Deno.copyFile(from, to);
}

/** Whether `path` exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
