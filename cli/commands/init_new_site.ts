/**
 * `-init`: config.json, `.env` and `var/` (server/config), then an empty
 * database at schema version 11 and an empty version-3 job archive.
 *
 * @module
 */
import { initSite } from "../../server/config/mod.ts";
import { migrateUp, openDatabase } from "../../server/db/mod.ts";
import { FileArchive } from "../../server/archive/mod.ts";

/** Creates a new site in `dir`; refuses when `dir/var` exists. */
export async function initNewSite(dir: string): Promise<void> {
  const site = await initSite(dir);
  const db = openDatabase(site.dbPath);
  try {
    migrateUp(db);
  } finally {
    db.close();
  }
  await FileArchive.init(site.archivePath);
}
