import assert from "node:assert/strict";
import { join } from "node:path";
import {
  copyFile,
  countRows,
  describe,
  editConfig,
  FIXTURES,
  runCli,
  schemaVersion,
  withDb,
  withInitSite,
} from "./cli_helpers.ts";

const NO_SERVER = "No errors, server flag not set. Exiting cc-backend.\n";
const FIXTURE_JOBS = 544;

/** An -init site whose main.db is a copy of the cc-backend v10 fixture database. */
function withV10Site<T>(fn: (site: string) => Promise<T>): Promise<T> {
  return withInitSite(async (site) => {
    await copyFile(join(FIXTURES, "db", "job.db"), join(site, "var", "old.db"));
    await editConfig(site, (config) => config.main.db = "./var/old.db");
    return await fn(site);
  });
}

function setVersion(site: string, version: number, dirty: number): void {
  withDb(site, "var/old.db", (db) => {
    db.prepare("UPDATE schema_migrations SET version = ?, dirty = ?").run(version, dirty);
  });
}

Deno.test("cc-backend -migrate-db and -revert-db move a cc-backend v10 database", async (t) => {
  await withV10Site(async (site) => {
    await t.step("the fixture is a v10 database with 544 jobs", () => {
      withDb(site, "var/old.db", (db) => {
        assert.deepEqual(schemaVersion(db), { version: 10, dirty: 0 });
        assert.equal(countRows(db, "job"), FIXTURE_JOBS);
      });
    });

    await t.step("without -migrate-db the program refuses the v10 database", async () => {
      const result = await runCli(site, ["-add-user", "x:api:pw"]);
      assert.equal(result.code, 1, describe(result));
      assert.match(
        result.stderr,
        /unsupported database version 10, need 11\. .*run cc-backend -migrate-db/,
      );
      assert.equal(result.stdout, "");
      withDb(site, "var/old.db", (db) => {
        assert.deepEqual(schemaVersion(db), { version: 10, dirty: 0 });
        assert.equal(countRows(db, "hpc_user"), 1);
      });
    });

    await t.step("-migrate-db migrates to 11, keeps every job and exits", async () => {
      const result = await runCli(site, ["-migrate-db"]);
      assert.equal(result.code, 0, describe(result));
      assert.equal(
        result.stdout,
        "MigrateDB Success: Migrated SQLite database at './var/old.db' to version 11.\n",
      );
      withDb(site, "var/old.db", (db) => {
        assert.deepEqual(schemaVersion(db), { version: 11, dirty: 0 });
        assert.equal(countRows(db, "job"), FIXTURE_JOBS);
        assert.equal(
          db.prepare("SELECT count(*) AS n FROM job WHERE job_state = 'out-of-memory'").get()?.n,
          0,
        );
      });
    });

    await t.step("a second -migrate-db changes nothing and succeeds", async () => {
      const result = await runCli(site, ["--migrate-db"]);
      assert.equal(result.code, 0, describe(result));
      assert.match(result.stdout, /^MigrateDB Success: .* to version 11\.$/m);
      withDb(site, "var/old.db", (db) => assert.equal(countRows(db, "job"), FIXTURE_JOBS));
    });

    await t.step("the migrated database serves the program and its user demo", async () => {
      const result = await runCli(site, ["-jwt", "demo"]);
      assert.equal(result.code, 0, describe(result));
      assert.match(result.stdout, /^JWT for 'demo': [\w-]+\.[\w-]+\.[\w-]+$/m);
      assert.match(result.stdout, new RegExp(NO_SERVER));
    });

    await t.step("-revert-db goes back to 10, keeping the jobs", async () => {
      const result = await runCli(site, ["-revert-db"]);
      assert.equal(result.code, 0, describe(result));
      assert.equal(
        result.stdout,
        "RevertDB Success: Reverted SQLite database at './var/old.db' to version 10.\n",
      );
      withDb(site, "var/old.db", (db) => {
        assert.deepEqual(schemaVersion(db), { version: 10, dirty: 0 });
        assert.equal(countRows(db, "job"), FIXTURE_JOBS);
      });
      const start = await runCli(site, []);
      assert.equal(start.code, 1, describe(start));
      assert.match(start.stderr, /unsupported database version 10, need 11/);
    });

    await t.step("-revert-db below 10 is refused", async () => {
      const result = await runCli(site, ["-revert-db"]);
      assert.equal(result.code, 1, describe(result));
      assert.match(result.stderr, /cannot revert database version 10/);
      withDb(site, "var/old.db", (db) => assert.equal(schemaVersion(db).version, 10));
    });

    await t.step("-force-db on the older database records 11, clean, without SQL", async () => {
      const tablesBefore = withDb(
        site,
        "var/old.db",
        (db) => db.prepare("SELECT name, sql FROM sqlite_master ORDER BY name").all(),
      );
      const result = await runCli(site, ["-force-db"]);
      assert.equal(result.code, 0, describe(result));
      assert.equal(
        result.stdout,
        "ForceDB Success: Forced SQLite database at './var/old.db' to version 11.\n",
      );
      withDb(site, "var/old.db", (db) => {
        assert.deepEqual(schemaVersion(db), { version: 11, dirty: 0 });
        assert.deepEqual(
          db.prepare("SELECT name, sql FROM sqlite_master ORDER BY name").all(),
          tablesBefore,
        );
      });
    });
  });
});

Deno.test("cc-backend -force-db clears a dirty database that the program refuses", async (t) => {
  await withV10Site(async (site) => {
    const migrated = await runCli(site, ["-migrate-db"]);
    assert.equal(migrated.code, 0, describe(migrated));
    setVersion(site, 11, 1);

    await t.step("a dirty database stops the start and points to -force-db", async () => {
      const result = await runCli(site, []);
      assert.equal(result.code, 1, describe(result));
      assert.match(result.stderr, /last migration to version 11 has failed.*-force-db/);
    });

    await t.step("-migrate-db refuses a dirty database", async () => {
      const result = await runCli(site, ["-migrate-db"]);
      assert.equal(result.code, 1, describe(result));
      assert.match(result.stderr, /database version 11 is dirty.*-force-db/);
      withDb(
        site,
        "var/old.db",
        (db) => assert.deepEqual(schemaVersion(db), { version: 11, dirty: 1 }),
      );
    });

    await t.step("-force-db sets 11 and clean, and the program starts again", async () => {
      const result = await runCli(site, ["-force-db"]);
      assert.equal(result.code, 0, describe(result));
      withDb(
        site,
        "var/old.db",
        (db) => assert.deepEqual(schemaVersion(db), { version: 11, dirty: 0 }),
      );
      const start = await runCli(site, []);
      assert.equal(start.code, 0, describe(start));
      assert.equal(start.stdout, NO_SERVER);
    });

    await t.step(
      "a database newer than 11 is refused by the start and by -migrate-db",
      async () => {
        setVersion(site, 12, 0);
        const [start, migrate] = await Promise.all([
          runCli(site, []),
          runCli(site, ["-migrate-db"]),
        ]);
        assert.equal(start.code, 1, describe(start));
        assert.match(start.stderr, /unsupported database version 12, need 11/);
        assert.equal(migrate.code, 1, describe(migrate));
        assert.match(migrate.stderr, /cannot migrate database version 12 up to 11/);
      },
    );
  });
});

Deno.test("cc-backend -migrate-db creates the schema in a new database file", async () => {
  await withInitSite(async (site) => {
    await editConfig(site, (config) => config.main.db = "./var/new.db");
    const result = await runCli(site, ["-migrate-db"]);
    assert.equal(result.code, 0, describe(result));
    assert.equal(
      result.stdout,
      "MigrateDB Success: Migrated SQLite database at './var/new.db' to version 11.\n",
    );
    withDb(site, "var/new.db", (db) => {
      assert.deepEqual(schemaVersion(db), { version: 11, dirty: 0 });
      assert.equal(countRows(db, "job"), 0);
    });
  });
});

// VACUUM attaches a temporary database internally, and Deno's node:sqlite
// allows ATTACH only when every permission is granted (--allow-all); with
// read/write limited to the site it fails with "too many attached databases -
// max 0". So this one runs with -A, as `deno task start` and the compiled
// binary do.
Deno.test("cc-backend -optimize-db runs VACUUM and ANALYZE and exits", async () => {
  await withV10Site(async (site) => {
    const migrated = await runCli(site, ["-migrate-db"]);
    assert.equal(migrated.code, 0, describe(migrated));
    withDb(site, "var/old.db", (db) => db.exec("DROP TABLE IF EXISTS sqlite_stat1"));
    const result = await runCli(site, ["-optimize-db"], { allowAll: true });
    assert.equal(result.code, 0, describe(result));
    assert.equal(result.stdout, "Optimized database './var/old.db' (VACUUM, ANALYZE)\n");
    withDb(site, "var/old.db", (db) => {
      assert.ok(
        db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get(),
        "ANALYZE did not create sqlite_stat1",
      );
      assert.equal(countRows(db, "job"), FIXTURE_JOBS);
      assert.equal(db.prepare("PRAGMA integrity_check").get()?.integrity_check, "ok");
    });
  });
});
