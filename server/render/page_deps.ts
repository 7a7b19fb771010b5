/**
 * What page routes are built from, and the per-cluster data every navbar
 * needs.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { FileArchive } from "../archive/mod.ts";
import type { Config } from "../config/mod.ts";
import type { ClusterNav } from "../../routes/layout/nav_model.ts";

/** Dependencies of the page routes. */
export interface PageDeps {
  db: DatabaseSync;
  archive: FileArchive;
  config: Config;
  /** The site's `var/` directory (`notice.txt`, `img/`); default `./var`. */
  varDir?: string;
  /** Injected clock (unix seconds). */
  now?: () => number;
}

/** The clusters of the archive with their subcluster names, for the navbar menus. */
export function clusterNav(archive: FileArchive): ClusterNav[] {
  return archive.clusters().map((c) => ({
    name: c.name,
    subClusters: c.subClusters.map((sc) => sc.name),
  }));
}

/** The notice an admin set for the home page (`var/notice.txt`), or "" when none. */
export async function readNotice(varDir = "./var"): Promise<string> {
  try {
    return (await Deno.readTextFile(`${varDir}/notice.txt`)).trim();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "";
    throw new Error(`cannot read ${varDir}/notice.txt: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
