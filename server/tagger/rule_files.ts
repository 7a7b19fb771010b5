/**
 * Reading a tagger rule directory (`./var/tagger/apps`,
 * `./var/tagger/jobclasses`): its regular, non-hidden files in name order,
 * or the built-in copies when the directory does not exist.
 *
 * @module
 */
import { join } from "node:path";

/** One rule file: its name and text. */
export interface RuleFile {
  name: string;
  text: string;
}

/** The files of one rule directory, or the built-in ones. */
export interface RuleFiles {
  /** The directory, or `built-in rules` when it does not exist. */
  origin: string;
  builtIn: boolean;
  files: RuleFile[];
  /** Files that could not be read, one message each. */
  errors: string[];
}

/** Options of {@link readRuleFiles}. */
export interface ReadRuleFilesOptions {
  /** Which file names hold rules (hidden files and editor backups are always skipped). */
  accept: (name: string) => boolean;
  /** What to use when `dir` does not exist. */
  defaults: readonly RuleFile[];
}

/** Whether a file name looks like an editor's scratch or backup file. */
function isScratch(name: string): boolean {
  return name.startsWith(".") || name.endsWith("~") || name.startsWith("#");
}

/** Reads the rule files of `dir` sorted by name; the defaults when `dir` is missing. */
export async function readRuleFiles(
  dir: string,
  options: ReadRuleFilesOptions,
): Promise<RuleFiles> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && !isScratch(entry.name) && options.accept(entry.name)) {
        names.push(entry.name);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new Error(`cannot read tagger rules in ${dir}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return { origin: "built-in rules", builtIn: true, files: [...options.defaults], errors: [] };
  }
  names.sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
  const files: RuleFile[] = [];
  const errors: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      files.push({ name, text: await Deno.readTextFile(path) });
    } catch (error) {
      // The file may vanish between listing and reading while someone edits the directory.
      errors.push(`cannot read ${path}: ${(error as Error).message}`);
    }
  }
  return { origin: dir, builtIn: false, files, errors };
}
