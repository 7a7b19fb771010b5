/**
 * One link of a metric's buffer chain: a fixed-frequency run of samples in a
 * slot range of a shared Float64Array slab (see slab_pool.ts). The
 * chain is doubly linked; a level holds the newest buffer (the head).
 *
 * Time alignment as in cc-backend: a buffer opened for a first write at `ts`
 * starts at `ts - floor(freq/2)`, so slot `i` covers `[start + i·freq,
 * start + (i+1)·freq)` and its nominal time is `firstWrite + i·freq`.
 * Unwritten slots inside `len` hold NaN.
 *
 * @module
 */
import type { Slab } from "./slab_pool.ts";

/** {@link MetricBuffer.changed} of a buffer without changes. */
export const UNCHANGED = 0x3fffffff;

/** A run of samples; `data[off, off + len)` holds the values. */
export class MetricBuffer {
  /** Start of slot 0 (unix seconds). */
  start: number;
  /** Seconds per slot. */
  freq: number;
  /** Number of slots written (NaN-filled gaps included). */
  len = 0;
  /** The slab's array; the buffer's values start at `off`. */
  data: Float64Array;
  off: number;
  /** Slots available in this buffer. */
  readonly cap: number;
  /** Older neighbour. */
  prev: MetricBuffer | null = null;
  /** Newer neighbour. */
  next: MetricBuffer | null = null;
  /** True when the values were restored from a checkpoint (already on disk). */
  archived = false;
  /**
   * The first slot written since a snapshot last saved the chain
   * ({@link UNCHANGED}: none); the store sets it on every write, so that a
   * snapshot saves exactly what changed (see checkpoint_snapshot.ts). A slot,
   * not a time, so that it stays a small integer (no boxed number to load).
   */
  changed = UNCHANGED;
  /**
   * A small integer the store's checkpoint journal keeps per chain (its WAL
   * series key, see wal_journal.ts): -1 until the journal sets it; a new
   * head buffer takes it over from the one before.
   */
  tag = -1;
  /** Owning slab and slot, maintained by the allocator. */
  home: Slab;
  slot: number;

  constructor(home: Slab, slot: number, cap: number, start: number, freq: number) {
    this.home = home;
    this.slot = slot;
    this.data = home.data;
    this.off = slot * cap;
    this.cap = cap;
    this.start = start;
    this.freq = freq;
  }

  /** Nominal time of the first slot (`start + floor(freq/2)`). */
  firstWrite(): number {
    return this.start + Math.floor(this.freq / 2);
  }

  /** cc-backend's `end()`: `firstWrite + len·freq`; retention and health use it. */
  end(): number {
    return this.firstWrite() + this.len * this.freq;
  }

  /** The written values (a view; do not keep it across writes or compaction). */
  values(): Float64Array {
    return this.data.subarray(this.off, this.off + this.len);
  }
}

/** The oldest buffer of the chain ending at `head`. */
export function oldestOf(head: MetricBuffer): MetricBuffer {
  let b = head;
  while (b.prev !== null) b = b.prev;
  return b;
}

/** Number of written slots over the whole chain. */
export function chainLength(head: MetricBuffer | null): number {
  let n = 0;
  for (let b = head; b !== null; b = b.prev) n += b.len;
  return n;
}

/** Number of buffers in the chain. */
export function chainBuffers(head: MetricBuffer | null): number {
  let n = 0;
  for (let b = head; b !== null; b = b.prev) n++;
  return n;
}

/**
 * Drops the buffers whose `end()` lies before `t`, oldest first, handing each
 * to `release`. Returns the new head: the same head, or null when every
 * buffer (the head too) was older than `t`.
 */
export function freeChain(
  head: MetricBuffer,
  t: number,
  release: (b: MetricBuffer) => void,
): MetricBuffer | null {
  let b: MetricBuffer | null = oldestOf(head);
  while (b !== null && b.end() < t) {
    const next: MetricBuffer | null = b.next;
    release(b);
    b = next;
  }
  if (b === null) return null;
  b.prev = null;
  return head;
}

/** Calls `f` for every buffer overlapping `[from, to]`, oldest first. */
export function forEachInRange(
  head: MetricBuffer | null,
  from: number,
  to: number,
  f: (b: MetricBuffer) => void,
): void {
  if (head === null) return;
  for (let b: MetricBuffer | null = oldestOf(head); b !== null; b = b.next) {
    if (b.end() >= from && b.firstWrite() <= to) f(b);
  }
}
