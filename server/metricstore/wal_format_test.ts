import { deepEqual, equal } from "node:assert/strict";
import {
  crc32,
  encodeRecord,
  encodeSeriesKey,
  readWal,
  RECORD_SLACK,
  recordSize,
  WAL_FILE_MAGIC,
  WAL_RECORD_MAGIC,
  walKey,
} from "./wal_format.ts";

const encoder = new TextEncoder();

/** A record the slow, obvious way: the layout of the format's description, byte by byte. */
function plainRecord(key: Uint8Array, ts: number, value: number): Uint8Array {
  const payload = new Uint8Array(8 + key.length + 4);
  const view = new DataView(payload.buffer);
  view.setBigInt64(0, BigInt(ts), true);
  payload.set(key, 8);
  view.setFloat32(8 + key.length, value, true);
  const out = new Uint8Array(8 + payload.length + 4);
  const outView = new DataView(out.buffer);
  outView.setUint32(0, WAL_RECORD_MAGIC, true);
  outView.setUint32(4, payload.length, true);
  out.set(payload, 8);
  outView.setUint32(8 + payload.length, crc32(payload, 0, payload.length), true);
  return out;
}

/** Keys of many lengths, from 4 to a few hundred bytes. */
function testKeys(count: number): Uint8Array[] {
  const keys: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const name = encoder.encode(i % 5 === 0 ? "m".repeat(i % 300) : `metric_${i % 13}`);
    const selector = Array.from(
      { length: i % 4 },
      (_, k) => encoder.encode(`${["socket", "core", "hwthread"][k % 3]}${i}`),
    );
    keys.push(encodeSeriesKey(name, selector)!);
  }
  return keys;
}

Deno.test("encodeRecord writes records byte for byte as the format describes", () => {
  const keys = testKeys(600);
  const walKeys = keys.map(walKey);
  const maxRecord = Math.max(...keys.map((k) => recordSize(k.length)));
  const buf = new Uint8Array(keys.length * 4 * (maxRecord + RECORD_SLACK));
  const view = new DataView(buf.buffer);
  const samples = [
    [1_790_000_000, 3.25],
    [2 ** 40 + 5, -0.5],
    [0, NaN],
    [1_790_000_010, 1e30],
  ];
  let p = 0;
  const expected: number[] = [];
  for (let id = 0; id < keys.length; id++) {
    for (const [ts, value] of samples) {
      p = encodeRecord(view, p, walKeys[id], ts, value);
      expected.push(...plainRecord(keys[id], ts, value));
    }
  }
  equal(p, expected.length);
  deepEqual(buf.subarray(0, p), new Uint8Array(expected));
});

Deno.test("encoded records read back with their keys, times and values", () => {
  const keys = testKeys(40);
  const walKeys = keys.map(walKey);
  const maxRecord = Math.max(...keys.map((k) => recordSize(k.length)));
  const buf = new Uint8Array(4 + keys.length * (maxRecord + RECORD_SLACK));
  const view = new DataView(buf.buffer);
  view.setUint32(0, WAL_FILE_MAGIC, true);
  let p = 4;
  walKeys.forEach((key, id) => p = encodeRecord(view, p, key, 1000 + id, id / 4));
  const seen: string[] = [];
  const result = readWal(buf.subarray(0, p), (r) => {
    const key = buf.subarray(r.keyStart, r.keyEnd);
    seen.push(
      `${
        keys.findIndex((k) => k.length === key.length && k.every((b, i) => b === key[i]))
      } ${r.ts} ${r.value}`,
    );
  });
  deepEqual([result.records, result.corrupt, result.truncated], [keys.length, 0, false]);
  deepEqual(seen, keys.map((_, id) => `${id} ${1000 + id} ${id / 4}`));
});
