/**
 * A small, fast, seeded pseudo-random number generator for the demo data.
 *
 * The core is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator,
 * 128 bits of state), seeded through splitmix32 so that nearby seeds give
 * unrelated streams. Everything the demo generates derives from one seed, so
 * the same seed always yields the same site.
 *
 * @module
 */

/** Folds a string or number into a 32-bit seed (FNV-1a for strings). */
export function hashSeed(seed: number | string): number {
  if (typeof seed === "number") {
    // Mix the high bits in so that seeds above 2^32 still differ.
    const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
    return ((seed >>> 0) ^ Math.imul(hi, 0x9e3779b9)) >>> 0;
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Derives an independent seed from a parent seed and a label, e.g. a job id. */
export function deriveSeed(seed: number | string, label: number | string): number {
  return hashSeed(`${hashSeed(seed)}/${label}`);
}

/** A seeded random stream with the helpers the demo generator needs. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  #spare = NaN;

  /** Starts a stream; equal seeds give equal streams. */
  constructor(seed: number | string) {
    let s = hashSeed(seed);
    const next = (): number => {
      // splitmix32
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** The next unsigned 32-bit integer. */
  uint32(): number {
    const a = this.#a, b = this.#b, c = this.#c, d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.#c = (r + t) | 0;
    return t >>> 0;
  }

  /** A float uniformly in [0, 1). */
  next(): number {
    return this.uint32() / 0x1_0000_0000;
  }

  /** A float uniformly in [min, max). */
  float(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer uniformly in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A float whose logarithm is uniform in [log min, log max). */
  logUniform(min: number, max: number): number {
    return Math.exp(this.float(Math.log(min), Math.log(max)));
  }

  /** A normally distributed float (Marsaglia's polar method). */
  normal(mean = 0, sd = 1): number {
    if (!Number.isNaN(this.#spare)) {
      const z = this.#spare;
      this.#spare = NaN;
      return mean + sd * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt(-2 * Math.log(s) / s);
    this.#spare = v * f;
    return mean + sd * u * f;
  }

  /** One element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("cannot pick from an empty list");
    return items[Math.floor(this.next() * items.length)];
  }

  /** One value of a list of `[value, weight]` pairs, proportionally to the weights. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    if (!(total > 0)) throw new RangeError("cannot pick from weights that sum to zero");
    let x = this.next() * total;
    for (const [value, w] of entries) {
      x -= w;
      if (x < 0) return value;
    }
    return entries[entries.length - 1][0];
  }

  /** Shuffles a list in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
}
