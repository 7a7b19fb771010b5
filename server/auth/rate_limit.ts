/**
 * The login rate limit of cc-backend: one token bucket per (client IP,
 * username) holding 5 attempts, refilled by one every 3 minutes (5 per 15
 * minutes). Every attempt counts, successful or not. Buckets that have
 * refilled completely carry no information and are dropped, so the table
 * stays small; its size is capped so a flood of distinct names cannot grow
 * it without bound.
 *
 * @module
 */

/** Attempts a fresh bucket allows. */
export const LOGIN_BURST = 5;

/** Milliseconds until one more attempt is allowed. */
export const LOGIN_REFILL_MS = 3 * 60 * 1000;

/** What {@link LoginRateLimiter.take} decided. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updated: number;
}

/** Token buckets by key; `now` is injectable (milliseconds). */
export class LoginRateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;
  readonly #maxEntries: number;

  /** A limiter tracking at most `maxEntries` keys (default 100 000). */
  constructor(options: { now?: () => number; maxEntries?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 100_000;
  }

  /** The key of a login attempt. */
  static key(ip: string, username: string): string {
    return `${ip}\u0000${username}`;
  }

  /** Uses one attempt of `key`, or says how long to wait for the next. */
  take(key: string): RateDecision {
    const now = this.#now();
    const bucket = this.#refilled(this.#buckets.get(key), now);
    if (bucket.tokens < 1) {
      this.#touch(key, bucket);
      const wait = Math.ceil(((1 - bucket.tokens) * LOGIN_REFILL_MS) / 1000);
      return { allowed: false, retryAfterSeconds: Math.max(1, wait) };
    }
    bucket.tokens -= 1;
    if (!this.#buckets.has(key) && this.#buckets.size >= this.#maxEntries) this.#prune(now);
    this.#touch(key, bucket);
    return { allowed: true };
  }

  /** Number of keys tracked. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Stores `bucket` as the most recently used entry. */
  #touch(key: string, bucket: Bucket): void {
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
  }

  #refilled(bucket: Bucket | undefined, now: number): Bucket {
    if (!bucket) return { tokens: LOGIN_BURST, updated: now };
    const gained = Math.max(0, now - bucket.updated) / LOGIN_REFILL_MS;
    return { tokens: Math.min(LOGIN_BURST, bucket.tokens + gained), updated: now };
  }

  /** Drops full buckets; if none is full, the least recently used quarter. */
  #prune(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (this.#refilled(bucket, now).tokens >= LOGIN_BURST) this.#buckets.delete(key);
    }
    if (this.#buckets.size < this.#maxEntries) return;
    const drop = Math.max(1, Math.floor(this.#maxEntries / 4));
    let dropped = 0;
    // Map iteration is insertion order and #touch re-inserts: the first keys are the oldest.
    for (const key of this.#buckets.keys()) {
      if (dropped++ >= drop) break;
      this.#buckets.delete(key);
    }
  }
}
