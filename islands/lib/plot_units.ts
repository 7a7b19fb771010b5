/**
 * Number, unit and duration formatting of the job view and its plots
 * (cc-backend's `units.js`): SI prefixes, two decimals, runtime axis labels.
 *
 * @module
 */

/** A unit as the API sends it. */
export interface UnitLike {
  base: string;
  prefix?: string | null;
}

const PREFIXES: [number, string][] = [
  [1e18, "E"],
  [1e15, "P"],
  [1e12, "T"],
  [1e9, "G"],
  [1e6, "M"],
  [1e3, "k"],
];

/** `x` rounded to two decimals. */
export function roundTwoDigits(x: number): number {
  return Math.round(x * 100) / 100;
}

/** `x` with an SI prefix and two decimals: `1234567` → `"1.23 M"`, `12.345` → `"12.35"`. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "-";
  const magnitude = Math.abs(x);
  for (const [factor, prefix] of PREFIXES) {
    if (magnitude >= factor) return `${roundTwoDigits(x / factor)} ${prefix}`;
  }
  return String(roundTwoDigits(x));
}

/** `"GB/s"` from `{prefix: "G", base: "B/s"}`; empty without a unit. */
export function unitText(unit: UnitLike | null | undefined): string {
  return unit ? `${unit.prefix ?? ""}${unit.base}` : "";
}

/** A job duration as `H:MM:SS` (hours unbounded): `86486` → `"24:01:26"`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/**
 * A runtime axis label: whole hours as `"3h"`, less than an hour as
 * `"25m"`, otherwise `"1:30h"`. Negative values (node plots ending now) keep
 * their sign.
 */
export function formatRuntime(seconds: number): string {
  const sign = seconds < 0 ? "-" : "";
  const s = Math.abs(Math.round(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor(s / 60) % 60;
  if (hours === 0) return `${sign}${minutes}m`;
  if (minutes === 0) return `${sign}${hours}h`;
  return `${sign}${hours}:${String(minutes).padStart(2, "0")}h`;
}
