/**
 * Wall-clock times in an IANA time zone: when "every day at 03:00" next
 * happens, across midnight and daylight-saving changes. The local zone is
 * the default, as cc-backend's scheduler runs in local time.
 *
 * On the day clocks spring forward a time inside the gap (02:30 in
 * Europe/Berlin) happens once, shifted by the gap (03:30); on the day they
 * fall back a time that occurs twice happens once, at its first occurrence.
 *
 * @module
 */

/** A time of day on the wall clock. */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The time zone of this process (`TZ` or the system's). */
export function localTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const { year, month, day, hour, minute, second } = parts;
  return { year, month, day, hour, minute, second };
}

/** Milliseconds the zone's wall clock is ahead of UTC at instant `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const shown = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return shown - Math.floor(ms / 1000) * 1000;
}

/** The instant at which the zone's clock shows `time` on the given date (see the module notes). */
function instantOf(
  date: { year: number; month: number; day: number },
  time: TimeOfDay,
  timeZone: string,
): number {
  const naive = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute);
  // A day apart, the offsets before and after any change on this date.
  const early = naive - offsetAt(naive - DAY_MS, timeZone);
  const late = naive - offsetAt(naive + DAY_MS, timeZone);
  const shows = (t: number) => offsetAt(t, timeZone) === naive - t;
  if (shows(early) && shows(late)) return Math.min(early, late);
  if (shows(early)) return early;
  if (shows(late)) return late;
  // In a spring-forward gap: the old offset lands as far past the gap as the time was into it.
  return early;
}

/** Throws unless `time` is a valid hour (0-23) and minute (0-59). */
export function checkTimeOfDay(time: TimeOfDay): void {
  const { hour, minute } = time;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new RangeError(`invalid hour ${hour}: must be an integer from 0 to 23`);
  }
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new RangeError(`invalid minute ${minute}: must be an integer from 0 to 59`);
  }
}

/**
 * The first instant (epoch milliseconds) strictly after `afterMs` at which
 * the clock of `timeZone` (default: local) shows `time`.
 */
export function nextDailyTime(
  afterMs: number,
  time: TimeOfDay,
  options: { timeZone?: string } = {},
): number {
  checkTimeOfDay(time);
  const timeZone = options.timeZone ?? localTimeZone();
  const today = wallClock(afterMs, timeZone);
  for (let i = 0; i < 3; i++) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
    const date = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
    const at = instantOf(date, time, timeZone);
    if (at > afterMs) return at;
  }
  // Unreachable for real zones (every date has the time or a shifted one).
  throw new Error(`no ${time.hour}:${time.minute} in ${timeZone} after ${afterMs}`);
}
