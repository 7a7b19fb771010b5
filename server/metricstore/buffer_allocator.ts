/**
 * The buffer allocator of a store: slab pools for capacities from
 * `minCapacity` doubling up to `capacity` (default 64 … 512).
 *
 * A chain's newest buffer starts small and grows (values copied, same
 * start) until it has the full capacity; only full-size buffers are linked
 * behind it. The newest buffer is partly empty by nature, and with a fixed
 * 512 slots that waste averages 256 slots per chain (about 1 byte per point
 * at one to two days of one-minute data); growing heads waste about 88 slots
 * on average while keeping the per-buffer overhead of large buffers.
 *
 * @module
 */
import type { MetricBuffer } from "./buffer.ts";
import { SlabPool } from "./slab_pool.ts";

/** Allocation counters. */
export interface AllocatorStats {
  slabs: number;
  buffersInUse: number;
  freeSlots: number;
  bytesAllocated: number;
}

/** Options of a {@link BufferAllocator}. */
export interface BufferAllocatorOptions {
  /** Slots of a full buffer (default 512). */
  capacity?: number;
  /** Slots of a new chain head (default 64, at most `capacity`). */
  minCapacity?: number;
  /** Buffers per slab (default: 256 KiB of values per slab). */
  perSlab?: number;
}

/** Buffers of growing sizes, from slab pools. */
export class BufferAllocator {
  /** Slots of a full buffer. */
  readonly capacity: number;
  readonly #pools: SlabPool[] = [];

  constructor(options: BufferAllocatorOptions = {}) {
    this.capacity = options.capacity ?? 512;
    let cap = Math.min(options.minCapacity ?? 64, this.capacity);
    for (;;) {
      this.#pools.push(new SlabPool(cap, options.perSlab ?? Math.max(4, Math.floor(32768 / cap))));
      if (cap >= this.capacity) break;
      cap = Math.min(cap * 2, this.capacity);
    }
  }

  /** A fresh, empty buffer with room for at least `need` slots. */
  alloc(start: number, freq: number, need = 1): MetricBuffer {
    return this.#poolFor(need).alloc(start, freq);
  }

  /** Returns `b`'s memory; `b` must not be used afterwards. */
  release(b: MetricBuffer): void {
    b.home.pool.release(b);
  }

  /**
   * Replaces chain buffer `b` by a larger one with room for `need` slots
   * (same start, values copied, linked in its place) and returns it.
   */
  grow(b: MetricBuffer, need: number): MetricBuffer {
    const nb = this.#poolFor(need).alloc(b.start, b.freq);
    nb.data.set(b.data.subarray(b.off, b.off + b.len), nb.off);
    nb.len = b.len;
    nb.archived = b.archived;
    nb.changed = b.changed;
    nb.tag = b.tag;
    nb.prev = b.prev;
    nb.next = b.next;
    if (b.prev !== null) b.prev.next = nb;
    if (b.next !== null) b.next.prev = nb;
    b.home.pool.release(b);
    return nb;
  }

  /** Packs every pool's slabs (see SlabPool.compact); returns the buffers moved. */
  compact(): number {
    let moved = 0;
    for (const pool of this.#pools) moved += pool.compact();
    return moved;
  }

  /** Buffers per slab of the full-size pool. */
  get perSlab(): number {
    return this.#pools[this.#pools.length - 1].perSlab;
  }

  /** Bytes of one full-size slab. */
  get slabBytes(): number {
    return this.#pools[this.#pools.length - 1].slabBytes;
  }

  /** Buffers handed out. */
  get buffersInUse(): number {
    return this.#sum((p) => p.buffersInUse);
  }

  /** Free slots in partly used slabs. */
  get freeSlots(): number {
    return this.#sum((p) => p.freeSlots);
  }

  /** Estimated bytes of slabs and buffer objects. */
  get bytesAllocated(): number {
    return this.#sum((p) => p.bytesAllocated);
  }

  /** Average bytes one buffer in use accounts for. */
  get bytesPerBuffer(): number {
    const used = this.buffersInUse;
    return used > 0 ? this.bytesAllocated / used : this.capacity * 8;
  }

  /** Counters. */
  stats(): AllocatorStats {
    return {
      slabs: this.#sum((p) => p.slabs),
      buffersInUse: this.buffersInUse,
      freeSlots: this.freeSlots,
      bytesAllocated: this.bytesAllocated,
    };
  }

  #poolFor(need: number): SlabPool {
    const pools = this.#pools;
    for (let i = 0; i < pools.length; i++) if (pools[i].capacity >= need) return pools[i];
    return pools[pools.length - 1];
  }

  #sum(f: (p: SlabPool) => number): number {
    let n = 0;
    for (const pool of this.#pools) n += f(pool);
    return n;
  }
}
