/**
 * `stop_job` events that arrived before their `start_job`. NATS does not
 * order messages across workers (or publishers), so a stop that finds no job
 * is not rejected at once, as in cc-backend, but tried again with growing
 * delays (by default 0.25 s doubling up to 5 s) until a deadline (30 s), and
 * at once when a start for the same job is stored.
 *
 * @module
 */

/** Delays of {@link StopRetries}, in milliseconds. */
export interface RetryPolicy {
  /** Give up this long after the first attempt (default 30 000). */
  deadlineMs: number;
  /** Wait before the first retry (default 250); doubled after each. */
  firstDelayMs: number;
  /** Longest wait between two retries (default 5 000). */
  maxDelayMs: number;
}

/** The default {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  deadlineMs: 30_000,
  firstDelayMs: 250,
  maxDelayMs: 5_000,
};

/** One waiting stop. */
interface Pending {
  key: string;
  /** Tries again; true when finished (stored or failed for good), false to keep waiting. */
  attempt: () => boolean;
  /** Called once when the deadline passed (or at shutdown) without success. */
  giveUp: (waitedMs: number) => void;
  since: number;
  delay: number;
  timer?: ReturnType<typeof setTimeout>;
}

/** Stops waiting for their job, keyed by job (e.g. `cluster` and `jobId`). */
export class StopRetries {
  readonly #policy: RetryPolicy;
  readonly #pending = new Set<Pending>();

  constructor(policy: Partial<RetryPolicy> = {}) {
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...policy };
  }

  /** Stops waiting now. */
  get size(): number {
    return this.#pending.size;
  }

  /** Schedules retries of `attempt` (which just failed for want of a job). */
  add(key: string, attempt: () => boolean, giveUp: (waitedMs: number) => void): void {
    const entry: Pending = {
      key,
      attempt,
      giveUp,
      since: Date.now(),
      delay: this.#policy.firstDelayMs,
    };
    this.#pending.add(entry);
    this.#schedule(entry);
  }

  /** Retries the stops waiting under `key` now (a job with that key was just started). */
  wake(key: string): void {
    for (const entry of [...this.#pending]) {
      if (entry.key === key) this.#run(entry);
    }
  }

  /** Shutdown: one last attempt for each waiting stop, then gives up on those still failing. */
  flush(): void {
    for (const entry of [...this.#pending]) {
      clearTimeout(entry.timer);
      this.#pending.delete(entry);
      if (!entry.attempt()) entry.giveUp(Date.now() - entry.since);
    }
  }

  #schedule(entry: Pending): void {
    const left = entry.since + this.#policy.deadlineMs - Date.now();
    entry.timer = setTimeout(() => this.#run(entry), Math.max(0, Math.min(entry.delay, left)));
    entry.delay = Math.min(entry.delay * 2, this.#policy.maxDelayMs);
  }

  #run(entry: Pending): void {
    if (!this.#pending.has(entry)) return;
    clearTimeout(entry.timer);
    if (entry.attempt()) {
      this.#pending.delete(entry);
      return;
    }
    const waited = Date.now() - entry.since;
    if (waited >= this.#policy.deadlineMs) {
      this.#pending.delete(entry);
      entry.giveUp(waited);
      return;
    }
    this.#schedule(entry);
  }
}
