/**
 * The CPU roofline of one job, as numbers: a point per node and timestep
 * (arithmetic intensity `flops_any / mem_bw`, performance `flops_any`,
 * time as 0..1), the point colour by time, the roof from the subcluster's
 * memory bandwidth and scalar/SIMD flop rates, and the log-log mapping to
 * canvas pixels. The island only draws.
 *
 * @module
 */

/** Points in data space; `t` is the time of each point as a fraction of the job. */
export interface RooflinePoints {
  x: number[];
  y: number[];
  t: number[];
}

/** A series' samples as the API sends them (null where missing). */
export type Samples = readonly (number | null)[];

/**
 * A point for each node and timestep where both values are finite and the
 * intensity is finite and positive; node `i` of `flops` pairs with node `i`
 * of `memBw`.
 */
export function rooflinePoints(
  flops: readonly Samples[],
  memBw: readonly Samples[],
): RooflinePoints {
  const out: RooflinePoints = { x: [], y: [], t: [] };
  const nodes = Math.min(flops.length, memBw.length);
  for (let n = 0; n < nodes; n++) {
    const f = flops[n];
    const m = memBw[n];
    const steps = Math.min(f.length, m.length);
    for (let j = 0; j < steps; j++) {
      const perf = f[j];
      const bw = m[j];
      if (perf === null || bw === null) continue;
      const intensity = perf / bw;
      if (!Number.isFinite(intensity) || intensity <= 0 || !(perf > 0)) continue;
      out.x.push(intensity);
      out.y.push(perf);
      out.t.push(steps > 1 ? j / (steps - 1) : 0);
    }
  }
  return out;
}

/**
 * Colour of time `t` (0..1): blue at the start, green in the middle, red at
 * the end; without the red channel in colour-blind mode.
 */
export function timeColor(t: number, colorblind = false): string {
  const c = Math.min(1, Math.max(0, t));
  const red = c <= 0.5 ? 0 : Math.round((c - 0.5) * 2 * 255);
  const green = c <= 0.5 ? Math.round(c * 2 * 255) : Math.round((1 - c) * 2 * 255);
  const blue = c <= 0.5 ? Math.round((1 - c * 2) * 255) : 0;
  return `rgb(${colorblind ? 0 : red},${green},${blue})`;
}

/** The subcluster's roof (all in G units: GB/s and GF/s). */
export interface Roof {
  memoryBandwidth: number;
  flopRateScalar: number;
  flopRateSimd: number;
}

/** Axis ranges of the plot (both logarithmic). */
export interface RooflineAxes {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** A line segment in data space. */
export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** x 0.01..1000 FLOP/byte; y 1..the SIMD peak rounded up to a thousand (10000 without one). */
export function rooflineAxes(roof: Partial<Roof>): RooflineAxes {
  const simd = roof.flopRateSimd ?? 0;
  return {
    xMin: 0.01,
    xMax: 1000,
    yMin: 1,
    yMax: simd > 0 ? Math.ceil(simd / 1000) * 1000 : 10000,
  };
}

/**
 * The roof: the memory diagonal `y = bandwidth · x` from the left edge to
 * the SIMD knee, then the SIMD ceiling to the right edge; the scalar
 * ceiling from its own knee to the right edge. Empty without bandwidth.
 */
export function rooflineCeilings(roof: Roof, axes: RooflineAxes): Segment[] {
  const bw = roof.memoryBandwidth;
  if (!(bw > 0)) return [];
  const segments: Segment[] = [];
  const simd = roof.flopRateSimd > 0 ? roof.flopRateSimd : axes.yMax;
  const simdKnee = simd / bw;
  segments.push({ x1: axes.xMin, y1: axes.xMin * bw, x2: simdKnee, y2: simd });
  if (roof.flopRateSimd > 0) segments.push({ x1: simdKnee, y1: simd, x2: axes.xMax, y2: simd });
  if (roof.flopRateScalar > 0 && roof.flopRateScalar < simd) {
    const scalar = roof.flopRateScalar;
    segments.push({ x1: scalar / bw, y1: scalar, x2: axes.xMax, y2: scalar });
  }
  return segments;
}

/** Position of `value` on a log axis from `min` to `max` mapped to 0..`size` pixels. */
export function logPosition(
  value: number,
  axis: { min: number; max: number; size: number },
): number {
  const { min, max, size } = axis;
  return ((Math.log10(value) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))) * size;
}

/** Decades from `min` to `max` (the tick values of a log axis). */
export function decades(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.ceil(Math.log10(min)); e <= Math.floor(Math.log10(max)) + 1e-9; e++) {
    ticks.push(10 ** e);
  }
  return ticks;
}
