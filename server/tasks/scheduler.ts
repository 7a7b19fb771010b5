/**
 * A small scheduler for the background tasks: fixed intervals (first run
 * one interval after start, as gocron's duration jobs) and daily wall-clock
 * times in the local time zone.
 *
 * A task never overlaps itself: a run that comes due while the previous one
 * is still busy is skipped with a warning. Missed runs (a suspended machine,
 * a long task) are not made up; the next run is the next due time after
 * now. Errors of a run are logged and do not stop the schedule. Clock and
 * timer functions are injectable, so tests need not wait for real time.
 *
 * @module
 */

import { log } from "../log/logger.ts";
import { checkTimeOfDay, nextDailyTime, type TimeOfDay } from "./wall_clock.ts";

/** When a task runs. */
export type Schedule =
  | { every: number }
  | { dailyAt: TimeOfDay };

/** A named piece of background work. */
export interface Task {
  /** Unique within a scheduler; used in log lines. */
  name: string;
  schedule: Schedule;
  run(): void | Promise<void>;
}

/** Clock, timers and time zone of a {@link Scheduler}. */
export interface SchedulerOptions {
  /** Epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /** Calls `fn` after `delayMs` (default `setTimeout`); returns a handle for `clearTimer`. */
  setTimer?: (fn: () => void, delayMs: number) => unknown;
  /** Cancels a timer of `setTimer` (default `clearTimeout`). */
  clearTimer?: (handle: unknown) => void;
  /** IANA zone of daily times (default: the local zone). */
  timeZone?: string;
}

interface Entry {
  task: Task;
  due: number;
  timer?: unknown;
  running?: Promise<void>;
}

/** setTimeout fires at once for delays above 2^31-1 ms; longer waits are split. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Describes a schedule for log lines: `every 300s` or `daily at 03:00`. */
export function describeSchedule(schedule: Schedule): string {
  if ("every" in schedule) return `every ${schedule.every / 1000}s`;
  const { hour, minute } = schedule.dailyAt;
  return `daily at ${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}

/** Runs {@link Task}s on their schedules until stopped. */
export class Scheduler {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  readonly #setTimer: (fn: () => void, delayMs: number) => unknown;
  readonly #clearTimer: (handle: unknown) => void;
  readonly #timeZone?: string;
  #started = false;
  #stopped = false;

  /** A scheduler with the given clock and timers (defaults: the real ones). */
  constructor(options: SchedulerOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.#clearTimer = options.clearTimer ??
      ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.#timeZone = options.timeZone;
  }

  /** Adds a task; armed at once when the scheduler already runs. Throws on a bad schedule or a duplicate name. */
  add(task: Task): void {
    if (this.#entries.has(task.name)) {
      throw new Error(`cannot schedule task "${task.name}": a task of that name exists`);
    }
    const schedule = task.schedule;
    if ("every" in schedule) {
      if (!Number.isFinite(schedule.every) || schedule.every <= 0) {
        throw new RangeError(
          `cannot schedule task "${task.name}": interval ${schedule.every} ms is not positive`,
        );
      }
    } else {
      checkTimeOfDay(schedule.dailyAt);
    }
    const entry: Entry = { task, due: 0 };
    this.#entries.set(task.name, entry);
    if (this.#started && !this.#stopped) this.#begin(entry);
  }

  /** Names of the scheduled tasks, in the order they were added. */
  get taskNames(): string[] {
    return [...this.#entries.keys()];
  }

  /** When task `name` runs next (epoch ms), or undefined when unknown or not started. */
  nextRun(name: string): number | undefined {
    const entry = this.#entries.get(name);
    return entry && this.#started && !this.#stopped ? entry.due : undefined;
  }

  /** Arms every task. Calling it again does nothing. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const entry of this.#entries.values()) this.#begin(entry);
  }

  /**
   * Runs task `name` now, outside its schedule; resolves to false (without
   * running) when it is busy, the scheduler is stopped or no such task exists.
   */
  runNow(name: string): Promise<boolean> {
    const entry = this.#entries.get(name);
    if (!entry || this.#stopped) return Promise.resolve(false);
    return this.#execute(entry);
  }

  /** Resolves when no task is running (tasks started meanwhile included). */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.#entries.values()].flatMap((e) => e.running ? [e.running] : []);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  /** Cancels all timers and waits for running tasks to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const running: Promise<void>[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.timer !== undefined) this.#clearTimer(entry.timer);
      entry.timer = undefined;
      if (entry.running) running.push(entry.running);
    }
    await Promise.all(running);
  }

  #begin(entry: Entry): void {
    const now = this.#now();
    const schedule = entry.task.schedule;
    entry.due = "every" in schedule
      ? now + schedule.every
      : nextDailyTime(now, schedule.dailyAt, { timeZone: this.#timeZone });
    this.#arm(entry);
  }

  #arm(entry: Entry): void {
    const delay = Math.min(Math.max(0, entry.due - this.#now()), MAX_TIMER_MS);
    entry.timer = this.#setTimer(() => this.#fire(entry), delay);
  }

  #fire(entry: Entry): void {
    entry.timer = undefined;
    if (this.#stopped) return;
    const now = this.#now();
    if (now < entry.due) {
      // A split long wait, or a timer that fired early.
      this.#arm(entry);
      return;
    }
    const schedule = entry.task.schedule;
    if ("every" in schedule) {
      const missed = Math.floor((now - entry.due) / schedule.every);
      entry.due += (missed + 1) * schedule.every;
    } else {
      entry.due = nextDailyTime(now, schedule.dailyAt, { timeZone: this.#timeZone });
    }
    this.#arm(entry);
    void this.#execute(entry);
  }

  async #execute(entry: Entry): Promise<boolean> {
    const name = entry.task.name;
    if (entry.running) {
      log.warn(`task manager: ${name} is still running, this run is skipped`);
      return false;
    }
    const run = (async () => {
      log.debug(`task manager: ${name} started`);
      try {
        await entry.task.run();
      } catch (error) {
        // A failing run must not end the schedule; the next run may succeed.
        log.error(`task manager: ${name} failed: ${(error as Error).message}`);
      }
    })();
    entry.running = run;
    try {
      await run;
    } finally {
      entry.running = undefined;
    }
    return true;
  }
}
