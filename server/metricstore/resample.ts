/**
 * Downsampling of a regular series to a coarser resolution: LTTB (largest
 * triangle three buckets, what cc-backend uses for metric reads) and bucket
 * averaging.
 *
 * Rules as in cc-lib's resampler: nothing happens when the target is not
 * coarser than the source or the series has fewer than `minimumPoints`
 * points (default 1000). Deliberate differences:
 * - a target that is not a multiple of the source frequency is rounded down
 *   to one (cc-lib fails); the returned `resolution` says what was used;
 * - NaN is handled explicitly: NaN points are never picked over real ones,
 *   a bucket of only NaN yields NaN (the gap stays visible), and a NaN
 *   neighbour average falls back to the previous point (cc-lib lets NaN
 *   areas win, which picks arbitrary points);
 * - LTTB needs three output points; fewer fall back to averaging.
 *
 * @module
 */

/** The resampling methods. */
export type ResampleMethod = "lttb" | "average";

/** A resampled series and the step it has. */
export interface Resampled {
  data: Float64Array;
  resolution: number;
}

/** Options of {@link resample}. */
export interface ResampleOptions {
  /** Seconds per point of the input. */
  freq: number;
  /** Wanted seconds per point (0 = keep). */
  resolution: number;
  method?: ResampleMethod;
  /** Series shorter than this stay as they are (cc-backend default 1000). */
  minimumPoints?: number;
}

/** Resamples `data` (step `freq`) to about `resolution` seconds per point. */
export function resample(data: Float64Array, options: ResampleOptions): Resampled {
  const { freq, resolution } = options;
  const minimumPoints = options.minimumPoints ?? 1000;
  if (!(resolution > freq) || data.length < minimumPoints) return { data, resolution: freq };
  const step = Math.floor(resolution / freq);
  const method = options.method ?? "lttb";
  const outLen = method === "lttb" ? Math.floor(data.length / step) : Math.ceil(data.length / step);
  if (outLen === 0 || outLen >= data.length) return { data, resolution: freq };
  const out = method === "lttb" && outLen >= 3 ? lttb(data, outLen) : average(data, step);
  return { data: out, resolution: step * freq };
}

/** Mean of the non-NaN values of each run of `step` points (NaN for a run of NaN). */
export function average(data: Float64Array, step: number): Float64Array {
  const outLen = Math.ceil(data.length / step);
  const out = new Float64Array(outLen);
  for (let o = 0; o < outLen; o++) {
    const end = Math.min(data.length, (o + 1) * step);
    let sum = 0;
    let n = 0;
    for (let i = o * step; i < end; i++) {
      const v = data[i];
      if (v === v) {
        sum += v;
        n++;
      }
    }
    out[o] = n > 0 ? sum / n : NaN;
  }
  return out;
}

/** Largest triangle three buckets down to `outLen` (≥ 3) points; x is the index. */
export function lttb(data: Float64Array, outLen: number): Float64Array {
  const len = data.length;
  const out = new Float64Array(outLen);
  out[0] = data[0];
  out[outLen - 1] = data[len - 1];
  const every = (len - 2) / (outLen - 2);
  let a = 0;
  // The y of the last chosen real point; NaN until one is seen.
  let ay = data[0];
  for (let i = 0; i < outLen - 2; i++) {
    const rangeStart = Math.floor(i * every) + 1;
    const rangeEnd = Math.floor((i + 1) * every) + 1;
    const avgStart = rangeEnd;
    const avgEnd = Math.min(Math.floor((i + 2) * every) + 1, len);
    let sx = 0;
    let sy = 0;
    let n = 0;
    for (let j = avgStart; j < avgEnd; j++) {
      const v = data[j];
      if (v === v) {
        sx += j;
        sy += v;
        n++;
      }
    }
    if (ay !== ay) {
      // No real point chosen yet: start the triangle at the bucket's first real point.
      for (let j = rangeStart; j < rangeEnd && ay !== ay; j++) {
        if (data[j] === data[j]) {
          ay = data[j];
          a = j;
        }
      }
    }
    const cx = n > 0 ? sx / n : avgEnd;
    const cy = n > 0 ? sy / n : ay;
    let best = -1;
    let bestArea = -1;
    for (let j = rangeStart; j < rangeEnd; j++) {
      const v = data[j];
      if (v !== v) continue;
      const area = Math.abs((a - cx) * (v - ay) - (a - j) * (cy - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    if (best < 0) {
      out[i + 1] = NaN;
    } else {
      out[i + 1] = data[best];
      a = best;
      ay = data[best];
    }
  }
  return out;
}
