/**
 * Application detection rules (cc-backend's `AppTagger`): each file is one
 * app, named after the file without its extension; each non-empty line is a
 * regular expression. A pattern `P` matches like Go's `(?m)^[^#]*(?:P)`: on a
 * line of the lower-cased job script where no `#` precedes it, so `#SBATCH`
 * lines and comments never match. Patterns are not lower-cased (an upper-case
 * letter in a pattern never matches, as in cc-backend).
 *
 * @module
 */
import type { RuleFile } from "./rule_files.ts";

/** One application and its patterns. */
export interface AppRule {
  /** The tag name (`app:<name>`). */
  name: string;
  /** The file it came from. */
  file: string;
  /** The patterns as written, one per usable line. */
  sources: string[];
  patterns: RegExp[];
}

/** The apps of a rule directory plus the problems found while loading it. */
export interface AppRules {
  apps: AppRule[];
  errors: string[];
}

/** The app name of a rule file: its name without the last extension (`vasp.txt` → `vasp`). */
export function appNameOf(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

/**
 * Compiles one pattern. Unicode mode is tried first (closest to RE2); a
 * pattern only valid without it (e.g. `\-`, which RE2 accepts) falls back.
 */
export function compileAppPattern(pattern: string): RegExp {
  // Compiling the bare pattern first keeps `a)|(b` from escaping the group below.
  let flags = "mu";
  try {
    new RegExp(pattern, flags);
  } catch {
    flags = "m";
    new RegExp(pattern, flags);
  }
  return new RegExp(`^[^#]*(?:${pattern})`, flags);
}

/** Parses rule files (in the given order); a later file with the same app name replaces it. */
export function parseAppRules(files: readonly RuleFile[]): AppRules {
  const byName = new Map<string, AppRule>();
  const errors: string[] = [];
  for (const file of files) {
    const rule: AppRule = {
      name: appNameOf(file.name),
      file: file.name,
      sources: [],
      patterns: [],
    };
    file.text.split(/\r?\n/).forEach((raw, index) => {
      const line = raw.trim();
      if (line === "") return;
      try {
        rule.patterns.push(compileAppPattern(line));
        rule.sources.push(line);
      } catch (error) {
        errors.push(
          `${file.name}:${index + 1}: invalid pattern ${JSON.stringify(line)} skipped: ${
            (error as Error).message
          }`,
        );
      }
    });
    if (rule.name === "") {
      errors.push(`${file.name}: no app name in the file name; skipped`);
      continue;
    }
    byName.delete(rule.name);
    byName.set(rule.name, rule);
  }
  return { apps: [...byName.values()], errors };
}

/** The names of the apps whose patterns match `script` (lower-cased first), in rule order. */
export function matchApps(script: string, apps: readonly AppRule[]): string[] {
  const text = script.toLowerCase();
  return apps.filter((app) => app.patterns.some((p) => p.test(text))).map((app) => app.name);
}
