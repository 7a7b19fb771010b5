import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SAFETY_NET_PAGES, startBackgroundCheckpoints } from "./background_checkpoints.ts";
import { openDatabase } from "./connection.ts";

function autocheckpoint(db: DatabaseSync): number {
  return Number(db.prepare("PRAGMA wal_autocheckpoint").get()?.wal_autocheckpoint);
}

async function withWalDb(fn: (db: DatabaseSync, path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ccdb_ckpt_test_" });
  const path = `${dir}/job.db`;
  const db = openDatabase(path, { dbConfig: { cacheSizeMb: 16 } });
  try {
    db.exec("CREATE TABLE t (x BLOB)");
    await fn(db, path);
  } finally {
    if (db.isOpen) db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function waitFor(what: string, done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("background checkpoints copy the WAL into the database on a worker", async () => {
  await withWalDb(async (db, path) => {
    const before = autocheckpoint(db);
    const checkpoints = await startBackgroundCheckpoints(db, { intervalMs: 20 });
    try {
      // The writer keeps a high threshold only as a safety net.
      assert.equal(autocheckpoint(db), SAFETY_NET_PAGES);
      const insert = db.prepare("INSERT INTO t VALUES (randomblob(3000))");
      for (let i = 0; i < 300; i++) insert.run();
      // 300 rows of 3000 bytes: the database file holds them once a checkpoint copied them.
      await waitFor("the rows in the database file", () => Deno.statSync(path).size > 300 * 3000);
      const stats = checkpoints.stats();
      assert.ok(stats.runs > 0 && stats.lastCheckpointed > 0, JSON.stringify(stats));
    } finally {
      await checkpoints.stop();
    }
    assert.equal(autocheckpoint(db), before);
    // Stopping twice is harmless.
    await checkpoints.stop();
  });
});

Deno.test("background checkpoints refuse an in-memory or non-WAL database", async () => {
  const memory = new DatabaseSync(":memory:");
  try {
    await assert.rejects(startBackgroundCheckpoints(memory), /need a file database/);
  } finally {
    memory.close();
  }
  const dir = await Deno.makeTempDir({ prefix: "ccdb_ckpt_test_" });
  const rollback = new DatabaseSync(`${dir}/plain.db`);
  try {
    rollback.exec("PRAGMA journal_mode = DELETE");
    await assert.rejects(startBackgroundCheckpoints(rollback), /need WAL mode, not delete/);
    assert.equal(autocheckpoint(rollback), 1000);
  } finally {
    rollback.close();
    await Deno.remove(dir, { recursive: true });
  }
});
