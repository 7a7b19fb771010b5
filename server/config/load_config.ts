/**
 * Loading config.json: read, resolve `<name>-file` includes, validate against
 * our schema and return a typed {@link Config} with defaults applied.
 *
 * @module
 */

import { resolve } from "node:path";
import { log } from "../log/logger.ts";
import { applyDefaults } from "./apply_defaults.ts";
import type { Config } from "./config_types.ts";
import { ConfigError } from "./config_error.ts";
import { parseJson } from "./parse_json.ts";
import { describeValue, validateConfigDocument } from "./validate_config.ts";

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /**
   * Directory that relative `<name>-file` include paths are resolved against.
   * Defaults to the process working directory, as in cc-backend (not the
   * config file's directory).
   */
  cwd?: string;
}

type Json = { [key: string]: unknown };

const INCLUDE_SUFFIX = "-file";

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new ConfigError([`${path}: cannot read: ${(error as Error).message}`]);
  }
}

function parseDocument(text: string, source: string): unknown {
  try {
    return parseJson(text);
  } catch (error) {
    throw new ConfigError([`${source}: ${(error as Error).message}`]);
  }
}

/**
 * Replaces every top-level `<name>-file` key by the parsed contents of that
 * file under `<name>`. A missing include is logged and the section left out,
 * as the original does; unreadable or invalid JSON is an error. Returns the
 * file each included section came from.
 */
async function resolveIncludes(
  document: Json,
  options: { source: string; cwd: string },
): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  for (const key of Object.keys(document)) {
    const name = key.slice(0, -INCLUDE_SUFFIX.length);
    if (!key.endsWith(INCLUDE_SUFFIX) || name === "") continue;
    const target = document[key];
    delete document[key];
    if (typeof target !== "string") {
      throw new ConfigError([
        `${options.source}: ${key}: expected string, found ${describeValue(target)}`,
      ]);
    }
    const includePath = resolve(options.cwd, target);
    const text = await readText(includePath);
    if (text === undefined) {
      log.error(
        `${options.source}: ${key}: included file ${includePath} not found; ` +
          `section "${name}" is left out`,
      );
      delete document[name];
      continue;
    }
    document[name] = parseDocument(text, includePath);
    sources.set(name, includePath);
  }
  return sources;
}

/**
 * Loads and validates config.json.
 *
 * A missing file is read as an empty document, which then fails because the
 * `main` section is mandatory. All schema violations are reported together in
 * one {@link ConfigError}, e.g.
 * `config.json: main.short-running-jobs-duration: expected integer, found string "300"`.
 *
 * @throws {ConfigError} for unreadable files, invalid JSON, a missing `main`
 *   section or schema violations.
 */
export async function loadConfig(
  path = "./config.json",
  options: LoadConfigOptions = {},
): Promise<Config> {
  const text = await readText(path);
  const document = text === undefined ? {} : parseDocument(text, path);
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new ConfigError([
      `${path}: expected a JSON object of sections, found ${describeValue(document)}`,
    ]);
  }
  const doc = document as Json;
  const sources = await resolveIncludes(doc, { source: path, cwd: options.cwd ?? Deno.cwd() });
  if (doc.main === undefined) {
    const hint = text === undefined ? " (file not found)" : "";
    throw new ConfigError([`${path}: main configuration must be present${hint}`]);
  }
  const problems = validateConfigDocument(doc);
  if (problems.length > 0) {
    throw new ConfigError(
      problems.map((p) => `${sources.get(p.section) ?? path}: ${p.path}: ${p.message}`),
    );
  }
  return applyDefaults(doc);
}
