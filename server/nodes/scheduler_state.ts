/**
 * The scheduler state of a node from the free-form state words a resource
 * manager reports (Slurm: `allocated`, `idle`, `drain`, `down`, ...).
 *
 * @module
 */
import type { SchedulerState } from "../db/mod.ts";

/**
 * Maps state words (case-insensitive) to one stored state; the first rule
 * that applies wins: allocated, reserved, idle together with down (down),
 * idle, down, mixed, otherwise unknown. So `drain` or `completing` alone are
 * `unknown`, and `idle`+`drain` is `idle`.
 */
export function schedulerState(words: readonly string[]): SchedulerState {
  const set = new Set(words.map((w) => w.toLowerCase()));
  if (set.has("allocated")) return "allocated";
  if (set.has("reserved")) return "reserved";
  if (set.has("idle") && set.has("down")) return "down";
  if (set.has("idle")) return "idle";
  if (set.has("down")) return "down";
  if (set.has("mixed")) return "mixed";
  return "unknown";
}
