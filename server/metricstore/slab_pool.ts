/**
 * Buffers of one capacity, handed out from slabs: one Float64Array holds the
 * values of `perSlab` buffers. A typed array of its own per buffer costs
 * about 560 bytes of bookkeeping (measured: 9.1 bytes per point at capacity
 * 512); a slot in a shared slab costs only the small buffer object. Freed
 * slots are reused before a new slab is allocated, a slab that becomes empty
 * is dropped (its memory returns to the system), and `compact()` moves
 * buffers out of sparse slabs so that retention and eviction really shrink
 * the memory in use.
 *
 * @module
 */
import { MetricBuffer } from "./buffer.ts";

/** Heap bytes of one buffer object as measured by resident memory (about 135 with heap slack). */
export const BUFFER_OBJECT_BYTES = 128;
/** Bookkeeping bytes of one slab (objects, owner and free-slot arrays) besides 8 per slot. */
const SLAB_OVERHEAD_BYTES = 256;

/** A shared array of `perSlab` buffer slots. */
export class Slab {
  readonly pool: SlabPool;
  readonly data: Float64Array;
  /** The buffer in each slot, or null when free. */
  readonly owners: (MetricBuffer | null)[];
  /** Stack of free slot numbers; `nFree` entries are valid. */
  readonly freeSlots: Int32Array;
  nFree: number;
  /** Position in the pool's list of slabs with free slots, or -1. */
  partialIndex = -1;

  constructor(pool: SlabPool) {
    const perSlab = pool.perSlab;
    this.pool = pool;
    this.data = new Float64Array(pool.capacity * perSlab);
    this.owners = new Array(perSlab).fill(null);
    this.freeSlots = new Int32Array(perSlab);
    // Hand out low slots first.
    for (let i = 0; i < perSlab; i++) this.freeSlots[i] = perSlab - 1 - i;
    this.nFree = perSlab;
  }
}

/** The slabs of one buffer capacity. */
export class SlabPool {
  /** Slots per buffer. */
  readonly capacity: number;
  /** Buffers per slab. */
  readonly perSlab: number;
  #partial: Slab[] = [];
  #slabs = 0;
  #used = 0;

  constructor(capacity: number, perSlab: number) {
    if (!(capacity >= 1 && perSlab >= 1)) throw new Error("slab pool sizes must be >= 1");
    this.capacity = capacity;
    this.perSlab = perSlab;
  }

  /** A fresh, empty buffer starting at `start`. */
  alloc(start: number, freq: number): MetricBuffer {
    let slab = this.#partial[this.#partial.length - 1];
    if (slab === undefined) {
      slab = new Slab(this);
      this.#slabs++;
      this.#addPartial(slab);
    }
    const slot = slab.freeSlots[--slab.nFree];
    if (slab.nFree === 0) this.#removePartial(slab);
    const b = new MetricBuffer(slab, slot, this.capacity, start, freq);
    slab.owners[slot] = b;
    this.#used++;
    return b;
  }

  /** Returns `b`'s slot; `b` must not be used afterwards. */
  release(b: MetricBuffer): void {
    const slab = b.home;
    slab.owners[b.slot] = null;
    slab.freeSlots[slab.nFree++] = b.slot;
    b.prev = null;
    b.next = null;
    b.len = 0;
    this.#used--;
    if (slab.nFree === 1) this.#addPartial(slab);
    // Keep one slab with room; drop any other slab that became empty.
    if (slab.nFree === this.perSlab && this.#partial.length > 1) {
      this.#removePartial(slab);
      this.#slabs--;
    }
  }

  /**
   * Moves buffers from the emptiest slabs into free slots of the fullest
   * ones until at most one slab has free slots; empty slabs are dropped.
   * Returns the number of buffers moved.
   */
  compact(): number {
    const partial = this.#partial;
    if (partial.length < 2) return 0;
    partial.sort((a, b) => b.nFree - a.nFree); // emptiest first
    let moved = 0;
    let i = 0;
    let j = partial.length - 1;
    while (i < j) {
      const source = partial[i];
      const target = partial[j];
      if (target.nFree === 0) {
        j--;
        continue;
      }
      if (source.nFree === this.perSlab) {
        i++;
        continue;
      }
      const from = anyOwnedSlot(source);
      const b = source.owners[from]!;
      const slot = target.freeSlots[--target.nFree];
      const off = slot * this.capacity;
      target.data.set(b.data.subarray(b.off, b.off + b.len), off);
      target.owners[slot] = b;
      source.owners[from] = null;
      source.freeSlots[source.nFree++] = from;
      b.home = target;
      b.slot = slot;
      b.data = target.data;
      b.off = off;
      moved++;
    }
    this.#partial = [];
    for (const slab of partial) {
      slab.partialIndex = -1;
      if (slab.nFree === this.perSlab) this.#slabs--; // emptied: dropped
      else if (slab.nFree > 0) this.#addPartial(slab);
    }
    return moved;
  }

  /** Number of slabs. */
  get slabs(): number {
    return this.#slabs;
  }

  /** Buffers handed out. */
  get buffersInUse(): number {
    return this.#used;
  }

  /** Free slots in slabs that also hold buffers (memory held but unused). */
  get freeSlots(): number {
    let n = 0;
    for (const slab of this.#partial) n += slab.nFree;
    return n;
  }

  /** Memory one buffer accounts for: values, object and its share of the slab's bookkeeping. */
  get bytesPerBuffer(): number {
    return this.capacity * 8 + BUFFER_OBJECT_BYTES + SLAB_OVERHEAD_BYTES / this.perSlab;
  }

  /** Bytes of one slab's values. */
  get slabBytes(): number {
    return this.capacity * this.perSlab * 8;
  }

  /** Estimated bytes held by the slabs and buffer objects. */
  get bytesAllocated(): number {
    return this.#slabs * (this.slabBytes + SLAB_OVERHEAD_BYTES) + this.#used * BUFFER_OBJECT_BYTES;
  }

  #addPartial(slab: Slab): void {
    slab.partialIndex = this.#partial.length;
    this.#partial.push(slab);
  }

  #removePartial(slab: Slab): void {
    const list = this.#partial;
    const last = list.pop()!;
    if (last !== slab) {
      list[slab.partialIndex] = last;
      last.partialIndex = slab.partialIndex;
    }
    slab.partialIndex = -1;
  }
}

function anyOwnedSlot(slab: Slab): number {
  const owners = slab.owners;
  for (let s = owners.length - 1; s >= 0; s--) if (owners[s] !== null) return s;
  throw new Error("slab has no owned slot");
}
