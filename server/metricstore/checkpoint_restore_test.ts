import assert from "node:assert/strict";
import { join } from "node:path";
import { hostDirectory, isSafeName, parseSnapshotName } from "./checkpoint_file.ts";
import { decodeBinarySnapshot, encodeBinarySnapshot } from "./checkpoint_binary.ts";
import { restoreCheckpoints, selectSnapshots } from "./checkpoint_restore.ts";
import { captureLog, checkpointSite, withTempDir } from "./checkpoint_test_helpers.ts";
import { testStore, values } from "./test_helpers.ts";
import { crc32, encodeSeriesKey, readWal, walFileHeader } from "./wal_format.ts";

const encoder = new TextEncoder();

/**
 * A JSON checkpoint as cc-backend writes it (1 decimal, null for NaN), in its
 * directory layout, written by hand from the format description.
 */
const REFERENCE_JSON = `{"from":1000,"to":1060,"metrics":{` +
  `"cpu_load":{"frequency":10,"start":1000,"data":[0.5,0.7,null,1.0]},` +
  `"mem_used":{"frequency":10,"start":1010,"data":[12.0,13.0,14.0]}},` +
  `"children":{"socket0":{"from":1000,"to":1060,"metrics":{` +
  `"mem_bw":{"frequency":10,"start":1000,"data":[100.0,null,200.0]}},"children":{` +
  `"memoryDomain1":{"from":1000,"to":1060,"metrics":{` +
  `"mem_bw":{"frequency":10,"start":1000,"data":[7.0]}},"children":{}}}},` +
  `"hwthread3":{"from":1000,"to":1060,"metrics":{` +
  `"cpu_user":{"frequency":10,"start":1020,"data":[1.5,2.5]},` +
  `"unknown_metric":{"frequency":10,"start":1000,"data":[1.0]}},"children":{}}}}`;

Deno.test("restore reads a JSON checkpoint in cc-backend's layout", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "fritz", "node001"), { recursive: true });
    await Deno.writeTextFile(join(dir, "fritz", "node001", "1000.json"), REFERENCE_JSON);
    const store = testStore();
    let result;
    const warnings: string[] = [];
    const log = await captureLog(async () => {
      result = await restoreCheckpoints(store, {
        directory: dir,
        from: 500,
        warn: (m) => warnings.push(m),
      });
    });
    assert.deepEqual(log, []);
    assert.deepEqual(warnings, [
      "checkpoints: skipped metrics unknown to the cluster configs: unknown_metric",
    ]);
    assert.equal(result!.files, 1);
    assert.deepEqual([...result!.unknownMetrics], ["unknown_metric"]);
    const read = (sel: string[], metric: string) =>
      values(store.read(["fritz", "node001", ...sel], metric, { from: 0, to: 5000 })?.data);
    assert.deepEqual(read([], "cpu_load"), [0.5, 0.7, NaN, 1]);
    assert.deepEqual(read([], "mem_used"), [12, 13, 14]);
    assert.deepEqual(read(["socket0"], "mem_bw"), [100, NaN, 200]);
    assert.deepEqual(read(["socket0", "memoryDomain1"], "mem_bw"), [7]);
    assert.deepEqual(read(["hwthread3"], "cpu_user"), [1.5, 2.5]);
    assert.equal(store.firstWrite(["fritz", "node001", "hwthread3"], "cpu_user"), 1020);
  });
});

/** A binary snapshot encoded field by field from the format description. */
function referenceBinary(): Uint8Array {
  const parts: number[] = [];
  const u32 = (v: number) => parts.push(v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, v >>> 24);
  const i64 = (v: number) => {
    u32(v);
    u32(0);
  };
  const name = (s: string) => {
    const b = encoder.encode(s);
    parts.push(b.length & 0xFF, b.length >>> 8, ...b);
  };
  const f32 = (v: number) => parts.push(...new Uint8Array(new Float32Array([v]).buffer));
  u32(0xCC5B0001);
  i64(1000);
  i64(1060);
  u32(1); // metrics
  name("cpu_load");
  i64(10);
  i64(1000);
  u32(3);
  [0.5, NaN, 0.25].forEach(f32);
  u32(1); // children
  name("hwthread0");
  u32(1);
  name("cpu_user");
  i64(10);
  i64(1010);
  u32(2);
  [3, 4].forEach(f32);
  u32(0);
  return new Uint8Array(parts);
}

Deno.test("binary snapshots: cc-backend's layout reads, and encodes back byte for byte", async () => {
  const bytes = referenceBinary();
  const file = decodeBinarySnapshot(bytes);
  assert.equal(file.from, 1000);
  assert.equal(file.to, 1060);
  assert.deepEqual(values(file.metrics.get("cpu_load")!.data), [0.5, NaN, 0.25]);
  assert.deepEqual(encodeBinarySnapshot(file), bytes);
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "fritz", "f1"), { recursive: true });
    await Deno.writeFile(join(dir, "fritz", "f1", "1000.bin"), bytes);
    const store = testStore();
    await restoreCheckpoints(store, { directory: dir, from: 0 });
    assert.deepEqual(values(store.read(["fritz", "f1"], "cpu_load", { from: 0, to: 5000 })?.data), [
      0.5,
      NaN,
      0.25,
    ]);
    assert.deepEqual(
      values(store.read(["fritz", "f1", "hwthread0"], "cpu_user", { from: 0, to: 5000 })?.data),
      [3, 4],
    );
  });
  assert.throws(() => decodeBinarySnapshot(bytes.subarray(0, 40)), /cut off at byte/);
});

Deno.test("WAL records: 35 bytes for a node-level cpu_load, CRC-32/IEEE", () => {
  assert.equal(crc32(encoder.encode("123456789"), 0, 9), 0xCBF43926);
  const key = encodeSeriesKey(encoder.encode("cpu_load"), [])!;
  const site = new Uint8Array(4 + 35);
  site.set(walFileHeader());
  const view = new DataView(site.buffer);
  view.setUint32(4, 0xCC1DA7A1, true);
  view.setUint32(8, 23, true);
  view.setUint32(12, 1000, true);
  site.set(key, 20);
  view.setFloat32(20 + key.length, 1.5, true);
  view.setUint32(35, crc32(site, 12, 35), true);
  const seen: number[] = [];
  const result = readWal(site, (r) => seen.push(r.ts, r.value));
  assert.deepEqual(seen, [1000, 1.5]);
  assert.equal(result.records, 1);
});

Deno.test("selectSnapshots() takes the files from `from` on and the newest one before", () => {
  const files = ["100.bin", "200.json", "300.bin", "400.bin"].map((n) => parseSnapshotName(n)!);
  assert.deepEqual(selectSnapshots(files, 250).map((f) => f.name), [
    "200.json",
    "300.bin",
    "400.bin",
  ]);
  assert.deepEqual(selectSnapshots(files, 300).map((f) => f.name), [
    "200.json",
    "300.bin",
    "400.bin",
  ]);
  assert.deepEqual(selectSnapshots(files, 50).map((f) => f.name), [
    "100.bin",
    "200.json",
    "300.bin",
    "400.bin",
  ]);
  assert.deepEqual(selectSnapshots(files, 900).map((f) => f.name), ["400.bin"]);
  assert.equal(parseSnapshotName("current.wal"), null);
  assert.equal(parseSnapshotName("100.bin.tmp"), null);
});

Deno.test("checkpoint names never leave the checkpoint directory", async (t) => {
  await t.step("unsafe cluster and host names are refused", () => {
    for (const name of ["..", "../x", "a/b", "a\\b", "", ".", "a\0b", "x/../../etc"]) {
      assert.equal(isSafeName(name), false, name);
      assert.throws(() => hostDirectory("/ckpt", name, "h"), /cannot use/);
      assert.throws(() => hostDirectory("/ckpt", "c", name), /cannot use/);
    }
    assert.equal(hostDirectory("/ckpt", "fritz", "f0101"), "/ckpt/fritz/f0101");
  });

  await t.step("levels with unsafe names get no WAL", async () => {
    await withTempDir(async (dir) => {
      const site = checkpointSite(dir, { now: 2000 });
      const level = site.store.ensureLevel(["..", "etc"]);
      site.store.writeSample(level, 0, 2500, 1);
      site.checkpointer.journal.append(level, 0, 2500, 1);
      await site.checkpointer.journal.flush();
      assert.deepEqual(site.checkpointer.journal.hostWals(), []);
      let written;
      await captureLog(async () => {
        written = await site.checkpointer.checkpoint();
      });
      assert.equal(written!.errors, 1);
      for await (const e of Deno.readDir(dir)) assert.fail(`unexpected ${e.name}`);
    });
  });

  await t.step("WAL records with unsafe selector names are not replayed", async () => {
    await withTempDir(async (dir) => {
      const hostDir = join(dir, "fritz", "f1");
      await Deno.mkdir(hostDir, { recursive: true });
      const records: Uint8Array[] = [walFileHeader()];
      for (const selector of [["hwthread0"], [".."], ["a/b"]]) {
        const key = encodeSeriesKey(
          encoder.encode("cpu_user"),
          selector.map((s) => encoder.encode(s)),
        )!;
        const rec = new Uint8Array(8 + 8 + key.length + 4 + 4);
        const view = new DataView(rec.buffer);
        view.setUint32(0, 0xCC1DA7A1, true);
        view.setUint32(4, 8 + key.length + 4, true);
        view.setUint32(8, 1000, true);
        rec.set(key, 16);
        view.setFloat32(16 + key.length, 2, true);
        view.setUint32(rec.length - 4, crc32(rec, 8, rec.length - 4), true);
        records.push(rec);
      }
      const bytes = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
      let p = 0;
      for (const r of records) {
        bytes.set(r, p);
        p += r.length;
      }
      await Deno.writeFile(join(hostDir, "current.wal"), bytes);
      // Stray entries in the first two levels are ignored.
      await Deno.writeTextFile(join(dir, "README"), "not a cluster");
      await Deno.writeTextFile(join(dir, "fritz", "notes.txt"), "not a host");
      const store = testStore();
      const warnings: string[] = [];
      const result = await restoreCheckpoints(store, {
        directory: dir,
        from: 0,
        warn: (m) => warnings.push(m),
      });
      assert.equal(result.walRecords, 3);
      assert.equal(warnings.length, 2, warnings.join("\n"));
      assert.deepEqual([...store.findLevel(["fritz", "f1"])!.children!.keys()], ["hwthread0"]);
    });
  });
});
