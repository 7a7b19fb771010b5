/**
 * A minimal batching loader (the DataLoader pattern): `load(key)` calls made
 * while GraphQL resolves the fields of a list are collected and answered by
 * one call of the batch function on the next microtask, so a page of jobs
 * costs one query for its tags instead of one per job.
 *
 * @module
 */

/** Loads many keys at once; the map may lack keys (they resolve to `fallback`). */
export type BatchFunction<K, V> = (keys: readonly K[]) => Map<K, V> | Promise<Map<K, V>>;

/** Collects keys per tick and caches results for the life of the loader (one request). */
export class BatchLoader<K, V> {
  readonly #batch: BatchFunction<K, V>;
  readonly #fallback: V;
  readonly #cache = new Map<K, Promise<V>>();
  #pending: { key: K; resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];

  /** `fallback` answers keys the batch function does not return. */
  constructor(batch: BatchFunction<K, V>, options: { fallback: V }) {
    this.#batch = batch;
    this.#fallback = options.fallback;
  }

  /** The value of `key`, loaded together with the other keys requested in this tick. */
  load(key: K): Promise<V> {
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const promise = new Promise<V>((resolve, reject) => {
      if (this.#pending.length === 0) queueMicrotask(() => this.#dispatch());
      this.#pending.push({ key, resolve, reject });
    });
    this.#cache.set(key, promise);
    return promise;
  }

  /** Forgets cached values (after a mutation changed them). */
  clear(): void {
    this.#cache.clear();
  }

  async #dispatch(): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    try {
      const found = await this.#batch(pending.map((p) => p.key));
      for (const p of pending) p.resolve(found.has(p.key) ? found.get(p.key)! : this.#fallback);
    } catch (error) {
      for (const p of pending) {
        this.#cache.delete(p.key);
        p.reject(error);
      }
    }
  }
}
