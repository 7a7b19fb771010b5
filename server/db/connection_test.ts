import assert from "node:assert/strict";
import { AppError } from "../errors.ts";
import { openDatabase, resolveDbConfig, withTransaction } from "./connection.ts";

async function inTempDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ccdb_conn_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function pragma(db: ReturnType<typeof openDatabase>, name: string): unknown {
  const row = db.prepare(`PRAGMA ${name}`).get();
  return row ? Object.values(row)[0] : undefined;
}

Deno.test("openDatabase() applies cc-backend's pragmas with the db-config defaults", async () => {
  await inTempDir((dir) => {
    const db = openDatabase(`${dir}/job.db`);
    try {
      assert.equal(pragma(db, "journal_mode"), "wal");
      assert.equal(pragma(db, "synchronous"), 1);
      assert.equal(pragma(db, "foreign_keys"), 1);
      assert.equal(pragma(db, "busy_timeout"), 60000);
      assert.equal(pragma(db, "cache_size"), -2048 * 1024);
      assert.equal(pragma(db, "temp_store"), 2);
      assert.equal(pragma(db, "soft_heap_limit"), 16384 * 1024 * 1024);
    } finally {
      db.close();
    }
  });
});

Deno.test("openDatabase() takes db-config values and ignores non-positive ones", async () => {
  await inTempDir((dir) => {
    const db = openDatabase(`${dir}/job.db`, {
      dbConfig: { cacheSizeMb: 64, busyTimeoutMs: 0, softHeapLimitMb: 512 },
    });
    try {
      assert.equal(pragma(db, "cache_size"), -64 * 1024);
      assert.equal(pragma(db, "busy_timeout"), 60000);
      assert.equal(pragma(db, "soft_heap_limit"), 512 * 1024 * 1024);
    } finally {
      db.close();
    }
  });
});

Deno.test("resolveDbConfig() fills defaults", () => {
  assert.deepEqual(resolveDbConfig({ maxOpenConnections: -1, busyTimeoutMs: 5 }), {
    cacheSizeMb: 2048,
    softHeapLimitMb: 16384,
    maxOpenConnections: 4,
    maxIdleConnections: 4,
    maxIdleTimeMinutes: 10,
    busyTimeoutMs: 5,
  });
});

Deno.test("openDatabase() names the path when it cannot open", async () => {
  await inTempDir((dir) => {
    const path = `${dir}/missing/job.db`;
    assert.throws(() => openDatabase(path), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.match(error.message, new RegExp(`cannot open database "${path}"`));
      return true;
    });
  });
});

Deno.test("openDatabase() read-only refuses writes", async () => {
  await inTempDir((dir) => {
    const path = `${dir}/job.db`;
    openDatabase(path).close();
    const db = openDatabase(path, { readOnly: true });
    try {
      assert.throws(() => db.exec("CREATE TABLE t (a)"), /readonly/);
    } finally {
      db.close();
    }
  });
});

Deno.test("withTransaction() commits, rolls back and nests", async (t) => {
  await inTempDir(async (dir) => {
    const db = openDatabase(`${dir}/job.db`);
    db.exec("CREATE TABLE t (a INTEGER)");
    const count = () => Number(db.prepare("SELECT COUNT(*) AS n FROM t").get()?.n);
    try {
      await t.step("commit", () => {
        const result = withTransaction(db, () => {
          db.exec("INSERT INTO t VALUES (1)");
          return 7;
        });
        assert.equal(result, 7);
        assert.equal(count(), 1);
      });
      await t.step("rollback on throw", () => {
        assert.throws(() =>
          withTransaction(db, () => {
            db.exec("INSERT INTO t VALUES (2)");
            throw new Error("boom");
          }), /boom/);
        assert.equal(count(), 1);
        assert.equal(db.isTransaction, false);
      });
      await t.step("inner failure rolls back only the inner part", () => {
        withTransaction(db, () => {
          db.exec("INSERT INTO t VALUES (3)");
          assert.throws(() =>
            withTransaction(db, () => {
              db.exec("INSERT INTO t VALUES (4)");
              throw new Error("inner");
            })
          );
        });
        assert.equal(count(), 2);
      });
    } finally {
      db.close();
    }
  });
});
