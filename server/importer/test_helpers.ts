/**
 * Helpers shared by the importer tests: fixture locations and a temp site with
 * a job archive and a migrated database, removed afterwards.
 *
 * @module
 */

import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { FileArchive } from "../archive/mod.ts";
import { migrateUp, openDatabase } from "../db/mod.ts";

/** The importer test data (cluster-fritz.json, meta-*.input, data-*.json, *-golden.json). */
export const IMPORTER_FIXTURES: string = fileURLToPath(
  new URL("../../tests/fixtures/importer", import.meta.url),
);

/** The reference test archive (clusters alex, emmy, fritz; two emmy jobs). */
export const FIXTURE_ARCHIVE: string = fileURLToPath(
  new URL("../../tests/fixtures/archive", import.meta.url),
);

/** A temp directory holding an opened archive (`<dir>/archive`) and a migrated database. */
export interface TestSite {
  dir: string;
  archiveRoot: string;
  archive: FileArchive;
  db: DatabaseSync;
}

/** Options of {@link withSite}. */
export interface SiteOptions {
  /**
   * "fritz" (default): an archive with version.txt and only fritz/cluster.json taken from
   * cluster-fritz.json, as the cc-backend importer test builds it; "fixture": a copy of
   * the reference test archive.
   */
  archive?: "fritz" | "fixture";
  /** Changes the archive files (at `root`) before the archive is opened. */
  prepare?: (root: string) => Promise<void>;
}

/** Copies the directory tree `from` to `to` (files made writable). */
export async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory) {
      await copyDir(source, target);
    } else {
      await Deno.copyFile(source, target);
      await Deno.chmod(target, 0o644);
    }
  }
}

/** Writes `value` as JSON to `path`, creating the parent directories. */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, JSON.stringify(value));
}

/** Reads and parses a JSON file. */
export async function readJson<T = Record<string, unknown>>(path: string): Promise<T> {
  return JSON.parse(await Deno.readTextFile(path)) as T;
}

/** Runs `fn` with a fresh archive and database in a temp directory, then removes both. */
export async function withSite(
  fn: (site: TestSite) => Promise<void>,
  options: SiteOptions = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cc-importer-test-" });
  try {
    const archiveRoot = join(dir, "archive");
    if (options.archive === "fixture") {
      await copyDir(FIXTURE_ARCHIVE, archiveRoot);
    } else {
      await Deno.mkdir(join(archiveRoot, "fritz"), { recursive: true });
      await Deno.writeTextFile(join(archiveRoot, "version.txt"), "3");
      await Deno.copyFile(
        join(IMPORTER_FIXTURES, "cluster-fritz.json"),
        join(archiveRoot, "fritz", "cluster.json"),
      );
    }
    await options.prepare?.(archiveRoot);
    const archive = await FileArchive.open(archiveRoot);
    const db = openDatabase(join(dir, "job.db"));
    try {
      migrateUp(db);
      await fn({ dir, archiveRoot, archive, db });
    } finally {
      if (db.isOpen) db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
