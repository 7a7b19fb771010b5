/**
 * A bounded queue worked off by a fixed number of concurrent workers (the
 * original's buffered channel with `job-concurrency` / `node-concurrency`
 * goroutines). `push` waits while the queue is full, which slows the
 * subscription down instead of buffering without limit.
 *
 * @module
 */
import { log } from "../log/logger.ts";

/** A queue of `T` handled by `workers` concurrent calls of `handle`. */
export class WorkQueue<T> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  readonly #handle: (item: T) => Promise<void>;
  readonly #name: string;
  /** Workers waiting for an item. */
  readonly #idle: (() => void)[] = [];
  /** Producers waiting for room. */
  readonly #blocked: (() => void)[] = [];
  readonly #workers: Promise<void>[] = [];
  #closed = false;

  /**
   * Starts `workers` (at least 1) workers; the queue holds up to `capacity`
   * items (default: the number of workers). `handle` should not throw; if it
   * does, the error is logged under `name`.
   */
  constructor(
    handle: (item: T) => Promise<void>,
    options: { workers: number; capacity?: number; name: string },
  ) {
    const workers = Math.max(1, Math.floor(options.workers));
    this.#capacity = Math.max(1, options.capacity ?? workers);
    this.#handle = handle;
    this.#name = options.name;
    for (let i = 0; i < workers; i++) this.#workers.push(this.#work());
  }

  /** Items waiting (not counting those being handled). */
  get length(): number {
    return this.#items.length;
  }

  /** Queues `item`, waiting while the queue is full; false once the queue is closed. */
  async push(item: T): Promise<boolean> {
    while (!this.#closed && this.#items.length >= this.#capacity) {
      await new Promise<void>((resolve) => this.#blocked.push(resolve));
    }
    if (this.#closed) return false;
    this.#items.push(item);
    this.#idle.shift()?.();
    return true;
  }

  /** Stops accepting items and resolves when every queued item has been handled. */
  async drain(): Promise<void> {
    this.#closed = true;
    for (const wake of this.#idle.splice(0)) wake();
    for (const wake of this.#blocked.splice(0)) wake();
    await Promise.all(this.#workers);
  }

  async #work(): Promise<void> {
    for (;;) {
      if (this.#items.length === 0) {
        if (this.#closed) return;
        await new Promise<void>((resolve) => this.#idle.push(resolve));
        continue;
      }
      const item = this.#items.shift() as T;
      this.#blocked.shift()?.();
      try {
        await this.#handle(item);
      } catch (error) {
        log.error(
          `${this.#name}: handling a message failed: ${(error as Error)?.message ?? error}`,
        );
      }
    }
  }
}
