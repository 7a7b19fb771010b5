/**
 * The in-memory metric store: the level tree, the buffer allocator and the
 * operations on them (write, read with aggregation and resampling, free,
 * oldest-first eviction, memory accounting).
 *
 * Single-threaded by design: every operation runs to completion on the
 * event loop, so no locks are needed.
 *
 * @module
 */
import { freeChain, type MetricBuffer, oldestOf } from "./buffer.ts";
import { BufferAllocator } from "./buffer_allocator.ts";
import { Level, type Selector } from "./level.ts";
import { type ClusterMetricSource, MetricRegistry } from "./metric_registry.ts";
import type { ResampleMethod } from "./resample.ts";
import { readMetric, type ReadRange, type ReadResult } from "./read_metric.ts";

export type { ReadRange, ReadResult } from "./read_metric.ts";

/** Options of a store. */
export interface MemoryStoreOptions {
  /** Slots of a full buffer (default 512, as cc-backend). */
  bufferCapacity?: number;
  /** Slots of a new chain head, which grows up to `bufferCapacity` (default 64). */
  minBufferCapacity?: number;
  /** Buffers per slab (default: 256 KiB slabs). */
  buffersPerSlab?: number;
  /** Resampling method of reads with a resolution (default LTTB, as cc-backend). */
  resampler?: ResampleMethod;
  /** Reads shorter than this are not resampled (cc-backend `minimum-points`, default 1000). */
  minimumPoints?: number;
}

/** Counters of a store. */
export interface StoreStats {
  levels: number;
  buffers: number;
  /** Stored slots (NaN-filled gaps included). */
  points: number;
  slabs: number;
  freeSlots: number;
  bytesInUse: number;
}

/** The in-memory metric store. */
export class MemoryStore {
  readonly metrics: MetricRegistry;
  readonly root: Level;
  readonly allocator: BufferAllocator;
  readonly resampler: ResampleMethod;
  readonly minimumPoints: number;
  /** Bumped whenever levels leave the tree; holders of level references must drop them. */
  generation = 0;
  #points = 0;
  #levels = 0;
  #levelBytes = 0;
  readonly #freqs: Float64Array;
  readonly #release = (b: MetricBuffer): void => {
    this.#points -= b.len;
    this.allocator.release(b);
  };

  constructor(metrics: MetricRegistry, options: MemoryStoreOptions = {}) {
    this.metrics = metrics;
    this.#freqs = metrics.frequencies;
    this.root = new Level("", null, metrics.size);
    this.allocator = new BufferAllocator({
      capacity: options.bufferCapacity ?? 512,
      minCapacity: options.minBufferCapacity,
      perSlab: options.buffersPerSlab,
    });
    this.resampler = options.resampler ?? "lttb";
    this.minimumPoints = options.minimumPoints ?? 1000;
  }

  /** A store for the metrics of `clusters` (cluster.json `metricConfig`s). */
  static fromClusters(
    clusters: Iterable<ClusterMetricSource>,
    options: MemoryStoreOptions = {},
  ): MemoryStore {
    return new MemoryStore(MetricRegistry.fromClusters(clusters), options);
  }

  /** The level at `path` (cluster, host, ...), or undefined; never creates one. */
  findLevel(path: readonly string[]): Level | undefined {
    let level: Level | undefined = this.root;
    for (let i = 0; i < path.length && level !== undefined; i++) level = level.child(path[i]);
    return level;
  }

  /** The level at `path`, created as needed. */
  ensureLevel(path: readonly string[]): Level {
    let level = this.root;
    for (const name of path) level = this.ensureChild(level, name);
    return level;
  }

  /** The child `name` of `level`, created as needed. */
  ensureChild(level: Level, name: string): Level {
    let child = level.child(name);
    if (child === undefined) {
      child = new Level(name, level, this.metrics.size);
      (level.children ??= new Map()).set(name, child);
      this.#levels++;
      this.#levelBytes += child.bytes();
    }
    return child;
  }

  /**
   * Stores one sample; the hot path of ingestion. Returns false (and stores
   * nothing) when `ts` lies before the start of the chain's newest buffer.
   */
  writeSample(level: Level, metric: number, ts: number, value: number): boolean {
    const heads = level.heads;
    let b = heads[metric];
    if (b === null) {
      const freq = this.#freqs[metric];
      b = this.allocator.alloc(ts - Math.floor(freq / 2), freq);
      heads[metric] = b;
    } else if (ts < b.start) {
      return false;
    }
    const idx = Math.floor((ts - b.start) / b.freq);
    const len = b.len;
    if (idx < len) {
      b.data[b.off + idx] = value;
      if (idx < b.changed) b.changed = idx;
      b.archived = false; // changed since it was saved
      return true;
    }
    // Restored (archived) buffers are never extended, so snapshots need not rewrite them.
    if (idx >= b.cap || b.archived) {
      if (!b.archived && idx < this.allocator.capacity) {
        // A small head grows in place (same start) up to the full capacity.
        b = this.allocator.grow(b, idx + 1);
        heads[metric] = b;
      } else {
        const freq = this.#freqs[metric];
        const nb = this.allocator.alloc(ts - Math.floor(freq / 2), freq);
        nb.prev = b;
        b.next = nb;
        heads[metric] = nb;
        nb.data[nb.off] = value;
        nb.len = 1;
        nb.changed = 0;
        nb.tag = b.tag;
        this.#points++;
        return true;
      }
    }
    if (idx > len) b.data.fill(NaN, b.off + len, b.off + idx);
    b.data[b.off + idx] = value;
    b.len = idx + 1;
    if (idx < b.changed) b.changed = idx;
    this.#points += idx + 1 - len;
    return true;
  }

  /**
   * Appends a run of values (a restored checkpoint, e.g. Float32Array) to the
   * chain of `metric` at `path`: `values[i]` is the sample at `firstTime +
   * i·freq`. The run is stored in full-size buffers marked `archived`
   * (already on disk; later samples go to new buffers) and must not start
   * before the chain's newest buffer.
   */
  appendSeries(
    path: readonly string[],
    series: {
      metric: string;
      firstTime: number;
      freq: number;
      values: ArrayLike<number> & { subarray(start: number, end: number): ArrayLike<number> };
    },
  ): void {
    const { metric, firstTime, freq, values } = series;
    const info = this.metrics.get(metric);
    if (info === undefined) throw new Error(`unknown metric: ${metric}`);
    if (values.length === 0) return;
    const level = this.ensureLevel(path);
    let head = level.heads[info.index];
    const start = firstTime - Math.floor(freq / 2);
    if (head !== null && start < head.start) {
      throw new Error(
        `cannot restore ${metric} at ${
          path.join(":")
        } from ${firstTime}: the chain already starts later`,
      );
    }
    const cap = this.allocator.capacity;
    for (let at = 0; at < values.length; at += cap) {
      const n = Math.min(cap, values.length - at);
      const b = this.allocator.alloc(start + at * freq, freq, cap);
      b.data.set(values.subarray(at, at + n), b.off);
      b.len = n;
      b.archived = true;
      if (head !== null) {
        head.next = b;
        b.prev = head;
      }
      head = b;
      this.#points += n;
    }
    level.heads[info.index] = head;
  }

  /** Stores one sample at `path`; throws for an unknown metric or a write into the past. */
  write(path: readonly string[], metric: string, ts: number, value: number): void {
    const info = this.metrics.get(metric);
    if (info === undefined) throw new Error(`unknown metric: ${metric}`);
    if (!this.writeSample(this.ensureLevel(path), info.index, ts, value)) {
      throw new Error(
        `cannot write ${metric} at ${ts} to ${
          path.join(":")
        }: the buffer starts later (write from the past)`,
      );
    }
  }

  /**
   * Reads `metric` under `selector` over `[from, to)`, combining several
   * chains with the metric's aggregation; null when nothing is stored (see
   * read_metric.ts).
   */
  read(selector: Selector, metric: string, range: ReadRange): ReadResult | null {
    return readMetric(this, { selector, metric, ...range });
  }

  /** Frees the buffers older than `t` at and below `path`; returns the number freed. */
  free(path: readonly string[], t: number): number {
    const level = this.findLevel(path);
    if (level === undefined) return 0;
    const freed = this.#freeLevel(level, t);
    if (level.parent !== null && level.isEmpty()) this.#removeChild(level.parent, level);
    return freed;
  }

  /**
   * Frees everything older than `t`, except below the hosts for which
   * `keep(cluster, host)` is true. Returns the number of buffers freed.
   */
  freeOlderThan(t: number, keep?: (cluster: string, host: string) => boolean): number {
    let freed = 0;
    for (const cluster of this.root.children?.values() ?? []) {
      for (let m = 0; m < cluster.heads.length; m++) freed += this.#freeHead(cluster, m, t);
      for (const host of cluster.children?.values() ?? []) {
        if (keep !== undefined && keep(cluster.name, host.name)) continue;
        freed += this.#freeLevel(host, t);
        if (host.isEmpty()) this.#removeChild(cluster, host);
      }
      if (cluster.isEmpty()) this.#removeChild(this.root, cluster);
    }
    return freed;
  }

  /** Moves buffers out of sparse slabs so that freed memory is returned. */
  compact(): number {
    return this.allocator.compact();
  }

  /** Stored slots over all chains. */
  get points(): number {
    return this.#points;
  }

  /** Estimated bytes of memory the store holds (slabs, buffer objects, levels). */
  get bytesInUse(): number {
    return this.allocator.bytesAllocated + this.#levelBytes;
  }

  /** Counters for monitoring and benchmarks. */
  stats(): StoreStats {
    const a = this.allocator.stats();
    return {
      levels: this.#levels,
      buffers: a.buffersInUse,
      points: this.#points,
      slabs: a.slabs,
      freeSlots: a.freeSlots,
      bytesInUse: this.bytesInUse,
    };
  }

  /** Names of the clusters with data, sorted. */
  clusters(): string[] {
    return [...this.root.children?.keys() ?? []].sort();
  }

  /** Names of the hosts of `cluster` with data, sorted. */
  hosts(cluster: string): string[] {
    return [...this.root.child(cluster)?.children?.keys() ?? []].sort();
  }

  /** Time of the oldest stored sample of `metric` at `path` (for tests and debugging). */
  firstWrite(path: readonly string[], metric: string): number | undefined {
    const info = this.metrics.get(metric);
    const head = info && this.findLevel(path)?.heads[info.index];
    return head ? oldestOf(head).firstWrite() : undefined;
  }

  #freeHead(level: Level, m: number, t: number): number {
    const head = level.heads[m];
    if (head === null) return 0;
    const before = this.allocator.buffersInUse;
    level.heads[m] = freeChain(head, t, this.#release);
    return before - this.allocator.buffersInUse;
  }

  #freeLevel(level: Level, t: number): number {
    let freed = 0;
    for (let m = 0; m < level.heads.length; m++) freed += this.#freeHead(level, m, t);
    if (level.children !== null) {
      for (const child of level.children.values()) {
        freed += this.#freeLevel(child, t);
        if (child.isEmpty()) this.#removeChild(level, child);
      }
    }
    return freed;
  }

  #removeChild(parent: Level, child: Level): void {
    parent.children?.delete(child.name);
    this.#levels -= 1 + countDescendants(child);
    this.#levelBytes -= child.bytes();
    this.generation++;
  }
}

function countDescendants(level: Level): number {
  let n = 0;
  for (const child of level.children?.values() ?? []) n += 1 + countDescendants(child);
  return n;
}
