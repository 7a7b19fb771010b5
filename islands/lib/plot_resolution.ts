/**
 * Which resolution a metric plot asks for: the largest configured
 * resampling resolution first, a finer one when the user zooms in far
 * enough (`main.resampling.trigger` visible points or fewer).
 *
 * @module
 */

/** `main.resampling` as the pages pass it to islands. */
export interface ResamplingOptions {
  /** Seconds per point, any order. */
  resolutions: number[];
  /** Zooming to this many visible points or fewer asks for finer data. */
  trigger: number;
}

/** The first resolution: the largest configured one, or 0 (native) without resampling. */
export function initialResolution(resampling: ResamplingOptions | null | undefined): number {
  const resolutions = resampling?.resolutions ?? [];
  return resolutions.length > 0 ? Math.max(...resolutions) : 0;
}

/** The configured resolution closest to `target` (the finer one on a tie). */
export function closestResolution(resolutions: readonly number[], target: number): number {
  let best = resolutions[0];
  for (const r of resolutions) {
    const d = Math.abs(r - target);
    const bestD = Math.abs(best - target);
    if (d < bestD || (d === bestD && r < best)) best = r;
  }
  return best;
}

/**
 * The resolution to re-fetch at after zooming to `window` (seconds of
 * runtime) of data sampled every `timestep` seconds, or null to keep the
 * data: no resampling configured, still more than `trigger` points visible,
 * already at the finest resolution, or the closest resolution to
 * `visible points × timestep / trigger` is the current one.
 */
export function zoomResolution(
  window: { min: number; max: number },
  timestep: number,
  resampling: ResamplingOptions | null | undefined,
): number | null {
  if (!resampling || resampling.resolutions.length === 0 || !(timestep > 0)) return null;
  const visiblePoints = Math.max(0, Math.floor((window.max - window.min) / timestep));
  const finest = Math.min(...resampling.resolutions);
  if (visiblePoints > resampling.trigger || timestep <= finest) return null;
  const target = (visiblePoints * timestep) / resampling.trigger;
  const chosen = closestResolution(resampling.resolutions, target);
  return chosen === timestep ? null : chosen;
}
