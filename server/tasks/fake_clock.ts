/**
 * Test support (not used by the program): a clock with timers that only
 * move when a test advances it, pluggable into a {@link Scheduler}.
 *
 * @module
 */

import type { SchedulerOptions } from "./scheduler.ts";

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/** Lets pending promise callbacks (task bodies, their awaits) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** A manual clock in epoch milliseconds. */
export class FakeClock {
  #now: number;
  #nextId = 1;
  #timers: Timer[] = [];

  /** Starts at `startMs`. */
  constructor(startMs: number) {
    this.#now = startMs;
  }

  /** The current time. */
  now = (): number => this.#now;

  /** Number of armed timers. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Options that make a scheduler use this clock. */
  schedulerOptions(timeZone?: string): SchedulerOptions {
    return {
      now: this.now,
      setTimer: (fn, delayMs) => {
        const timer = { id: this.#nextId++, at: this.#now + delayMs, fn };
        this.#timers.push(timer);
        return timer.id;
      },
      clearTimer: (handle) => {
        this.#timers = this.#timers.filter((t) => t.id !== handle);
      },
      timeZone,
    };
  }

  /**
   * Moves time forward by `ms`, firing due timers in time order (timers set
   * while firing included) and letting started tasks run in between.
   */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.#timers[0];
      if (!next || next.at > end) break;
      this.#timers.shift();
      this.#now = Math.max(this.#now, next.at);
      next.fn();
      await settle();
    }
    this.#now = end;
    await settle();
  }
}
