import assert from "node:assert/strict";
import { AppError } from "../../errors.ts";
import { setLogSink } from "../../log/logger.ts";
import { withTempDb } from "../test_db.ts";
import { checkVersion, forceVersion, readVersion, writeVersion } from "./version.ts";

Deno.test("checkVersion() accepts a clean version 11", async () => {
  await withTempDb((db) => checkVersion(db));
});

Deno.test("checkVersion() rejects other versions with cc-backend's messages", async (t) => {
  await withTempDb(async (db) => {
    await t.step("no schema_migrations table: warning, then version 0", () => {
      const lines: string[] = [];
      const previous = setLogSink((line) => lines.push(line));
      try {
        assert.throws(() => checkVersion(db), {
          message: "unsupported database version 0, need 11. " +
            "Please backup your database file and run cc-backend -migrate-db",
        });
      } finally {
        setLogSink(previous);
      }
      assert.ok(lines.some((l) => l.includes("Legacy database without version")), String(lines));
    });
    await t.step("version 10", () => {
      writeVersion(db, 10, { dirty: false });
      assert.throws(() => checkVersion(db), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(
          error.message,
          "unsupported database version 10, need 11. " +
            "Please backup your database file and run cc-backend -migrate-db",
        );
        return true;
      });
    });
    await t.step("version 12", () => {
      writeVersion(db, 12, { dirty: false });
      assert.throws(() => checkVersion(db), /unsupported database version 12, need 11: .*newer/);
    });
    await t.step("dirty version 11", () => {
      writeVersion(db, 11, { dirty: true });
      assert.throws(() => checkVersion(db), {
        message: "last migration to version 11 has failed, " +
          "please fix the db manually and force version with -force-db flag",
      });
    });
  }, { migrate: false });
});

Deno.test("checkVersion() rejects the v10 fixture", async () => {
  await withTempDb((db) => {
    assert.throws(() => checkVersion(db), /unsupported database version 10, need 11/);
  }, { fixture: true, migrate: false });
});

Deno.test("forceVersion() records 11 as clean without touching the schema", async () => {
  await withTempDb((db) => {
    writeVersion(db, 11, { dirty: true });
    const before = db.prepare("SELECT name, sql FROM sqlite_master ORDER BY name").all();
    forceVersion(db);
    assert.deepEqual(readVersion(db), { version: 11, dirty: false });
    assert.deepEqual(db.prepare("SELECT name, sql FROM sqlite_master ORDER BY name").all(), before);
    assert.equal(db.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get()?.n, 1);
  }, { fixture: true, migrate: false });
});

Deno.test("forceVersion() creates schema_migrations with its unique index when missing", async () => {
  await withTempDb((db) => {
    forceVersion(db);
    assert.deepEqual(readVersion(db), { version: 11, dirty: false });
    const index = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'version_unique'").get();
    assert.match(
      String(index?.sql),
      /UNIQUE INDEX version_unique ON schema_migrations \(version\)/,
    );
  }, { migrate: false });
});
