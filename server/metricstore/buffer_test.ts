import { deepEqual, equal, ok } from "node:assert/strict";
import {
  chainBuffers,
  chainLength,
  forEachInRange,
  freeChain,
  type MetricBuffer,
} from "./buffer.ts";
import { BufferAllocator } from "./buffer_allocator.ts";
import { values } from "./test_helpers.ts";

function chain(alloc: BufferAllocator, specs: { start: number; data: number[] }[]): MetricBuffer {
  let head: MetricBuffer | null = null;
  for (const spec of specs) {
    const b = alloc.alloc(spec.start, 10);
    b.data.set(spec.data, b.off);
    b.len = spec.data.length;
    if (head) {
      head.next = b;
      b.prev = head;
    }
    head = b;
  }
  return head!;
}

Deno.test("MetricBuffer time math follows cc-backend", () => {
  const alloc = new BufferAllocator({ capacity: 8, perSlab: 4 });
  const b = alloc.alloc(90, 10);
  b.len = 4;
  equal(b.firstWrite(), 95);
  equal(b.end(), 135);
  const odd = alloc.alloc(100, 15);
  equal(odd.firstWrite(), 107);
});

Deno.test("freeChain() drops buffers that end before t, oldest first", async (t) => {
  await t.step("keeps the newer part of the chain", () => {
    const alloc = new BufferAllocator({ capacity: 2, perSlab: 8 });
    const head = chain(alloc, [{ start: 0, data: [1, 2] }, { start: 20, data: [3, 4] }, {
      start: 40,
      data: [5, 6],
    }]);
    const released: number[] = [];
    const h = freeChain(head, 30, (b) => {
      released.push(b.start);
      alloc.release(b);
    });
    equal(h, head);
    deepEqual(released, [0]);
    equal(chainBuffers(h), 2);
    equal(head.prev?.prev, null);
    equal(alloc.buffersInUse, 2);
  });
  await t.step("returns null when the head is too old as well", () => {
    const alloc = new BufferAllocator({ capacity: 2, perSlab: 8 });
    const head = chain(alloc, [{ start: 0, data: [1, 2] }, { start: 20, data: [3, 4] }]);
    equal(freeChain(head, 100, (b) => alloc.release(b)), null);
    equal(alloc.buffersInUse, 0);
  });
});

Deno.test("forEachInRange() visits overlapping buffers oldest first", () => {
  const alloc = new BufferAllocator({ capacity: 2, perSlab: 8 });
  const head = chain(alloc, [{ start: 0, data: [1, 2] }, { start: 20, data: [3, 4] }, {
    start: 40,
    data: [5, 6],
  }]);
  const seen: number[] = [];
  forEachInRange(head, 0, 100, (b) => seen.push(b.start));
  deepEqual(seen, [0, 20, 40]);
  seen.length = 0;
  forEachInRange(head, 30, 50, (b) => seen.push(b.start));
  deepEqual(seen, [20, 40]);
  forEachInRange(null, 0, 100, () => ok(false));
  equal(chainLength(head), 6);
});

Deno.test("BufferAllocator reuses slots and drops empty slabs", () => {
  const alloc = new BufferAllocator({ capacity: 4, perSlab: 2 });
  const a = alloc.alloc(0, 10);
  const b = alloc.alloc(0, 10);
  const c = alloc.alloc(0, 10);
  equal(alloc.stats().slabs, 2);
  alloc.release(c);
  // The slab of c is empty but it is the only one with room: kept for reuse.
  equal(alloc.stats().slabs, 2);
  const d = alloc.alloc(0, 10);
  equal(d.home, c.home);
  alloc.release(a);
  alloc.release(d);
  // d's slab became empty while a's slab has room: dropped.
  equal(alloc.stats().slabs, 1);
  alloc.release(b);
  equal(alloc.stats().buffersInUse, 0);
});

Deno.test("BufferAllocator.compact() packs buffers and keeps their values", () => {
  const alloc = new BufferAllocator({ capacity: 4, perSlab: 4 });
  const buffers = Array.from({ length: 16 }, (_, i) => {
    const b = alloc.alloc(i * 100, 10);
    b.data.set([i, i + 0.5, NaN], b.off);
    b.len = 3;
    return b;
  });
  equal(alloc.stats().slabs, 4);
  // Free three of every four: each slab keeps one buffer.
  const kept = buffers.filter((_, i) => i % 4 === 0);
  for (const [i, b] of buffers.entries()) if (i % 4 !== 0) alloc.release(b);
  equal(alloc.stats().slabs, 4);
  const moved = alloc.compact();
  equal(moved, 3);
  equal(alloc.stats().slabs, 1);
  equal(alloc.stats().freeSlots, 0);
  for (const b of kept) deepEqual(values(b.values()), [b.start / 100, b.start / 100 + 0.5, NaN]);
  // New buffers come from a new slab and do not clobber the packed ones.
  const fresh = alloc.alloc(0, 10);
  fresh.data.fill(99, fresh.off, fresh.off + 4);
  for (const b of kept) equal(b.values()[0], b.start / 100);
});
