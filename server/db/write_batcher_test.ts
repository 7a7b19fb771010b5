import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { WriteBatcher } from "./write_batcher.ts";

function freshDb(): DatabaseSync {
  const db = new DatabaseSync(":memory:");
  db.exec("CREATE TABLE t (k TEXT PRIMARY KEY)");
  return db;
}

function count(db: DatabaseSync): number {
  return Number((db.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n);
}

Deno.test("WriteBatcher.run() commits writes of one turn together, in order", async () => {
  const db = freshDb();
  const batcher = new WriteBatcher(db);
  const seen: number[] = [];
  const results = await Promise.all([1, 2, 3].map((i) =>
    batcher.run(() => {
      seen.push(count(db));
      db.prepare("INSERT INTO t VALUES (?)").run(`k${i}`);
      return i * 10;
    })
  ));
  assert.deepEqual(results, [10, 20, 30]);
  // Each write saw the earlier ones of its batch.
  assert.deepEqual(seen, [0, 1, 2]);
  assert.equal(count(db), 3);
  assert.equal(db.isTransaction, false);
});

Deno.test("WriteBatcher.run() rolls back only the write that fails", async () => {
  const db = freshDb();
  const batcher = new WriteBatcher(db);
  const insert = (k: string) => () => db.prepare("INSERT INTO t VALUES (?)").run(k);
  const failing = () => {
    db.prepare("INSERT INTO t VALUES (?)").run("half");
    throw new Error("duplicate start");
  };
  const outcomes = await Promise.allSettled([
    batcher.run(insert("a")),
    batcher.run(failing),
    batcher.run(insert("a")), // UNIQUE violation: rejected alone
    batcher.run(insert("b")),
  ]);
  assert.deepEqual(outcomes.map((o) => o.status), [
    "fulfilled",
    "rejected",
    "rejected",
    "fulfilled",
  ]);
  assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /duplicate start/);
  const keys = db.prepare("SELECT k FROM t ORDER BY k").all().map((r) => r.k);
  assert.deepEqual(keys, ["a", "b"]);
});

Deno.test("WriteBatcher.run() splits long queues into batches of maxBatch", async () => {
  const db = freshDb();
  const batcher = new WriteBatcher(db, { maxBatch: 2 });
  const ids = await Promise.all(
    Array.from(
      { length: 5 },
      (_, i) =>
        batcher.run(() => db.prepare("INSERT INTO t VALUES (?)").run(`k${i}`).lastInsertRowid),
    ),
  );
  assert.equal(ids.length, 5);
  assert.equal(count(db), 5);
});
