import assert from "node:assert/strict";
import { join } from "node:path";
import { zstdDecompressSync } from "node:zlib";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { encodeBinarySnapshot } from "./checkpoint_binary.ts";
import { type CheckpointFile, emptyCheckpoint } from "./checkpoint_file.ts";
import { cleanupCheckpoints, oldFiles } from "./cleanup.ts";
import { parseScopeFromName } from "./cleanup_parquet.ts";
import { withTempDir } from "./checkpoint_test_helpers.ts";

/** The JSON checkpoint of cc-backend's parquet archive test: 3 metrics × 3 values. */
const JSON_1000 = `{"from":1000,"to":1060,"metrics":{` +
  `"cpu_load":{"frequency":60,"start":1000,"data":[0.5,0.7,0.9]},` +
  `"mem_used":{"frequency":60,"start":1000,"data":[45.0,46.0,47.0]}},` +
  `"children":{"socket0":{"from":1000,"to":1060,"metrics":{` +
  `"mem_bw":{"frequency":60,"start":1000,"data":[100.0,110.0,120.0]}},"children":{}}}}`;

function binary(from: number, to: number, values: number[]): Uint8Array {
  const file: CheckpointFile = emptyCheckpoint(from, to);
  file.metrics.set("cpu_load", { frequency: 60, start: from, data: Float32Array.from(values) });
  const child = emptyCheckpoint(from, to);
  child.metrics.set("mem_bw", {
    frequency: 60,
    start: from,
    data: Float32Array.from([100, NaN, 200]),
  });
  file.children.set("socket0", child);
  return encodeBinarySnapshot(file);
}

/** fritz/node001: 1000.json, 2000.bin (data up to 3000), 3000.bin; alex/a1: 1500.bin (up to 1600). */
async function layout(dir: string): Promise<void> {
  const node = join(dir, "fritz", "node001");
  const a1 = join(dir, "alex", "a1");
  await Deno.mkdir(node, { recursive: true });
  await Deno.mkdir(a1, { recursive: true });
  await Deno.writeTextFile(join(node, "1000.json"), JSON_1000);
  await Deno.writeFile(join(node, "2000.bin"), binary(2000, 3000, [1, 2, 3]));
  await Deno.writeFile(join(node, "3000.bin"), binary(3000, 4000, [4]));
  await Deno.writeFile(join(node, "current.wal"), new Uint8Array([1, 0xA7, 0x1D, 0xCC]));
  await Deno.writeFile(join(a1, "1500.bin"), binary(1500, 1600, [0.5, 0.7, NaN]));
}

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("cleanupCheckpoints() delete: removes old files, keeps the one reaching into retention", async () => {
  await withTempDir(async (dir) => {
    await layout(dir);
    assert.deepEqual((await oldFiles(join(dir, "fritz", "node001"), 2600)).map((f) => f.name), [
      "1000.json",
    ]);
    const result = await cleanupCheckpoints({ directory: dir, before: 2600, mode: "delete" });
    assert.equal(result.files, 2);
    assert.equal(result.errors, 0);
    assert.deepEqual(await names(join(dir, "fritz", "node001")), [
      "2000.bin",
      "3000.bin",
      "current.wal",
    ]);
    assert.deepEqual(await names(join(dir, "alex", "a1")), []);
  });
});

Deno.test("cleanupCheckpoints() archive: one Parquet file per cluster, one row per value", async () => {
  await withTempDir(async (dir) => {
    const checkpoints = join(dir, "checkpoints");
    const archive = join(dir, "archive");
    await layout(checkpoints);
    const result = await cleanupCheckpoints({
      directory: checkpoints,
      before: 2600,
      mode: "archive",
      archiveDirectory: archive,
    });
    assert.equal(result.files, 2);
    assert.equal(result.rows, 9 + 4);
    const read = async (cluster: string) => {
      const bytes = await Deno.readFile(join(archive, cluster, "2600.parquet"));
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
      const metadata = parquetMetadata(file);
      const rows = await parquetReadObjects({
        file,
        compressors: { ZSTD: (input: Uint8Array) => new Uint8Array(zstdDecompressSync(input)) },
      });
      return { metadata, rows };
    };
    const fritz = await read("fritz");
    assert.equal(fritz.rows.length, 9);
    assert.equal(fritz.metadata.row_groups.length, 1);
    assert.equal(fritz.metadata.row_groups[0].columns[0].meta_data?.codec, "ZSTD");
    assert.deepEqual(fritz.rows[0], {
      cluster: "fritz",
      hostname: "node001",
      metric: "cpu_load",
      scope: "node",
      scope_id: "",
      timestamp: 1000n,
      frequency: 60n,
      value: 0.5,
    });
    const bw = fritz.rows.filter((r) => r.metric === "mem_bw");
    assert.deepEqual(bw.map((r) => [r.scope, r.scope_id, r.timestamp, r.value]), [
      ["socket", "0", 1000n, 100],
      ["socket", "0", 1060n, 110],
      ["socket", "0", 1120n, 120],
    ]);
    const alex = await read("alex");
    // NaN values have no row: cpu_load 0.5, 0.7 and mem_bw 100, 200.
    assert.equal(alex.rows.length, 4);
    assert.deepEqual(alex.rows.map((r) => r.value), [0.5, Math.fround(0.7), 100, 200]);
    assert.deepEqual(await names(join(checkpoints, "fritz", "node001")), [
      "2000.bin",
      "3000.bin",
      "current.wal",
    ]);
  });
});

Deno.test("cleanupCheckpoints() archive: a cluster with an unreadable file keeps its files", async () => {
  await withTempDir(async (dir) => {
    const checkpoints = join(dir, "checkpoints");
    const archive = join(dir, "archive");
    await layout(checkpoints);
    await Deno.writeTextFile(join(checkpoints, "fritz", "node001", "1000.json"), "{broken");
    const warnings: string[] = [];
    const result = await cleanupCheckpoints({
      directory: checkpoints,
      before: 2600,
      mode: "archive",
      archiveDirectory: archive,
      warn: (m) => warnings.push(m),
    });
    assert.equal(result.errors, 1);
    assert.equal(result.files, 1, "alex is archived and cleaned");
    assert.match(warnings.join("\n"), /cannot archive cluster fritz/);
    assert.deepEqual(await names(join(checkpoints, "fritz", "node001")), [
      "1000.json",
      "2000.bin",
      "3000.bin",
      "current.wal",
    ]);
    await assert.rejects(Deno.stat(join(archive, "fritz", "2600.parquet")), Deno.errors.NotFound);
    assert.deepEqual(await names(join(archive, "alex")), ["2600.parquet"]);
  });
});

Deno.test("parseScopeFromName() maps child level names to scope and id", () => {
  const cases: [string, [string, string]][] = [
    ["socket0", ["socket", "0"]],
    ["socket12", ["socket", "12"]],
    ["core0", ["core", "0"]],
    ["core127", ["core", "127"]],
    ["cpu0", ["hwthread", "0"]],
    ["hwthread5", ["hwthread", "5"]],
    ["memoryDomain0", ["memoryDomain", "0"]],
    ["accelerator0", ["accelerator", "0"]],
    ["accelerator00000000:01:00.0", ["accelerator", "00000000:01:00.0"]],
    ["unknown", ["unknown", ""]],
    ["socketX", ["socketX", ""]],
  ];
  for (const [name, expected] of cases) assert.deepEqual(parseScopeFromName(name), expected, name);
});
