/**
 * The store's metric list: every metric of every cluster's `metricConfig`
 * (and the subclusters' derived lists), each with a fixed slot index, a
 * frequency and an aggregation. Names are global across clusters: for a
 * duplicate name the larger timestep wins and the first aggregation is kept,
 * as in cc-backend.
 *
 * @module
 */
import { log } from "../log/logger.ts";
import { ByteTable } from "./byte_table.ts";

/** How child series are combined into a parent: none, sum or average. */
export type Aggregation = "sum" | "avg" | null;

/** One metric of the store. */
export interface MetricInfo {
  name: string;
  /** Slot index in every level's chain array. */
  index: number;
  /** Seconds between samples (the cluster config's `timestep`). */
  frequency: number;
  aggregation: Aggregation;
}

/** The part of a metric config the store reads. */
export interface MetricSource {
  name: string;
  timestep: number;
  aggregation?: string | null;
}

/** The part of a cluster config (`Cluster` or `ClusterInfo`) the store reads. */
export interface ClusterMetricSource {
  name: string;
  metricConfig: MetricSource[];
  subClusters?: { metricConfig?: MetricSource[] }[];
}

/** Parses cluster.json's aggregation (`""` → none; unknown → warning and none). */
export function parseAggregation(value: string | null | undefined, metric = "?"): Aggregation {
  if (value === "sum" || value === "avg") return value;
  if (value !== undefined && value !== null && value !== "") {
    log.warn(`metric store: metric "${metric}" has unknown aggregation "${value}"; using none`);
  }
  return null;
}

/** The metric list with lookups by name and by raw bytes. */
export class MetricRegistry {
  /** Metrics by slot index. */
  readonly metrics: readonly MetricInfo[];
  /** Frequencies by slot index (the write path reads these). */
  readonly frequencies: Float64Array;
  readonly #byName = new Map<string, MetricInfo>();
  readonly #byBytes = new ByteTable<number>();

  constructor(list: Iterable<{ name: string; frequency: number; aggregation: Aggregation }>) {
    const metrics: MetricInfo[] = [];
    const encoder = new TextEncoder();
    for (const item of list) {
      if (!Number.isInteger(item.frequency) || item.frequency < 1) {
        throw new Error(
          `metric store: metric "${item.name}" needs an integer frequency >= 1 (got ${item.frequency})`,
        );
      }
      if (this.#byName.has(item.name)) {
        throw new Error(`metric store: metric "${item.name}" is listed twice`);
      }
      const info: MetricInfo = { ...item, index: metrics.length };
      metrics.push(info);
      this.#byName.set(item.name, info);
      const bytes = encoder.encode(item.name);
      this.#byBytes.set(bytes, 0, bytes.length, info.index);
    }
    this.metrics = metrics;
    this.frequencies = Float64Array.from(metrics, (m) => m.frequency);
  }

  /** Builds the list from cluster configs (cc-backend's `BuildMetricList`). */
  static fromClusters(clusters: Iterable<ClusterMetricSource>): MetricRegistry {
    const merged = new Map<string, { name: string; frequency: number; aggregation: Aggregation }>();
    const add = (mc: MetricSource) => {
      const seen = merged.get(mc.name);
      if (seen) {
        if (mc.timestep > seen.frequency) seen.frequency = mc.timestep;
        return;
      }
      merged.set(mc.name, {
        name: mc.name,
        frequency: mc.timestep,
        aggregation: parseAggregation(mc.aggregation, mc.name),
      });
    };
    for (const cluster of clusters) {
      for (const mc of cluster.metricConfig) add(mc);
      for (const sc of cluster.subClusters ?? []) for (const mc of sc.metricConfig ?? []) add(mc);
    }
    return new MetricRegistry(merged.values());
  }

  /** Number of metrics (the length of every chain array). */
  get size(): number {
    return this.metrics.length;
  }

  /** The metric called `name`, or undefined. */
  get(name: string): MetricInfo | undefined {
    return this.#byName.get(name);
  }

  /** Slot index of the metric whose name is `buf[start, end)`, or -1. */
  indexOfBytes(buf: Uint8Array, start: number, end: number): number {
    return this.#byBytes.get(buf, start, end) ?? -1;
  }
}
