/**
 * `-demo` (`deno task demo`): creates the demo site once in its own folder
 * (config, keys, database, an archive of generated jobs, user demo/demo,
 * some running jobs) and changes into it so that the server starts there.
 *
 * @module
 */
import { join } from "node:path";
import demoConfig from "../../configs/config-demo.json" with { type: "json" };
import { FileArchive } from "../../server/archive/mod.ts";
import { AUTH_SOURCES, JobRepository, openDatabase, UserRepository } from "../../server/db/mod.ts";
import { writeDemoArchive } from "../../server/demo/write_demo_archive.ts";
import { generateRunningJobs } from "../../server/demo/generate_jobs.ts";
import { initDb } from "../../server/importer/init_db.ts";
import { applyTags } from "../../server/tagger/mod.ts";
import { initNewSite } from "./init_new_site.ts";

/** The generator seed: the same seed and creation time give the same site. */
export const DEMO_SEED = "clustercockpit-demo";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Options of {@link prepareDemoSite}. */
export interface DemoSiteOptions {
  dir: string;
  /** Finished jobs to generate (default 3000). */
  jobs?: number;
  /** Creation time in unix seconds (default now). */
  now?: number;
}

/** Builds the demo site in `dir` unless it exists, then makes `dir` the working directory. */
export async function prepareDemoSite(options: DemoSiteOptions): Promise<void> {
  const { dir } = options;
  if (await exists(join(dir, "var"))) {
    Deno.chdir(dir);
    return;
  }
  await Deno.mkdir(dir, { recursive: true });
  Deno.chdir(dir);
  console.log(`Creating the demo site in ${dir} (once) ...`);
  await initNewSite(".");
  await Deno.writeTextFile("config.json", JSON.stringify(demoConfig, null, 2) + "\n");
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const archive = await FileArchive.open("./var/job-archive");
  const count = options.jobs ?? 3000;
  await writeDemoArchive(archive, {
    seed: DEMO_SEED,
    now,
    count,
    onProgress: (n) => {
      if (n % 500 === 0) console.log(`  ${n}/${count} jobs written to the archive`);
    },
  });
  const reopened = await FileArchive.open("./var/job-archive");
  const db = openDatabase("./var/job.db");
  try {
    const summary = await initDb(db, reopened);
    // Application and job-class tags on the archived jobs, as `-apply-tags` would add them.
    await applyTags({ db, archive: reopened });
    const jobs = new JobRepository(db);
    jobs.insertJobs(generateRunningJobs({ seed: DEMO_SEED, now }));
    await new UserRepository(db).addUser({
      username: "demo",
      roles: ["admin", "api"],
      password: "demo",
      projects: [],
      authSource: AUTH_SOURCES.local,
    });
    await Deno.writeTextFile(
      "var/notice.txt",
      "This is the cc-backend for Deno demo site with generated jobs. Log in as demo, password demo.\n",
    );
    console.log(`Demo site ready: ${summary.imported} archived jobs, user demo (password demo).`);
  } finally {
    db.close();
  }
}
