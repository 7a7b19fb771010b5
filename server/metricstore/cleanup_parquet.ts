/**
 * The Parquet archive of old checkpoint files (cleanup mode `archive`), in
 * cc-backend's long format: one zstd-compressed file per cluster, one row
 * group per host, one row per non-NaN value with the columns `cluster`,
 * `hostname`, `metric`, `scope`, `scope_id` (strings), `timestamp`,
 * `frequency` (int64) and `value` (float32). Metrics and children are
 * written in sorted name order. Written with hyparquet-writer.
 *
 * @module
 */
import { dirname } from "node:path";
import { zstdCompressSync } from "node:zlib";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { type CheckpointFile, writeFileSafely } from "./checkpoint_file.ts";
import type { HostFiles } from "./cleanup.ts";

const SCOPE_PREFIXES: [string, string][] = [
  ["memoryDomain", "memoryDomain"],
  ["accelerator", "accelerator"],
  ["hwthread", "hwthread"],
  ["socket", "socket"],
  ["core", "core"],
  ["cpu", "hwthread"],
];

/**
 * The scope and id of a child level name: `socket0` → (socket, 0), `cpu3`
 * → (hwthread, 3), `accelerator00000000:01:00.0` → (accelerator,
 * 00000000:01:00.0). A name with an unknown prefix, or without a digit
 * after it, is the scope itself with an empty id.
 */
export function parseScopeFromName(name: string): [string, string] {
  for (const [prefix, scope] of SCOPE_PREFIXES) {
    if (name.startsWith(prefix) && name.length > prefix.length) {
      const c = name.charCodeAt(prefix.length);
      if (c >= 48 && c <= 57) return [scope, name.slice(prefix.length)];
    }
  }
  return [name, ""];
}

/** The rows of one host, column by column. */
class HostRows {
  cluster: string[] = [];
  hostname: string[] = [];
  metric: string[] = [];
  scope: string[] = [];
  scopeId: string[] = [];
  timestamp: number[] = [];
  frequency: number[] = [];
  value: number[] = [];

  add(file: CheckpointFile, cluster: string, host: string, scope: string, scopeId: string) {
    for (const name of [...file.metrics.keys()].sort()) {
      const { frequency, start, data } = file.metrics.get(name)!;
      for (let i = 0; i < data.length; i++) {
        const v = data[i];
        if (v !== v) continue;
        this.cluster.push(cluster);
        this.hostname.push(host);
        this.metric.push(name);
        this.scope.push(scope);
        this.scopeId.push(scopeId);
        this.timestamp.push(start + i * frequency);
        this.frequency.push(frequency);
        this.value.push(v);
      }
    }
    for (const name of [...file.children.keys()].sort()) {
      const [childScope, childId] = parseScopeFromName(name);
      this.add(file.children.get(name)!, cluster, host, childScope, childId);
    }
  }
}

const STRING = { type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" } as const;
const SCHEMA = [
  { name: "root", num_children: 8 },
  { name: "cluster", ...STRING },
  { name: "hostname", ...STRING },
  { name: "metric", ...STRING },
  { name: "scope", ...STRING },
  { name: "scope_id", ...STRING },
  { name: "timestamp", type: "INT64", repetition_type: "REQUIRED" },
  { name: "frequency", type: "INT64", repetition_type: "REQUIRED" },
  { name: "value", type: "FLOAT", repetition_type: "REQUIRED" },
] as const;

/**
 * Writes the files of `hosts` (one cluster) to the Parquet file `target`
 * and returns the number of rows. Throws on any read or write error; the
 * caller then keeps the checkpoint files.
 */
export async function writeClusterParquet(
  target: string,
  hosts: HostFiles[],
  load: (path: string) => Promise<CheckpointFile>,
): Promise<number> {
  const writer = new ByteWriter();
  const parquet = new ParquetWriter({
    writer,
    schema: SCHEMA.map((e) => ({ ...e })),
    codec: "ZSTD",
    compressors: { ZSTD: (bytes: Uint8Array) => new Uint8Array(zstdCompressSync(bytes)) },
    createdBy: "cc-backend (Deno)",
  });
  let rows = 0;
  for (const { cluster, host, dir, files } of [...hosts].sort((a, b) => a.host < b.host ? -1 : 1)) {
    const r = new HostRows();
    for (const f of files) r.add(await load(`${dir}/${f.name}`), cluster, host, "node", "");
    if (r.value.length === 0) continue;
    rows += r.value.length;
    await parquet.write({
      columnData: [
        { name: "cluster", data: r.cluster },
        { name: "hostname", data: r.hostname },
        { name: "metric", data: r.metric },
        { name: "scope", data: r.scope },
        { name: "scope_id", data: r.scopeId },
        { name: "timestamp", data: BigInt64Array.from(r.timestamp, BigInt) },
        { name: "frequency", data: BigInt64Array.from(r.frequency, BigInt) },
        { name: "value", data: Float32Array.from(r.value) },
      ],
      rowGroupSize: r.value.length,
    });
  }
  await parquet.finish();
  await Deno.mkdir(dirname(target), { recursive: true });
  await writeFileSafely(target, writer.getBytes(), true);
  return rows;
}
