/**
 * `.env` loading with the rules of godotenv (which cc-backend uses):
 * `KEY=value` or `KEY: value`, optional `export ` prefix, `#` comment lines,
 * unquoted values trimmed with ` #` starting an inline comment, single quotes
 * literal, double quotes with `\n`/`\r` escapes and `\x` → `x`, quoted values
 * may span lines, `$VAR`/`${VAR}` expanded in unquoted and double-quoted values
 * (`\$` keeps a literal `$`). Variables already in the environment win.
 *
 * @module
 */

import { ConfigError } from "./config_error.ts";

const INLINE_SPACE = /[\t\v\f\r \u0085\u00a0]/;
const ANY_SPACE = /\s/;
const EXPAND = /(\\)?(\$)(\()?\{?([A-Z0-9_]+)?\}?/g;

function isInlineSpace(char: string): boolean {
  return INLINE_SPACE.test(char);
}

function trimInline(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isInlineSpace(text[start])) start++;
  while (end > start && isInlineSpace(text[end - 1])) end--;
  return text.slice(start, end);
}

function expandVariables(value: string, vars: Record<string, string>): string {
  return value.replace(
    EXPAND,
    (match, backslash?: string, _dollar?: string, paren?: string, name?: string) => {
      if (backslash || paren) return match.slice(1);
      if (!name) return match;
      return vars[name] ?? Deno.env.get(name) ?? "";
    },
  );
}

function expandEscapes(value: string): string {
  const escaped = value.replace(/\\./g, (m) => m === "\\n" ? "\n" : m === "\\r" ? "\r" : m);
  return escaped.replace(/\\([^$])/g, "$1");
}

/**
 * Parses the text of a `.env` file into name → value, in file order (later
 * duplicates win).
 *
 * @throws {Error} naming the line for a malformed declaration or an
 *   unterminated quoted value.
 */
export function parseDotEnv(text: string): Record<string, string> {
  const src = text.replaceAll("\r\n", "\n");
  const vars: Record<string, string> = {};
  const lineAt = (offset: number) => src.slice(0, offset).split("\n").length;
  let i = 0;
  while (i < src.length) {
    // Statement start: skip blank space and whole comment lines.
    if (ANY_SPACE.test(src[i])) {
      i++;
      continue;
    }
    if (src[i] === "#") {
      const eol = src.indexOf("\n", i);
      i = eol === -1 ? src.length : eol;
      continue;
    }
    const start = i;
    if (src.startsWith("export", i) && isInlineSpace(src[i + 6] ?? "")) {
      i += 6;
      while (isInlineSpace(src[i] ?? "")) i++;
    }
    const keyStart = i;
    const lineEnd = src.indexOf("\n", start);
    const declaration = src.slice(start, lineEnd === -1 ? src.length : lineEnd);
    while (i < src.length && src[i] !== "=" && src[i] !== ":") {
      if (src[i] === "\n") break;
      if (!/[\p{L}\p{N}_.]/u.test(src[i]) && !isInlineSpace(src[i])) {
        throw new Error(
          `line ${lineAt(start)}: unexpected character ${JSON.stringify(src[i])} in variable ` +
            `name of ${JSON.stringify(declaration)} (expected KEY=value)`,
        );
      }
      i++;
    }
    if (i >= src.length || src[i] === "\n") {
      throw new Error(
        `line ${lineAt(start)}: expected KEY=value, found ${JSON.stringify(declaration)}`,
      );
    }
    const key = src.slice(keyStart, i).trimEnd();
    if (key === "") {
      throw new Error(`line ${lineAt(start)}: missing variable name before "${src[i]}"`);
    }
    i++; // '=' or ':'
    while (isInlineSpace(src[i] ?? "")) i++;

    const quote = src[i];
    if (quote === '"' || quote === "'") {
      let end = i + 1;
      while (end < src.length && (src[end] !== quote || src[end - 1] === "\\")) end++;
      if (end >= src.length) {
        throw new Error(
          `line ${lineAt(i)}: unterminated quoted value ${
            JSON.stringify(src.slice(i).split("\n")[0])
          }`,
        );
      }
      const trim = new RegExp(`^${quote}+|${quote}+$`, "g");
      const raw = src.slice(i, end).replace(trim, "");
      vars[key] = quote === '"' ? expandVariables(expandEscapes(raw), vars) : raw;
      i = end + 1;
      continue;
    }
    let eol = i;
    while (eol < src.length && src[eol] !== "\n" && src[eol] !== "\r") eol++;
    let line = src.slice(i, eol);
    // Like godotenv: the last '#' preceded by a space starts an inline comment.
    for (let k = line.length - 1; k > 0; k--) {
      if (line[k] === "#" && isInlineSpace(line[k - 1])) {
        line = line.slice(0, k);
        break;
      }
    }
    vars[key] = expandVariables(trimInline(line), vars);
    i = eol;
  }
  return vars;
}

/**
 * Reads a `.env` file and sets every variable that is not already set in the
 * process environment. Returns everything the file declares.
 *
 * @throws {ConfigError} `loading .env file: <path>: not found` when the file is
 *   missing (cc-backend requires it), or naming the line of a syntax error.
 */
export async function loadDotEnv(path = "./.env"): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ConfigError([`loading .env file: ${path}: not found`]);
    }
    throw new ConfigError([`loading .env file: ${path}: ${(error as Error).message}`], {
      cause: error,
    });
  }
  let vars: Record<string, string>;
  try {
    vars = parseDotEnv(text);
  } catch (error) {
    throw new ConfigError([`loading .env file: ${path}: ${(error as Error).message}`]);
  }
  for (const [key, value] of Object.entries(vars)) {
    if (Deno.env.get(key) === undefined) Deno.env.set(key, value);
  }
  return vars;
}
