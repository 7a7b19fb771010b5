import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { BufferAllocator } from "./buffer_allocator.ts";
import type { MetricBuffer } from "./buffer.ts";
import { readChains } from "./read_chains.ts";
import { freeOldest } from "./retention.ts";
import { testStore, values } from "./test_helpers.ts";

const H = ["c", "h"];

Deno.test("MemoryStore.write() fills gaps with NaN and overwrites in place", () => {
  const store = testStore();
  store.write(H, "cpu_load", 100, 1);
  store.write(H, "cpu_load", 130, 4);
  deepEqual(values(store.read(H, "cpu_load", { from: 100, to: 140 })?.data), [1, NaN, NaN, 4]);
  store.write(H, "cpu_load", 110, 2);
  store.write(H, "cpu_load", 100, 99);
  deepEqual(values(store.read(H, "cpu_load", { from: 100, to: 140 })?.data), [99, 2, NaN, 4]);
  equal(store.points, 4);
});

Deno.test("MemoryStore.write() opens a new buffer when the head is full", () => {
  const store = testStore({ bufferCapacity: 2 });
  for (const [ts, v] of [[100, 1], [110, 2], [120, 3]]) store.write(H, "cpu_load", ts, v);
  const head = store.findLevel(H)!.heads[store.metrics.get("cpu_load")!.index]!;
  equal(head.start, 115);
  deepEqual(values(head.values()), [3]);
  equal(head.prev?.next, head);
  deepEqual(values(head.prev?.values()), [1, 2]);
  equal(store.stats().buffers, 2);
});

Deno.test("MemoryStore.write() refuses data from before the newest buffer", () => {
  const store = testStore();
  store.write(H, "cpu_load", 100, 42);
  throws(() => store.write(H, "cpu_load", 50, 1), /write from the past/);
  throws(() => store.write(H, "no_such_metric", 100, 1), /unknown metric/);
  deepEqual(values(store.read(H, "cpu_load", { from: 0, to: 200 })?.data), [42]);
});

Deno.test("MemoryStore.read() clamps to the data and keeps the grid", async (t) => {
  const store = testStore({ bufferCapacity: 3 });
  for (let i = 0; i < 6; i++) store.write(H, "cpu_load", 100 + 10 * i, i + 1);
  await t.step("from before the first write is clamped", () => {
    const r = store.read(H, "cpu_load", { from: 50, to: 120 })!;
    deepEqual([r.from, r.to, values(r.data)], [100, 120, [1, 2]]);
  });
  await t.step("across buffers", () => {
    const r = store.read(H, "cpu_load", { from: 100, to: 160 })!;
    deepEqual([r.from, r.to, values(r.data)], [100, 160, [1, 2, 3, 4, 5, 6]]);
  });
  await t.step("from inside a slot: each step takes the slot covering it", () => {
    // Slot [115, 125) holds the sample of 120, slot [125, 135) the one of 130.
    const r = store.read(H, "cpu_load", { from: 124, to: 144 })!;
    deepEqual([r.from, r.to, values(r.data)], [124, 144, [3, 4]]);
  });
  await t.step("to beyond the data ends at the data", () => {
    const r = store.read(H, "cpu_load", { from: 100, to: 10_000 })!;
    equal(r.to, 160);
    equal(r.resolution, 10);
  });
  await t.step("a range without data is empty; unknown selectors are null", () => {
    const r = store.read(H, "cpu_load", { from: 0, to: 50 })!;
    equal(r.data.length, 0);
    equal(store.read(["c", "nope"], "cpu_load", { from: 0, to: 500 }), null);
    equal(store.read(H, "flops_any", { from: 0, to: 500 }), null);
  });
  await t.step("bad ranges and metrics throw", () => {
    throws(() => store.read(H, "cpu_load", { from: 200, to: 100 }), /invalid time range/);
    throws(() => store.read(H, "nope", { from: 0, to: 100 }), /unknown metric/);
  });
});

Deno.test("MemoryStore.read() shows NaN for gaps inside and between buffers", () => {
  const store = testStore({ bufferCapacity: 4 });
  for (let i = 0; i < 8; i++) store.write(H, "cpu_load", 100 + 10 * i, i);
  store.write(H, "cpu_load", 300, 99);
  store.write(H, "cpu_load", 320, 98);
  const r = store.read(H, "cpu_load", { from: 0, to: 1000 })!;
  deepEqual(values(r.data), [0, 1, 2, 3, 4, 5, 6, 7, ...Array(12).fill(NaN), 99, NaN, 98]);
  deepEqual([r.from, r.to], [100, 330]);
  store.write(H, "cpu_load", 310, NaN);
  equal(store.read(H, "cpu_load", { from: 300, to: 330 })!.data.length, 3);
});

Deno.test("readChains() recomputes the index after switching buffers (cc-backend regression)", () => {
  const small = new BufferAllocator({ capacity: 2, perSlab: 1 });
  const large = new BufferAllocator({ capacity: 10, perSlab: 1 });
  const b1 = small.alloc(0, 10);
  b1.data.set([1, 2], b1.off);
  b1.len = 2;
  const b2 = large.alloc(0, 10);
  b2.data.set([10, 20, 30, 40], b2.off);
  b2.len = 4;
  b1.next = b2;
  b2.prev = b1;
  const r = readChains([b2], { freq: 10, from: 0, to: 36 });
  deepEqual(values(r.data), [1, 2, 30, 40]);
});

Deno.test("readChains() adds chains and NaN spreads", () => {
  const alloc = new BufferAllocator({ capacity: 8, perSlab: 4 });
  const mk = (data: number[]): MetricBuffer => {
    const b = alloc.alloc(95, 10);
    b.data.set(data, b.off);
    b.len = data.length;
    return b;
  };
  const r = readChains([mk([2, 1, 0]), mk([3, 5, NaN])], { freq: 10, from: 0, to: 200 });
  deepEqual(values(r.data), [5, 6, NaN]);
  equal(r.chains, 2);
});

Deno.test("MemoryStore.free() drops old buffers and empty levels", () => {
  const store = testStore({ bufferCapacity: 2 });
  for (let i = 0; i < 6; i++) store.write([...H, "core0"], "flops_any", 100 + 10 * i, i);
  store.write(H, "cpu_load", 100, 1);
  equal(store.stats().buffers, 4);
  // Buffers end at 120, 140, 160 (flops_any) and 110 (cpu_load).
  equal(store.free(H, 141), 3);
  deepEqual(values(store.read([...H, "core0"], "flops_any", { from: 0, to: 500 })?.data), [4, 5]);
  equal(store.read(H, "cpu_load", { from: 0, to: 500 }), null);
  equal(store.free(["c"], 1000), 1);
  equal(store.findLevel(H), undefined);
  equal(store.findLevel(["c"]), undefined, "the freed level itself goes when empty");
  equal(store.stats().levels, 0);
  equal(store.points, 0);
  equal(store.free(["x", "y"], 1000), 0);
});

Deno.test("freeOldest() frees the oldest buffers of all chains", () => {
  const store = testStore({ bufferCapacity: 2 });
  // Host a: ends 120, 140; host b: ends 220, 240.
  for (let i = 0; i < 4; i++) store.write(["c", "a"], "cpu_load", 100 + 10 * i, i);
  for (let i = 0; i < 4; i++) store.write(["c", "b"], "cpu_load", 200 + 10 * i, i);
  const perBuffer =
    store.findLevel(["c", "a"])!.heads[store.metrics.get("cpu_load")!.index]!.home.pool
      .bytesPerBuffer;
  equal(freeOldest(store, 3 * perBuffer), 3);
  deepEqual(store.hosts("c"), ["b"]);
  deepEqual(values(store.read(["c", "b"], "cpu_load", { from: 0, to: 500 })?.data), [2, 3]);
});

Deno.test("MemoryStore counts bytes and points", () => {
  const store = testStore({ bufferCapacity: 512 });
  const empty = store.bytesInUse;
  for (let i = 0; i < 1000; i++) store.write(H, "cpu_load", 100 + 10 * i, i);
  const s = store.stats();
  equal(s.points, 1000);
  equal(s.buffers, 2);
  ok(store.bytesInUse > empty);
  ok(store.bytesInUse >= 64 * 512 * 8, "at least one slab");
});

Deno.test("MemoryStore grows a small head buffer in place before linking a new one", () => {
  const store = testStore({ bufferCapacity: 16, minBufferCapacity: 4 });
  const m = store.metrics.get("cpu_load")!.index;
  const caps: number[] = [];
  for (let i = 0; i < 40; i++) {
    store.write(H, "cpu_load", 100 + 10 * i, i);
    caps.push(store.findLevel(H)!.heads[m]!.cap);
  }
  deepEqual(caps.slice(0, 17), [4, 4, 4, 4, 8, 8, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16, 4]);
  equal(store.stats().buffers, 3);
  deepEqual(
    values(store.read(H, "cpu_load", { from: 0, to: 1000 })?.data),
    Array.from({ length: 40 }, (_, i) => i),
  );
  // A gap that fits the full capacity grows the head straight to it.
  const gap = testStore({ bufferCapacity: 16, minBufferCapacity: 4 });
  gap.write(H, "cpu_load", 100, 1);
  gap.write(H, "cpu_load", 200, 2);
  equal(gap.findLevel(H)!.heads[m]!.cap, 16);
  deepEqual(values(gap.read(H, "cpu_load", { from: 0, to: 1000 })?.data), [
    1,
    ...Array(9).fill(NaN),
    2,
  ]);
  equal(gap.stats().buffers, 1);
});

Deno.test("MemoryStore.appendSeries() restores runs in full buffers that writes continue", () => {
  const store = testStore({ bufferCapacity: 4 });
  const restored = Float32Array.from([1, 2, 3, 4, 5, NaN, 7]);
  store.appendSeries(H, { metric: "cpu_load", firstTime: 1000, freq: 10, values: restored });
  const head = store.findLevel(H)!.heads[store.metrics.get("cpu_load")!.index]!;
  equal(head.archived, true);
  equal(store.stats().buffers, 2);
  store.write(H, "cpu_load", 1070, 8);
  const newHead = store.findLevel(H)!.heads[store.metrics.get("cpu_load")!.index]!;
  equal(newHead.prev, head, "new samples go to a new buffer");
  equal(newHead.archived, false);
  const r = store.read(H, "cpu_load", { from: 0, to: 5000 })!;
  deepEqual([r.from, values(r.data)], [1000, [1, 2, 3, 4, 5, NaN, 7, 8]]);
  equal(store.points, 8);
  throws(
    () => store.appendSeries(H, { metric: "cpu_load", firstTime: 500, freq: 10, values: restored }),
    /already starts later/,
  );

  const other = testStore({ bufferCapacity: 4 });
  other.appendSeries(H, { metric: "cpu_load", firstTime: 1000, freq: 10, values: restored });
  other.write(H, "cpu_load", 1050, 6);
  const overwritten = other.findLevel(H)!.heads[other.metrics.get("cpu_load")!.index]!;
  equal(overwritten.archived, false, "an overwritten buffer must be saved again");
  deepEqual(values(other.read(H, "cpu_load", { from: 0, to: 5000 })?.data), [1, 2, 3, 4, 5, 6, 7]);
});
