/**
 * The program: cc-backend's startup order. Parse flags → `-help`/`-version`
 * → logger → `-init` → `.env` → config → schema commands → database →
 * users and tokens → archive → `-init-db` → `-import-job` → later-issue
 * flags → exit unless `-server`.
 *
 * @module
 */
import { resolve } from "node:path";
import { FlagError, type Flags, parseFlags, usage } from "./flags.ts";
import { versionText } from "./commands/print_version.ts";
import { addUserFromFlag, deleteUserFromFlag, tokenForUser } from "./commands/manage_users.ts";
import { runInitDb } from "./commands/run_init_db.ts";
import { runCleanupCheckpoints } from "./commands/cleanup_checkpoints.ts";
import { runApplyTags } from "./commands/run_apply_tags.ts";
import { initNewSite } from "./commands/init_new_site.ts";
import { runDbCommand } from "./commands/db_commands.ts";
import { prepareDemoSite } from "./commands/demo_site.ts";
import {
  type Config,
  ConfigError,
  ldapAdminPassword,
  loadConfig,
  loadDotEnv,
  usesDemoJwtKey,
} from "../server/config/mod.ts";
import { LdapDirectory } from "../server/auth/ldap_directory.ts";
import { describeLdapSync, syncLdapUsers } from "../server/auth/ldap_sync.ts";
import { checkVersion, openDatabase } from "../server/db/mod.ts";
import { FileArchive } from "../server/archive/mod.ts";
import { importJobs, parseImportFlag } from "../server/importer/import_job.ts";
import { configureLogger, log } from "../server/log/logger.ts";
import { startServer } from "../server/http/start_server.ts";

/** Raised for a clean, expected stop with a message and exit code. */
class Exit extends Error {
  constructor(readonly code: number, message = "") {
    super(message);
  }
}

function notAvailable(flag: string, what: string): never {
  throw new Exit(
    1,
    `${flag}: ${what} is not available yet in this build of cc-backend for Deno`,
  );
}

/** Runs the program with `args`; resolves to the process exit code. */
export async function run(args: string[]): Promise<number> {
  let flags: Flags;
  try {
    flags = parseFlags(args);
  } catch (error) {
    if (error instanceof FlagError) {
      console.error(`${error.message}\n${usage()}`);
      return 2;
    }
    throw error;
  }
  if (flags.help) {
    console.log(usage());
    return 0;
  }
  if (flags.version) {
    console.log(versionText());
    return 0;
  }
  configureLogger({ level: flags.logLevel, logDate: flags.logDate });
  try {
    await runFlags(flags);
    return 0;
  } catch (error) {
    if (error instanceof Exit) {
      if (error.message) console.error(error.message);
      return error.code;
    }
    log.crit(error instanceof Error ? error.message : String(error));
    log.debug(error instanceof Error ? error.stack ?? "" : "");
    return 1;
  }
}

async function runFlags(flags: Flags): Promise<void> {
  if (flags.demo) {
    await prepareDemoSite({ dir: resolve("demo-site") });
    Object.assign(flags, { server: true, dev: true });
  }
  if (flags.init) {
    await initNewSite(".");
    console.log(
      "Successfully setup environment!\n" +
        "Please review config.json and .env and adjust it to your needs.\n" +
        "Add your job-archive at ./var/job-archive.",
    );
    return;
  }
  if (flags.gops) log.warn("-gops: there is no Go runtime to inspect; flag ignored");

  try {
    await loadDotEnv("./.env");
  } catch (error) {
    // loadDotEnv's errors already start with "loading .env file: <path>".
    if (error instanceof ConfigError) throw new Exit(1, error.message);
    throw error;
  }
  const config = await loadConfig(flags.config);

  if (flags.migrateDb || flags.revertDb || flags.forceDb) {
    console.log(runDbCommand(config, flags));
    return;
  }

  const db = openDatabase(config.main.db, { dbConfig: config.main.dbConfig });
  try {
    checkVersion(db);
    if (flags.optimizeDb) {
      try {
        db.exec("VACUUM");
        db.exec("ANALYZE");
      } catch (error) {
        // Deno's node:sqlite refuses ATTACH (used by VACUUM) unless all permissions are granted.
        const hint = /attached databases/.test((error as Error).message)
          ? " (under `deno run`, -optimize-db needs --allow-all)"
          : "";
        throw new Exit(1, `-optimize-db: ${(error as Error).message}${hint}`);
      }
      console.log(`Optimized database '${config.main.db}' (VACUUM, ANALYZE)`);
      return;
    }
    await runUserFlags(flags, { db, config });

    if (config.archive.kind !== "file") {
      notAvailable("archive.kind", `the "${config.archive.kind}" archive backend`);
    }
    const archive = await FileArchive.open(config.archive.path ?? "./var/job-archive", {
      validate: config.main.validate,
    });
    if (flags.initDb) await runInitDb(db, archive, { dbConfig: config.main.dbConfig });
    if (flags.importJob) {
      const ids = await importJobs(parseImportFlag(flags.importJob), {
        db,
        archive,
        validate: config.main.validate,
      });
      log.info(`Import job: imported ${ids.length} job(s)`);
      console.log(`Imported ${ids.length} job(s)`);
    }
    if (flags.applyTags) await runApplyTags(db, archive);
    if (flags.cleanupCheckpoints) {
      console.log(
        await runCleanupCheckpoints(config).catch((error) => {
          throw new Exit(1, (error as Error).message);
        }),
      );
      return;
    }
    if (!flags.server) {
      console.log("No errors, server flag not set. Exiting cc-backend.");
      return;
    }
    await startServer({ config, db, archive, dev: flags.dev, demo: flags.demo });
  } finally {
    db.close();
  }
}

async function runUserFlags(
  flags: Flags,
  ctx: { db: ReturnType<typeof openDatabase>; config: Config },
) {
  const auth = !ctx.config.main.disableAuthentication;
  if (!auth) {
    for (const [set, name] of [[flags.addUser, "-add-user"], [flags.delUser, "-del-user"]]) {
      if (set) {
        throw new Exit(1, `${name}: authentication is disabled (main.disable-authentication)`);
      }
    }
  }
  if (auth && usesDemoJwtKey()) {
    log.warn("Using default JWT keys - not recommended for production environments");
  }
  if (flags.addUser) await addUserFromFlag(ctx.db, flags.addUser);
  if (flags.delUser) deleteUserFromFlag(ctx.db, flags.delUser);
  if (flags.syncLdap) {
    if (!ctx.config.auth?.ldap) {
      throw new Exit(1, "-sync-ldap: LDAP authentication is not configured");
    }
    const directory = new LdapDirectory(ctx.config.auth.ldap, {
      adminPassword: ldapAdminPassword(),
    });
    try {
      const result = await syncLdapUsers(ctx.db, { directory, config: ctx.config.auth.ldap });
      console.log(describeLdapSync(result));
    } catch (error) {
      throw new Exit(1, `-sync-ldap: ${(error as Error).message}`);
    }
  }
  if (flags.jwt) {
    const token = await tokenForUser(ctx.db, { username: flags.jwt, config: ctx.config });
    console.log(`JWT for '${flags.jwt}': ${token}`);
  }
}
