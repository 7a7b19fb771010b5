/**
 * A hash table keyed by byte ranges, so the ingest hot path can look up
 * metric names and series keys straight from the request body without
 * decoding a string per line. Open addressing with linear probing; keys are
 * copied on insert and compared byte by byte on lookup.
 *
 * @module
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a (32 bit) of `buf[start, end)`. */
export function fnv1a(buf: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], FNV_PRIME);
  return h | 0;
}

/** Maps byte strings to values; `get` takes a range of any buffer. */
export class ByteTable<V> {
  #hashes: Int32Array;
  #keys: (Uint8Array | undefined)[];
  #values: (V | undefined)[];
  #mask: number;
  #size = 0;

  constructor(initialCapacity = 64) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.#mask = cap - 1;
    this.#hashes = new Int32Array(cap);
    this.#keys = new Array(cap).fill(undefined);
    this.#values = new Array(cap).fill(undefined);
  }

  /** Number of keys. */
  get size(): number {
    return this.#size;
  }

  /** The value stored for `buf[start, end)`, or undefined. */
  get(buf: Uint8Array, start: number, end: number): V | undefined {
    const h = fnv1a(buf, start, end);
    const len = end - start;
    const keys = this.#keys;
    const hashes = this.#hashes;
    let slot = h & this.#mask;
    for (;;) {
      const key = keys[slot];
      if (key === undefined) return undefined;
      if (hashes[slot] === h && key.length === len) {
        let i = 0;
        while (i < len && key[i] === buf[start + i]) i++;
        if (i === len) return this.#values[slot];
      }
      slot = (slot + 1) & this.#mask;
    }
  }

  /** Stores `value` under a copy of `buf[start, end)` (replacing an existing value). */
  set(buf: Uint8Array, start: number, end: number, value: V): void {
    if ((this.#size + 1) * 2 > this.#mask + 1) this.#grow();
    const h = fnv1a(buf, start, end);
    const len = end - start;
    let slot = h & this.#mask;
    for (;;) {
      const key = this.#keys[slot];
      if (key === undefined) break;
      if (this.#hashes[slot] === h && key.length === len) {
        let i = 0;
        while (i < len && key[i] === buf[start + i]) i++;
        if (i === len) {
          this.#values[slot] = value;
          return;
        }
      }
      slot = (slot + 1) & this.#mask;
    }
    this.#hashes[slot] = h;
    this.#keys[slot] = buf.slice(start, end);
    this.#values[slot] = value;
    this.#size++;
  }

  /** Removes every key. */
  clear(): void {
    this.#keys.fill(undefined);
    this.#values.fill(undefined);
    this.#size = 0;
  }

  #grow(): void {
    const oldKeys = this.#keys;
    const oldValues = this.#values;
    const oldHashes = this.#hashes;
    const cap = (this.#mask + 1) * 2;
    this.#mask = cap - 1;
    this.#hashes = new Int32Array(cap);
    this.#keys = new Array(cap).fill(undefined);
    this.#values = new Array(cap).fill(undefined);
    for (let i = 0; i < oldKeys.length; i++) {
      const key = oldKeys[i];
      if (key === undefined) continue;
      let slot = oldHashes[i] & this.#mask;
      while (this.#keys[slot] !== undefined) slot = (slot + 1) & this.#mask;
      this.#hashes[slot] = oldHashes[i];
      this.#keys[slot] = key;
      this.#values[slot] = oldValues[i];
    }
  }
}
