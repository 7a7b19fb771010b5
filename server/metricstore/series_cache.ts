/**
 * The series of recent lines, by their raw bytes, so that a line whose
 * series part (measurement and tags, up to the space before the fields) is
 * byte for byte one seen before skips scanning its tags and resolving its
 * level: the cached metric and level are taken as they are.
 *
 * Node collectors send the same series in the same order every interval,
 * so each entry remembers the series of the line that followed it last
 * time; the ingestor compares the next line with that prediction first
 * (see {@link LineParser.nextIfSeries}) and only parses it in full when it
 * differs. A line parsed in full is then looked up here by its bytes and
 * becomes the prediction after its predecessor.
 *
 * Entries are numbers into column arrays; the series bytes sit in one
 * arena, padded to 4-byte words, and are compared a word at a time. The
 * cache holds at most {@link MAX_SERIES} entries and is cleared when the
 * store's levels change (the cached levels would be stale).
 *
 * @module
 */
import { fnv1a } from "./byte_table.ts";

/** Most series a cache holds before it starts over (bounds its memory). */
export const MAX_SERIES = 1 << 20;

/** Series bytes longer than this are not cached (rare; their lines are parsed in full). */
export const MAX_SERIES_BYTES = 1024;

/** The series of lines seen before, with their metric and level; see the module text. */
export class SeriesCache<L> {
  /** Arena of series bytes, entry `e` at byte `at[e]` (a multiple of 4), as words and bytes. */
  words: Int32Array = new Int32Array(1024);
  bytes: Uint8Array = new Uint8Array(this.words.buffer);
  /** Byte offset and length of each entry's series bytes. */
  at: Int32Array = new Int32Array(256);
  length: Int32Array = new Int32Array(256);
  /** Metric slot of each entry. */
  metric: Int32Array = new Int32Array(256);
  /** The entry of the line that followed each entry last time (-1: none yet). */
  next: Int32Array = new Int32Array(256);
  /** Level of each entry. */
  levels: L[] = [];
  /** The entry of the first line of the last body (-1: none). */
  first = -1;
  #size = 0;
  #used = 0;
  /** Hash slots: entry + 1, 0 for empty. */
  #slots = new Int32Array(512);
  #hashes = new Int32Array(512);
  readonly #maxSeries: number;

  constructor(options: { maxSeries?: number } = {}) {
    this.#maxSeries = options.maxSeries ?? MAX_SERIES;
  }

  /** Number of entries. */
  get size(): number {
    return this.#size;
  }

  /**
   * The entry for the series bytes `buf[start, end)`, added with `level` and
   * `metric` when new; -1 when they are too long to cache.
   */
  add(buf: Uint8Array, start: number, end: number, level: L, metric: number): number {
    const len = end - start;
    if (len > MAX_SERIES_BYTES || len <= 0) return -1;
    if (this.#size >= this.#maxSeries) this.clear();
    const h = fnv1a(buf, start, end);
    const mask = this.#slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const e = this.#slots[slot] - 1;
      if (e < 0) break;
      if (this.#hashes[slot] === h && this.#equals(e, buf, start, len)) return e;
      slot = (slot + 1) & mask;
    }
    const e = this.#size++;
    if (e === this.at.length) this.#growEntries();
    const at = this.#used;
    const words = (len + 3) >> 2;
    if (at + 4 * words > this.bytes.length) this.#growArena(at + 4 * words);
    this.bytes.set(buf.subarray(start, end), at);
    this.#used = at + 4 * words;
    this.at[e] = at;
    this.length[e] = len;
    this.metric[e] = metric;
    this.next[e] = -1;
    this.levels[e] = level;
    this.#slots[slot] = e + 1;
    this.#hashes[slot] = h;
    if (2 * this.#size > this.#slots.length) this.#rehash();
    return e;
  }

  /** Forgets every entry. */
  clear(): void {
    this.#size = 0;
    this.#used = 0;
    this.first = -1;
    this.levels = [];
    this.#slots.fill(0);
  }

  #equals(e: number, buf: Uint8Array, start: number, len: number): boolean {
    if (this.length[e] !== len) return false;
    const bytes = this.bytes;
    const at = this.at[e];
    for (let i = 0; i < len; i++) if (bytes[at + i] !== buf[start + i]) return false;
    return true;
  }

  #growEntries(): void {
    const cap = this.at.length * 2;
    const grow = (old: Int32Array): Int32Array => {
      const next = new Int32Array(cap);
      next.set(old);
      return next;
    };
    this.at = grow(this.at);
    this.length = grow(this.length);
    this.metric = grow(this.metric);
    this.next = grow(this.next);
  }

  #growArena(min: number): void {
    let cap = this.words.length * 2;
    while (4 * cap < min) cap *= 2;
    const words = new Int32Array(cap);
    words.set(this.words);
    this.words = words;
    this.bytes = new Uint8Array(words.buffer);
  }

  #rehash(): void {
    const cap = this.#slots.length * 2;
    const slots = new Int32Array(cap);
    const hashes = new Int32Array(cap);
    const mask = cap - 1;
    for (let i = 0; i < this.#slots.length; i++) {
      const e = this.#slots[i];
      if (e === 0) continue;
      let slot = this.#hashes[i] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = e;
      hashes[slot] = this.#hashes[i];
    }
    this.#slots = slots;
    this.#hashes = hashes;
  }
}
