/**
 * Job-class hints: the `{{.name}}` / `{{.metric.limits.peak}}` placeholders
 * of cc-backend's Go templates, filled from a rule's environment. Numbers are
 * rounded to two decimals first (as cc-backend does) and printed in their
 * shortest form (`87.5`, `100`, `NaN`, `+Inf`; a million prints in full where
 * Go would write `1e+06`). Only field placeholders
 * (optionally with Go's `{{-`/`-}}` trim markers) are supported; any other
 * template action is refused when the rule is loaded.
 *
 * @module
 */
import type { ExprValue } from "./expr_eval.ts";

/** What a missing field prints as, like Go templates over maps. */
export const NO_VALUE = "<no value>";

/** A parsed hint. */
export interface HintTemplate {
  readonly source: string;
  /** The field paths of the placeholders, in order (`[["cpu_load", "avg"], ...]`). */
  readonly paths: readonly string[][];
  /** Fills the placeholders from `env`. */
  render(env: Readonly<Record<string, unknown>>): string;
}

const ACTION = /\{\{(-\s)?\s*(.*?)\s*(\s-)?\}\}/gs;
const PATH = /^(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** Parses `source`; throws an Error naming the column of an unsupported action. */
export function compileHint(source: string): HintTemplate {
  const parts: (string | string[])[] = [];
  let last = 0;
  let trimNext = false;
  for (const match of source.matchAll(ACTION)) {
    const [whole, trimBefore, action, trimAfter] = match;
    let text = source.slice(last, match.index);
    if (trimNext) text = text.trimStart();
    if (trimBefore) text = text.trimEnd();
    const unclosed = text.indexOf("{{");
    if (unclosed >= 0) throw hintError("unclosed action", source, last + unclosed);
    parts.push(text);
    if (!PATH.test(action)) {
      throw hintError(
        `unsupported template action ${JSON.stringify(whole)} (only {{.field}} placeholders)`,
        source,
        match.index,
      );
    }
    parts.push(action.slice(1).split("."));
    trimNext = Boolean(trimAfter);
    last = match.index + whole.length;
  }
  let tail = source.slice(last);
  if (trimNext) tail = tail.trimStart();
  const unclosed = tail.indexOf("{{");
  if (unclosed >= 0) throw hintError("unclosed action", source, last + unclosed);
  parts.push(tail);
  const paths = parts.filter((p): p is string[] => Array.isArray(p));
  return {
    source,
    paths,
    render: (env) =>
      parts.map((p) => typeof p === "string" ? p : formatValue(lookup(env, p))).join(""),
  };
}

function hintError(reason: string, source: string, position: number): Error {
  return new Error(`${reason} at column ${position + 1} of hint ${JSON.stringify(source)}`);
}

function lookup(env: Readonly<Record<string, unknown>>, path: string[]): unknown {
  let value: unknown = env;
  for (const key of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Rounds half away from zero to two decimals, as Go's `math.Round(x*100)/100`. */
export function round2(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.sign(x) * Math.round(Math.abs(x) * 100) / 100;
  return r === 0 ? 0 : r;
}

/** Prints a value of a rule's environment as a hint shows it. */
export function formatValue(value: unknown): string {
  if (value === undefined) return NO_VALUE;
  if (value === null) return "<nil>";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
    return String(round2(value));
  }
  if (typeof value === "object") {
    // Go prints maps as map[key:value ...] with sorted keys.
    const entries = Object.entries(value as Record<string, ExprValue>)
      .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
      .map(([k, v]) => `${k}:${formatValue(v)}`);
    return `map[${entries.join(" ")}]`;
  }
  return String(value);
}
