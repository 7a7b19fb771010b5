/**
 * Counts the job directories of a file archive without reading any file, so
 * that `-init-db` can show how far it is.
 *
 * @module
 */
import { join } from "node:path";
import type { FileArchive } from "../archive/mod.ts";

async function subdirs(path: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(path)) {
      if (entry.isDirectory) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names;
}

/** The number of `<cluster>/<l1>/<l2>/<startTime>` directories in `archive`. */
export async function countJobDirs(archive: FileArchive): Promise<number> {
  let count = 0;
  for (const cluster of archive.clusters()) {
    const root = join(archive.root, cluster.name);
    for (const l1 of await subdirs(root)) {
      const l2s = await subdirs(join(root, l1));
      const counts = await Promise.all(l2s.map((l2) => subdirs(join(root, l1, l2))));
      for (const starts of counts) count += starts.length;
    }
  }
  return count;
}
