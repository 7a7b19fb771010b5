import { deepEqual, equal, notEqual } from "node:assert/strict";
import { debugDump } from "./debug_dump.ts";
import { Ingestor, type IngestResult } from "./ingest.ts";
import { LINE_ERROR, LINE_MISS, LINE_OK, LineParser } from "./line_protocol.ts";
import type { MemoryStore } from "./memory_store.ts";
import { MAX_SERIES_BYTES, SeriesCache } from "./series_cache.ts";
import { testStore } from "./test_helpers.ts";

const encoder = new TextEncoder();
const T0 = 1_700_000_000;
const bytes = (s: string) => encoder.encode(s);

Deno.test("SeriesCache finds series by their bytes and keeps them apart", () => {
  const cache = new SeriesCache<string>();
  const a = bytes("xx cpu_load,hostname=f1 yy");
  const e1 = cache.add(a, 3, 23, "f1", 0);
  equal(e1, 0);
  // The same bytes elsewhere are the same entry; its level and metric stay the first ones.
  equal(cache.add(bytes("cpu_load,hostname=f1"), 0, 20, "other", 5), e1);
  const e2 = cache.add(bytes("cpu_load,hostname=f2"), 0, 20, "f2", 0);
  notEqual(e2, e1);
  equal(cache.levels[e2], "f2");
  equal(cache.length[e2], 20);
  // Bytes are stored word-aligned for the parser's word compares.
  equal(cache.at[e2] % 4, 0);
  equal(
    new TextDecoder().decode(cache.bytes.subarray(cache.at[e2], cache.at[e2] + 20)),
    "cpu_load,hostname=f2",
  );
  equal(cache.next[e2], -1);
  // Too long or empty: not cached.
  const long = new Uint8Array(MAX_SERIES_BYTES + 1).fill(97);
  equal(cache.add(long, 0, long.length, "x", 0), -1);
  equal(cache.add(long, 0, 0, "x", 0), -1);
});

Deno.test("SeriesCache grows and starts over at its limit", () => {
  const cache = new SeriesCache<number>({ maxSeries: 5000 });
  const entries: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const b = bytes(`metric_${i},hostname=node${i * 7}`);
    entries.push(cache.add(b, 0, b.length, i, i % 11));
  }
  equal(cache.size, 3000);
  for (let i = 0; i < 3000; i++) {
    const b = bytes(`metric_${i},hostname=node${i * 7}`);
    const e = cache.add(b, 0, b.length, -1, -1);
    equal(e, entries[i]);
    equal(cache.levels[e], i);
    equal(cache.metric[e], i % 11);
    const stored = cache.bytes.subarray(cache.at[e], cache.at[e] + cache.length[e]);
    deepEqual(stored, b);
  }
  for (let i = 3000; i < 5000; i++) {
    const b = bytes(`m${i}`);
    cache.add(b, 0, b.length, i, 0);
  }
  equal(cache.size, 5000);
  cache.first = 3;
  const b = bytes("one_more");
  // Full: everything goes, the new series is entry 0.
  equal(cache.add(b, 0, b.length, 1, 0), 0);
  equal(cache.size, 1);
  equal(cache.first, -1);
});

Deno.test("LineParser.nextIfSeries takes only a line with exactly those series bytes", () => {
  const cache = new SeriesCache<string>();
  const series = bytes("cpu_load,hostname=f1,type=core,type-id=1");
  const e = cache.add(series, 0, series.length, "core1", 0);
  const parser = new LineParser();
  const take = (text: string) => {
    parser.reset(bytes(text));
    return parser.nextIfSeries(cache.words, cache.bytes, cache.at[e], cache.length[e]);
  };
  const good = "cpu_load,hostname=f1,type=core,type-id=1 value=2.5 1000\n";
  equal(take(good + "next value=1\n"), LINE_OK);
  equal(parser.value, 2.5);
  equal(parser.timestamp, 1000);
  equal(parser.lineNo, 1);
  equal(parser.position, good.length);
  equal(take("cpu_load,hostname=f1,type=core,type-id=1   value=3\r\n"), LINE_OK);
  equal(parser.timestamp, -1);
  // A longer id, a different byte, a tab, no space, the end of the body: not this series.
  for (
    const text of [
      "cpu_load,hostname=f1,type=core,type-id=10 value=1 1000\n",
      "cpu_load,hostname=f2,type=core,type-id=1 value=1 1000\n",
      "cpu_load,hostname=f1,type=core,type-id=1\tvalue=1 1000\n",
      "cpu_load,hostname=f1,type=core,type-id=1",
      "cpu_load,hostname=f1,type=core,type-id=",
      " cpu_load,hostname=f1,type=core,type-id=1 value=1 1000\n",
      "",
    ]
  ) {
    equal(take(text), LINE_MISS, text);
    equal(parser.lineNo, 0);
    equal(parser.position, 0);
  }
  // The series matches but the fields are bad: the line is consumed with the parser's message.
  const bad = "cpu_load,hostname=f1,type=core,type-id=1 value=abc 1000\n";
  equal(take(bad + "next value=1\n"), LINE_ERROR);
  equal(parser.lineNo, 1);
  equal(parser.position, bad.length);
  equal(take("cpu_load,hostname=f1,type=core,type-id=1 \n"), LINE_ERROR);
  equal(parser.error, "missing field value");
});

/** A random generator with a seed, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Series parts of lines: good ones, near misses of each other, and bad ones. */
const SERIES = [
  "cpu_load,cluster=fritz,hostname=f1",
  "cpu_load,hostname=f1",
  "cpu_load,hostname=f10",
  "cpu_load,hostname=f1,type=node",
  "flops_any,hostname=f1,type=core,type-id=1",
  "flops_any,hostname=f1,type=core,type-id=11",
  "flops_any,hostname=f1,type=core,type-id=01",
  "flops_any,host=f1,type=core,type-id=1",
  "mem_bw,hostname=f1,type=socket,type-id=0,stype=memoryDomain,stype-id=1",
  "mem_bw,hostname=f1,type=socket,type-id=0,stype=memoryDomain,stype-id=2",
  String.raw`cpu_load,cluster=alex,hostname=a\ 1`,
  String.raw`cpu_load,cluster=alex,hostname=a\,1`,
  String.raw`cpu\ load,hostname=f1`,
  "acc_power,hostname=f1,type=accelerator,type-id=00000000:3b:00.0",
  "cpu_user,hostname=f2,type=hwthread,type-id=7,extra=tag",
  "cpu_user,hostname=f2,extra=tag,type=hwthread,type-id=7",
  "cpu_user,hostname=f2,hostname=f3",
  "nonsense_metric,hostname=f1",
  "cpu_load",
  "cpu_load,hostname=../etc",
  "cpu_load,hostname=f1,type=core",
  "cpu_load,hostname=f1\tx",
  "cpu_load,hostname=",
];

const FIELDS = [
  (ts: number) => `value=1 ${ts}`,
  (ts: number) => `value=2.5 ${ts}`,
  (ts: number) => `value=-3e2 ${ts}`,
  (ts: number) => `value=7i ${ts}`,
  (ts: number) => `  value=4 ${ts}`,
  (ts: number) => `value=5 ${ts}\r`,
  (ts: number) => `value=6 ${ts}000`,
  () => "value=8",
  (ts: number) => `value=x ${ts}`,
  (ts: number) => `value=1,value=2 ${ts}`,
  (ts: number) => `other=1 ${ts}`,
  () => "",
  (ts: number) => `value=1 ${ts - 1000}`,
  (ts: number) => `value=1 ${ts + 5}`,
];

/** A body: the series in a mostly stable order, with swaps, repeats, drops and junk lines. */
function randomBody(rand: () => number, order: number[], ts: number): string {
  const lines: string[] = [];
  for (let i = 0; i < order.length; i++) {
    const r = rand();
    if (r < 0.05) continue; // dropped
    let s = order[i];
    if (r > 0.92) s = Math.floor(rand() * SERIES.length); // another series here
    const fieldIndex = rand() < 0.8 ? 0 : Math.floor(rand() * FIELDS.length);
    lines.push(`${SERIES[s]} ${FIELDS[fieldIndex](ts)}`);
    if (rand() < 0.03) lines.push(rand() < 0.5 ? "" : "# comment");
    if (rand() < 0.03) lines.push(lines[lines.length - 1]); // repeated line
  }
  return lines.join("\n") + (rand() < 0.5 ? "\n" : "");
}

Deno.test("ingest with the series cache stores and rejects exactly what full parsing does", () => {
  const rand = random(20261125);
  const cached = testStore();
  const full = testStore();
  const a = new Ingestor(cached);
  const b = new Ingestor(full, { cacheSeries: false });
  const order = Array.from({ length: SERIES.length * 3 }, (_, i) => i % SERIES.length);
  const results: [IngestResult, IngestResult][] = [];
  for (let round = 0; round < 300; round++) {
    // Now and then the order changes a little, as a collector's might.
    if (rand() < 0.2) {
      const i = Math.floor(rand() * order.length);
      const j = Math.floor(rand() * order.length);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const ts = T0 + 10 * round;
    const text = bytes(randomBody(rand, order, ts));
    const options = { cluster: rand() < 0.7 ? "fritz" : "alex", now: ts + 5 };
    // The cached side gets some bodies in chunks (predictions across chunk boundaries).
    let got: IngestResult;
    if (rand() < 0.3) {
      const stream = a.begin(options);
      for (let at = 0; at < text.length;) {
        const n = 1 + Math.floor(rand() * 200);
        stream.push(text.subarray(at, at + n));
        at += n;
      }
      got = stream.finish();
    } else {
      got = a.ingest(text, options);
    }
    results.push([got, b.ingest(text, options)]);
    // Sometimes the store drops levels: the cached ones must not be used any more.
    if (rand() < 0.05) freeAll([cached, full], ts + 1000);
  }
  for (const [got, expected] of results) deepEqual(got, expected);
  deepEqual(debugDump(cached, []), debugDump(full, []));
  // The check is worthwhile only when the bodies had accepted lines and rejected ones.
  const accepted = results.reduce((n, [r]) => n + r.accepted, 0);
  const rejected = results.reduce((n, [r]) => n + r.rejectedTotal, 0);
  equal(accepted > 3000 && rejected > 1000, true, `${accepted} accepted, ${rejected} rejected`);
});

function freeAll(stores: MemoryStore[], before: number): void {
  for (const store of stores) {
    for (const path of [["fritz", "f1"], ["fritz", "f2"], ["alex", "a 1"]]) {
      store.free(path, before);
    }
  }
}
