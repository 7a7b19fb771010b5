/**
 * Down-sampling of loaded job data for display (cc-backend resamples every
 * series with LTTB when a job is read at a coarser `resolution`): series of
 * at least `minimumPoints` points are reduced to about one point per
 * `resolution` seconds and the metric's `timestep` says which step was used.
 * Series statistics keep their native-resolution values; a stored
 * statistics series is dropped because it no longer lines up (the job-data
 * post-processing computes it again from the resampled series).
 *
 * @module
 */
import type { JobData, JobMetric } from "../archive/types.ts";
import { average, resample } from "../metricstore/resample.ts";

/** cc-backend's default of `main.resampling.minimum-points`. */
export const DEFAULT_MINIMUM_POINTS = 1000;

/** What to resample to. */
export interface ResampleJobDataOptions {
  /** Wanted seconds per point; 0 or a value not above a metric's timestep keeps it. */
  resolution: number;
  /** Metrics whose longest series is shorter stay as they are (default 1000). */
  minimumPoints?: number;
}

/**
 * Resamples one metric in place. All series of the metric get the same step:
 * a series too short for LTTB is averaged over the same number of points.
 * Returns whether anything changed.
 */
export function resampleJobMetric(metric: JobMetric, options: ResampleJobDataOptions): boolean {
  const freq = metric.timestep;
  const minimumPoints = options.minimumPoints ?? DEFAULT_MINIMUM_POINTS;
  if (!(freq > 0) || !(options.resolution > freq) || metric.series.length === 0) return false;
  let longest = 0;
  for (const s of metric.series) longest = Math.max(longest, s.data.length);
  if (longest < minimumPoints) return false;
  const step = Math.floor(options.resolution / freq);
  if (step < 2 || Math.floor(longest / step) < 1) return false;
  for (const s of metric.series) {
    const input = Float64Array.from(s.data);
    const r = resample(input, { freq, resolution: step * freq, minimumPoints: 0 });
    const out = r.resolution === step * freq ? r.data : average(input, step);
    s.data = Array.from(out);
  }
  metric.timestep = step * freq;
  delete metric.statisticsSeries;
  return true;
}

/** Resamples every metric and scope of `data` in place and returns it. */
export function resampleJobData(data: JobData, options: ResampleJobDataOptions): JobData {
  if (!(options.resolution > 0)) return data;
  for (const perScope of Object.values(data)) {
    for (const metric of Object.values(perScope)) {
      if (metric) resampleJobMetric(metric, options);
    }
  }
  return data;
}
