import assert from "node:assert/strict";
import { join } from "node:path";
import {
  captureLog,
  checkpointSite,
  readAll,
  SAMPLE_SERIES,
  sampleLines,
  withTempDir,
} from "./checkpoint_test_helpers.ts";
import { WAL_FILE_NAME } from "./checkpoint_file.ts";
import { values } from "./test_helpers.ts";

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

for (const format of ["wal", "json"] as const) {
  Deno.test(`Checkpointer (${format}) round trip: snapshot, restore, identical reads`, async () => {
    await withTempDir(async (dir) => {
      const clock = { now: 2000 };
      const a = checkpointSite(dir, clock, { format });
      a.ingest(...sampleLines(1000, 40));
      const before = readAll(a.store, SAMPLE_SERIES);
      // NaN gaps are part of the data.
      assert.ok(before["fritz:f1/cpu_load"]!.data.some((v) => Number.isNaN(v)));
      const result = await a.checkpointer.checkpoint();
      assert.equal(result.files, 2);
      assert.equal(result.errors, 0);
      const ext = format === "wal" ? ".bin" : ".json";
      // The WAL restarted after the snapshot: only its header is left.
      assert.deepEqual(await names(join(dir, "fritz", "f1")), [`2000${ext}`, WAL_FILE_NAME]);

      const b = checkpointSite(dir, clock, { format });
      const restored = await b.checkpointer.restore();
      assert.equal(restored.hosts, 2);
      assert.equal(restored.files, 2);
      assert.deepEqual(readAll(b.store, SAMPLE_SERIES), before);
      // Restored data is on disk already: nothing to write.
      assert.equal((await b.checkpointer.checkpoint()).files, 0);
    });
  });
}

Deno.test("Checkpointer: JSON keeps full float64 precision", async () => {
  await withTempDir(async (dir) => {
    const clock = { now: 2000 };
    const a = checkpointSite(dir, clock, { format: "json" });
    a.ingest(
      "cpu_load,hostname=f1 value=0.1234567891234 1000",
      "cpu_load,hostname=f1 value=1e-300 1010",
    );
    await a.checkpointer.checkpoint();
    const b = checkpointSite(dir, clock, { format: "json" });
    await b.checkpointer.restore();
    assert.deepEqual(
      values(b.store.read(["fritz", "f1"], "cpu_load", { from: 0, to: 5000 })?.data),
      [
        0.1234567891234,
        1e-300,
      ],
    );
  });
});

Deno.test("Checkpointer: the WAL is replayed after the snapshot", async (t) => {
  await withTempDir(async (dir) => {
    const clock = { now: 2000 };
    const a = checkpointSite(dir, clock);
    a.ingest(...sampleLines(1000, 20));
    await a.checkpointer.checkpoint();
    clock.now = 2500;
    // A late sample: overwrites a slot the snapshot already saved.
    a.ingest("cpu_load,hostname=f1 value=77 1170");
    a.ingest(...sampleLines(1200, 20));
    await a.checkpointer.journal.flush();
    const expected = readAll(a.store, SAMPLE_SERIES);
    assert.equal(expected["fritz:f1/cpu_load"]!.data[17], 77);

    const b = checkpointSite(dir, clock);
    const restored = await b.checkpointer.restore();
    assert.ok(restored.walRecords > 0);
    await t.step("restore gives the same reads", () => {
      assert.deepEqual(readAll(b.store, SAMPLE_SERIES), expected);
    });

    await t.step("replayed samples are snapshotted before the WAL restarts", async () => {
      clock.now = 3000;
      const result = await b.checkpointer.checkpoint();
      assert.equal(result.files, 2);
      const wal = await Deno.stat(join(dir, "fritz", "f1", WAL_FILE_NAME));
      assert.equal(wal.size, 4, "the WAL restarted with only its header");
      const c = checkpointSite(dir, clock);
      await c.checkpointer.restore();
      assert.deepEqual(readAll(c.store, SAMPLE_SERIES), expected);
    });
  });
});

Deno.test("Checkpointer: a checkpoint while samples arrive loses none", async () => {
  await withTempDir(async (dir) => {
    const clock = { now: 2000 };
    const a = checkpointSite(dir, clock);
    a.ingest(...sampleLines(1000, 30));
    const pass = a.checkpointer.checkpoint();
    // Lines arriving during the write of the snapshot files.
    a.ingest(...sampleLines(1300, 5));
    await pass;
    a.ingest(...sampleLines(1350, 5));
    await a.checkpointer.journal.flush();
    const expected = readAll(a.store, SAMPLE_SERIES);
    const b = checkpointSite(dir, clock);
    await b.checkpointer.restore();
    assert.deepEqual(readAll(b.store, SAMPLE_SERIES), expected);
  });
});

Deno.test("Checkpointer: two checkpoints in one second get distinct file names", async () => {
  await withTempDir(async (dir) => {
    const clock = { now: 2000 };
    const a = checkpointSite(dir, clock);
    a.ingest(...sampleLines(1000, 10));
    await a.checkpointer.checkpoint();
    a.ingest(...sampleLines(1100, 10));
    await a.checkpointer.checkpoint();
    a.ingest(...sampleLines(1200, 10));
    await a.checkpointer.stop();
    assert.deepEqual(await names(join(dir, "fritz", "f1")), [
      "2000.bin",
      "2001.bin",
      "2002.bin",
      WAL_FILE_NAME,
    ]);
    const b = checkpointSite(dir, clock);
    await b.checkpointer.restore();
    assert.deepEqual(readAll(b.store, SAMPLE_SERIES), readAll(a.store, SAMPLE_SERIES));
  });
});

Deno.test("Checkpointer: max-wal-size snapshots the host and restarts its WAL", async () => {
  await withTempDir(async (dir) => {
    const clock = { now: 2000 };
    const a = checkpointSite(dir, clock, { maxWalSize: 2000 });
    const walPath = join(dir, "fritz", "f1", WAL_FILE_NAME);
    let largest = 0;
    for (let round = 0; round < 6; round++) {
      a.ingest(...sampleLines(1000 + round * 100, 10));
      await a.checkpointer.journal.flush();
      largest = Math.max(largest, (await Deno.stat(walPath)).size);
      await a.checkpointer.idle();
    }
    const files = (await names(join(dir, "fritz", "f1"))).filter((n) => n.endsWith(".bin"));
    assert.ok(files.length >= 2, `snapshots: ${files}`);
    assert.ok((await Deno.stat(walPath)).size <= 2000);
    assert.ok(largest <= 4000, `largest WAL: ${largest} bytes`);
    const b = checkpointSite(dir, clock);
    await b.checkpointer.restore();
    assert.deepEqual(readAll(b.store, SAMPLE_SERIES), readAll(a.store, SAMPLE_SERIES));
  });
});

Deno.test("Checkpointer: a WAL damaged in the middle and cut off at the end keeps the intact records", async () => {
  await withTempDir(async (dir) => {
    const clock = { now: 2000 };
    const a = checkpointSite(dir, clock);
    for (let i = 0; i < 10; i++) a.ingest(`cpu_load,hostname=f1 value=${i} ${1000 + 10 * i}`);
    await a.checkpointer.journal.flush();
    const walPath = join(dir, "fritz", "f1", WAL_FILE_NAME);
    const bytes = await Deno.readFile(walPath);
    const record = (bytes.length - 4) / 10;
    assert.equal(record, 35, "a node-level cpu_load record is 35 bytes");
    bytes[4 + 4 * record + 20] ^= 0xFF; // payload byte of the fifth record: CRC mismatch
    await Deno.writeFile(walPath, bytes.subarray(0, bytes.length - 10)); // last record cut off

    const b = checkpointSite(dir, clock);
    let restored;
    const log = await captureLog(async () => {
      restored = await b.checkpointer.restore();
    });
    assert.equal(restored!.walCorrupt, 1);
    assert.ok(
      log.some((l) => /skipped 1 damaged records and a record cut off/.test(l)),
      log.join("\n"),
    );
    assert.deepEqual(
      values(b.store.read(["fritz", "f1"], "cpu_load", { from: 0, to: 5000 })?.data),
      [
        0,
        1,
        2,
        3,
        NaN,
        5,
        6,
        7,
        8,
      ],
    );
    // The damaged WAL was replaced by a snapshot at start.
    assert.equal((await Deno.stat(walPath)).size, 4);
    const c = checkpointSite(dir, clock);
    await c.checkpointer.restore();
    assert.deepEqual(readAll(c.store, SAMPLE_SERIES), readAll(b.store, SAMPLE_SERIES));
  });
});

Deno.test("Checkpointer: restore skips data older than the retention window", async () => {
  await withTempDir(async (dir) => {
    const clock = { now: 2000 };
    const a = checkpointSite(dir, clock);
    a.ingest(...sampleLines(1000, 10));
    await a.checkpointer.checkpoint();
    clock.now = 10_000;
    a.ingest(...sampleLines(9000, 10));
    await a.checkpointer.checkpoint();
    a.ingest(...sampleLines(9500, 3));
    await a.checkpointer.journal.flush();
    const b = checkpointSite(dir, clock, { retentionSeconds: 2000 });
    const restored = await b.checkpointer.restore();
    // Per host: 2000.bin ends before the window; 2001.bin (from the last checkpoint on)
    // reaches into it.
    assert.equal(restored.files, 2);
    assert.equal(b.store.firstWrite(["fritz", "f1"], "cpu_load"), 9000);
    const old = checkpointSite(dir, { now: 100_000 }, { retentionSeconds: 2000 });
    const none = await old.checkpointer.restore();
    assert.equal(none.files, 0);
    assert.equal(old.store.points, 0);
  });
});
