/**
 * Line-protocol ingestion into a store: scans a body (whole or streamed in
 * chunks), resolves each line's metric and level from its raw bytes (see
 * level_resolver.ts), and writes the sample. Bad lines are rejected one by one with
 * their line number and reason; they never cost the good lines of the same
 * body.
 *
 * Decisions (differences to cc-backend):
 * - a line without timestamp is stored at the request's receive time (not
 *   at the previous line's time);
 * - `type=node` drops `type` and `type-id` (the sample stays at host level);
 *   `type` without `type-id` is an error; `stype` counts only with `type`;
 * - cluster, host and selector names containing `..`, `/`, `\` or NUL, an
 *   unknown metric, a missing host or cluster and a write into the past
 *   reject the line (cc-backend skips most of these silently).
 *
 * @module
 */
import { LevelResolver, type LevelTree } from "./level_resolver.ts";
import { LINE_END, LINE_ERROR, LINE_MISS, LineParser, unescape } from "./line_protocol.ts";
import { SeriesCache } from "./series_cache.ts";
import type { Level } from "./level.ts";
import type { MetricRegistry } from "./metric_registry.ts";

/**
 * What an ingestor writes into: the store, or on the parse worker a
 * recorder whose levels stand in for the store's (see parsed_body.ts).
 */
export interface IngestTarget<L extends { path(): string[] }> extends LevelTree<L> {
  readonly metrics: MetricRegistry;
  /**
   * Stores a sample; false (nothing stored) for a write before the newest
   * buffer. `line`: the sample's 1-based line in its body (for targets that
   * record it).
   */
  writeSample(level: L, metric: number, ts: number, value: number, line: number): boolean;
}

/** A rejected line. */
export interface RejectedLine {
  /** 1-based line number in the body. */
  line: number;
  reason: string;
}

/** What happened to a body. */
export interface IngestResult {
  /** Samples stored. */
  accepted: number;
  /** The first `maxRejected` rejected lines. */
  rejected: RejectedLine[];
  /** All rejected lines. */
  rejectedTotal: number;
}

/** Per-body options. */
export interface IngestOptions {
  /** Cluster of lines without a `cluster` tag (`?cluster=` or the NATS `cluster-tag`). */
  cluster?: string;
  /** Receive time in unix seconds: the time of lines without a timestamp. */
  now: number;
  /** Length cap of the `rejected` list (default 100). */
  maxRejected?: number;
  /** Longest line accepted (default {@link MAX_LINE_BYTES}). */
  maxLineBytes?: number;
}

/**
 * Receives every sample the ingestor stored (the checkpoint journal: change
 * tracking and write-ahead log). Called on the hot path: keep it cheap.
 */
export interface SampleSink<L = Level> {
  append(level: L, metric: number, ts: number, value: number): void;
}

/** Why a sample before the start of its chain's newest buffer was not stored. */
export function pastWriteReason(
  metrics: MetricRegistry,
  metric: number,
  ts: number,
  path: string[],
): string {
  return `cannot write ${metrics.metrics[metric].name} at ${ts} to ${path.join(":")}: ` +
    "the newest buffer starts later (write from the past)";
}

/** Longest line buffered across chunk boundaries; a longer one is rejected. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
const encoder = new TextEncoder();
/** Most series caches (default clusters) an ingestor keeps. */
const MAX_CACHES = 16;

/** One body in progress (see {@link Ingestor.begin}). */
export interface IngestStream {
  /** Processes the complete lines of `chunk`; a partial last line waits for the next chunk. */
  push(chunk: Uint8Array): void;
  /** Processes what is left (a last line without newline) and returns the result. */
  finish(): IngestResult;
}

/** Writes line protocol into one store; keep one per store (it caches level lookups). */
export class Ingestor<L extends { path(): string[] } = Level> {
  readonly store: IngestTarget<L>;
  readonly #parser = new LineParser();
  readonly #prevName = new Uint8Array(128);
  #prevLen = -1;
  #prevMetric = -1;
  readonly #resolver: LevelResolver<L>;
  readonly #afterBody?: () => void;
  #sink: SampleSink<L> | null = null;
  /** Series caches by default cluster (a line without `cluster` tag resolves by it). */
  readonly #caches = new Map<string, SeriesCache<L>>();
  #cacheGeneration = -1;
  readonly #cacheSeries: boolean;

  /**
   * `afterBody` runs after each body (e.g. a memory-cap check);
   * `cacheSeries: false` parses every line in full (for comparisons).
   */
  constructor(
    store: IngestTarget<L>,
    options: { afterBody?: () => void; cacheSeries?: boolean } = {},
  ) {
    this.store = store;
    this.#resolver = new LevelResolver(store);
    this.#afterBody = options.afterBody;
    this.#cacheSeries = options.cacheSeries ?? true;
  }

  /** Sets (or with null removes) the receiver of every stored sample. */
  setSampleSink(sink: SampleSink<L> | null): void {
    this.#sink = sink;
  }

  /** The receiver of every stored sample, if any. */
  get sampleSink(): SampleSink<L> | null {
    return this.#sink;
  }

  /** Runs the after-body hook (for bodies stored by other means, see parallel_ingest.ts). */
  afterBody(): void {
    this.#afterBody?.();
  }

  /** Ingests a whole body. */
  ingest(body: Uint8Array, options: IngestOptions): IngestResult {
    const stream = this.begin(options);
    stream.push(body);
    return stream.finish();
  }

  /** Starts a streamed body. */
  begin(options: IngestOptions): IngestStream {
    const state: BodyState<L> = {
      cache: this.#cache(options.cluster ?? ""),
      cluster: encoder.encode(options.cluster ?? ""),
      clusterName: options.cluster ?? "",
      now: Math.floor(options.now),
      maxRejected: options.maxRejected ?? 100,
      lineNo: 0,
      result: { accepted: 0, rejected: [], rejectedTotal: 0 },
    };
    const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
    let carry = new Uint8Array(0);
    let carryLen = 0;
    let overlong = false;
    const append = (bytes: Uint8Array) => {
      if (overlong) return;
      if (carryLen + bytes.length > maxLine) {
        overlong = true;
        carryLen = 0;
        return;
      }
      if (carryLen + bytes.length > carry.length) {
        const next = new Uint8Array(Math.max(carry.length * 2, carryLen + bytes.length, 4096));
        next.set(carry.subarray(0, carryLen));
        carry = next;
      }
      carry.set(bytes, carryLen);
      carryLen += bytes.length;
    };
    const flushCarry = () => {
      if (overlong) {
        state.lineNo++;
        this.#reject(state, state.lineNo, `line longer than ${maxLine} bytes`);
        overlong = false;
      } else if (carryLen > 0) {
        this.#run(carry, 0, carryLen, state);
      }
      carryLen = 0;
    };
    return {
      push: (chunk) => {
        this.#sync();
        let from = 0;
        if (carryLen > 0 || overlong) {
          const nl = chunk.indexOf(10);
          if (nl < 0) {
            append(chunk);
            return;
          }
          append(chunk.subarray(0, nl + 1));
          flushCarry();
          from = nl + 1;
        }
        const last = chunk.lastIndexOf(10);
        if (last >= from) {
          this.#run(chunk, from, last + 1, state);
          from = last + 1;
        }
        if (from < chunk.length) append(chunk.subarray(from));
      },
      finish: () => {
        this.#sync();
        flushCarry();
        this.#afterBody?.();
        return state.result;
      },
    };
  }

  /** Drops cached levels when the store removed some. */
  #sync(): void {
    this.#resolver.sync();
    if (this.#cacheGeneration !== this.store.generation) {
      this.#cacheGeneration = this.store.generation;
      for (const cache of this.#caches.values()) cache.clear();
    }
  }

  #cache(cluster: string): SeriesCache<L> {
    let cache = this.#caches.get(cluster);
    if (cache === undefined) {
      // Few default clusters in practice (one per cluster and NATS subscription).
      if (this.#caches.size >= MAX_CACHES) this.#caches.clear();
      cache = new SeriesCache<L>();
      this.#caches.set(cluster, cache);
    }
    return cache;
  }

  #run(buf: Uint8Array, start: number, end: number, state: BodyState<L>): void {
    const parser = this.#parser;
    const store = this.store;
    const metrics = store.metrics;
    const sink = this.#sink;
    const cache = state.cache;
    parser.reset(buf, start, end, state.lineNo + 1);
    // The series expected next (see series_cache.ts) and the previous line's (-1: none).
    let predicted = cache.first;
    let prev = -1;
    let firstLine = true;
    for (;;) {
      let level: L;
      let metric: number;
      let entry = -1;
      if (predicted >= 0 && predicted < cache.size) {
        const status = parser.nextIfSeries(
          cache.words,
          cache.bytes,
          cache.at[predicted],
          cache.length[predicted],
        );
        if (status !== LINE_MISS) {
          entry = predicted;
          firstLine = false;
          prev = entry;
          predicted = cache.next[entry];
          if (status === LINE_ERROR) {
            this.#reject(state, parser.lineNo, parser.error);
            continue;
          }
        }
      }
      if (entry >= 0) {
        level = cache.levels[entry];
        metric = cache.metric[entry];
      } else {
        const status = parser.next();
        if (status === LINE_END) break;
        const wasFirst = firstLine;
        firstLine = false;
        const before = prev;
        prev = -1;
        predicted = -1;
        if (status === LINE_ERROR) {
          this.#reject(state, parser.lineNo, parser.error);
          continue;
        }
        metric = this.#metric(buf, parser);
        if (metric < 0) {
          const name = unescape(buf, parser.measStart, parser.measEnd, parser.measEscaped);
          this.#reject(state, parser.lineNo, `unknown metric ${JSON.stringify(name)}`);
          continue;
        }
        const resolved = this.#resolver.resolve(parser, state.cluster, state.clusterName);
        if (resolved === null) {
          this.#reject(state, parser.lineNo, this.#resolver.reason);
          continue;
        }
        level = resolved;
        // Learn the series, and that it follows the previous line's.
        const e = this.#cacheSeries
          ? cache.add(buf, parser.measStart, parser.seriesEnd, level, metric)
          : -1;
        if (e >= 0) {
          if (before >= 0 && before < cache.size) cache.next[before] = e;
          else if (wasFirst) cache.first = e;
          prev = e;
          predicted = cache.next[e];
        }
      }
      const ts = parser.timestamp >= 0 ? parser.timestamp : state.now;
      const value = parser.value;
      if (!store.writeSample(level, metric, ts, value, parser.lineNo)) {
        this.#reject(state, parser.lineNo, pastWriteReason(metrics, metric, ts, level.path()));
        continue;
      }
      if (sink !== null) sink.append(level, metric, ts, value);
      state.result.accepted++;
    }
    state.lineNo = parser.lineNo;
  }

  /** The metric slot of the parser's line, or -1 when the metric is unknown. */
  #metric(buf: Uint8Array, parser: LineParser): number {
    const metrics = this.store.metrics;
    // Consecutive lines often carry the same metric: compare before hashing.
    const prevName = this.#prevName;
    const ms = parser.measStart;
    const mLen = parser.measEnd - ms;
    if (mLen === this.#prevLen) {
      let i = 0;
      while (i < mLen && buf[ms + i] === prevName[i]) i++;
      if (i === mLen) return this.#prevMetric;
    }
    let metric = metrics.indexOfBytes(buf, ms, parser.measEnd);
    if (metric >= 0 && mLen <= prevName.length) {
      prevName.set(buf.subarray(ms, parser.measEnd));
      this.#prevLen = mLen;
      this.#prevMetric = metric;
    }
    if (metric < 0 && parser.measEscaped) {
      metric = metrics.get(unescape(buf, ms, parser.measEnd, true))?.index ?? -1;
    }
    return metric;
  }

  #reject(state: BodyState<L>, line: number, reason: string): void {
    const r = state.result;
    r.rejectedTotal++;
    if (r.rejected.length < state.maxRejected) r.rejected.push({ line, reason });
  }
}

interface BodyState<L> {
  cache: SeriesCache<L>;
  cluster: Uint8Array;
  clusterName: string;
  now: number;
  maxRejected: number;
  lineNo: number;
  result: IngestResult;
}
