/**
 * Reading one metric under a selector: collect the selected chains, read
 * them on a common grid (read_chains.ts), combine several with the metric's
 * aggregation (sum, or avg = sum/n; a metric without aggregation cannot be
 * combined) and resample to the requested resolution.
 *
 * @module
 */
import type { MetricBuffer } from "./buffer.ts";
import { findChains, type Selector } from "./level.ts";
import type { MemoryStore } from "./memory_store.ts";
import { readChains } from "./read_chains.ts";
import { resample } from "./resample.ts";

/** The result of a read. */
export interface ReadResult {
  /** Values, resampled when a coarser resolution was asked for. */
  data: Float64Array;
  from: number;
  /** Exclusive end. */
  to: number;
  /** Seconds per value of `data`. */
  resolution: number;
  /** The data at the native frequency (same array as `data` when not resampled). */
  native: Float64Array;
  /** Number of chains combined. */
  chains: number;
}

/** The time range of a read and the wanted resolution. */
export interface ReadRange {
  from: number;
  /** Exclusive end. */
  to: number;
  /** Seconds per point; 0 or absent = native. */
  resolution?: number;
}

/**
 * Reads `metric` under `selector` over `[from, to)`; null when nothing is
 * stored for them. Throws for a bad range, an unknown metric, or several
 * chains of a metric without aggregation.
 */
export function readMetric(
  store: MemoryStore,
  query: ReadRange & { selector: Selector; metric: string },
): ReadResult | null {
  const { selector, metric, from, to } = query;
  if (from > to) throw new Error(`invalid time range: from ${from} is after to ${to}`);
  const info = store.metrics.get(metric);
  if (info === undefined) throw new Error(`unknown metric: ${metric}`);
  const heads: MetricBuffer[] = [];
  findChains(store.root, selector, 0, info.index, heads);
  if (heads.length === 0) return null;
  const raw = readChains(heads, { freq: info.frequency, from, to });
  if (raw.chains > 1) {
    if (info.aggregation === "avg") {
      const scale = 1 / raw.chains;
      for (let i = 0; i < raw.data.length; i++) raw.data[i] *= scale;
    } else if (info.aggregation !== "sum") {
      throw new Error(
        `invalid aggregation: metric "${metric}" has none but ${raw.chains} series were selected`,
      );
    }
  }
  const r = resample(raw.data, {
    freq: info.frequency,
    resolution: query.resolution ?? 0,
    method: store.resampler,
    minimumPoints: store.minimumPoints,
  });
  return {
    data: r.data,
    from: raw.from,
    to: raw.from + r.data.length * r.resolution,
    resolution: r.resolution,
    native: raw.data,
    chains: raw.chains,
  };
}
