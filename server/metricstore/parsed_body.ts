/**
 * Parsing line protocol away from the store: the parse worker runs the same
 * {@link Ingestor} as the main thread, but into a {@link ParseRecorder}
 * whose levels are numbered stand-ins. What it records, a
 * {@link ParsedBody}, is a few typed arrays (series, metric, time, value and
 * line of every sample) plus the paths of series it saw for the first time;
 * the main thread maps the numbers to the store's levels and writes the
 * samples (see parallel_ingest.ts).
 *
 * @module
 */
import type { IngestResult, IngestTarget } from "./ingest.ts";
import type { MetricRegistry } from "./metric_registry.ts";

/** A level on the parse worker: its number and path. */
export class StandInLevel {
  constructor(readonly id: number, readonly names: readonly string[]) {}

  path(): string[] {
    return [...this.names];
  }
}

/**
 * Samples of one body as the parse worker found them: all of a body, or a
 * piece of it sent ahead while the worker parses the rest.
 */
export interface ParsedPiece {
  /** The worker forgot its numbering before this piece: the main thread must too. */
  reset: boolean;
  /** Paths of the levels numbered `firstNewId`, `firstNewId + 1`, ... first seen in this piece. */
  newLevels: string[][];
  firstNewId: number;
  /** Number of samples (the arrays may be longer). */
  count: number;
  levels: Int32Array<ArrayBuffer>;
  metrics: Int32Array<ArrayBuffer>;
  times: Float64Array<ArrayBuffer>;
  values: Float64Array<ArrayBuffer>;
  /** 1-based line number of each sample (for the store's own rejections). */
  lines: Int32Array<ArrayBuffer>;
}

/** The (last) samples of a body and its parse result. */
export interface ParsedBody extends ParsedPiece {
  /** The parse result: rejected lines; `accepted` counts the samples recorded. */
  result: IngestResult;
}

/**
 * The sample arrays of a body: views of one buffer (one transfer per
 * message instead of five), handed back to the recorder for reuse.
 */
export interface SampleArrays {
  levels: Int32Array<ArrayBuffer>;
  metrics: Int32Array<ArrayBuffer>;
  times: Float64Array<ArrayBuffer>;
  values: Float64Array<ArrayBuffer>;
  lines: Int32Array<ArrayBuffer>;
}

/** Bytes per sample of {@link SampleArrays}. */
const SAMPLE_BYTES = 8 + 8 + 4 + 4 + 4;

/** Sample arrays for `capacity` samples in one new buffer. */
function sampleArrays(capacity: number): SampleArrays {
  return sampleArraysOf(new ArrayBuffer(SAMPLE_BYTES * capacity));
}

/** The sample arrays over a buffer made by {@link sampleArrays} (after a transfer). */
export function sampleArraysOf(buffer: ArrayBuffer): SampleArrays {
  const capacity = buffer.byteLength / SAMPLE_BYTES;
  // The 8-byte arrays first, so that every view is aligned.
  return {
    times: new Float64Array(buffer, 0, capacity),
    values: new Float64Array(buffer, 8 * capacity, capacity),
    levels: new Int32Array(buffer, 16 * capacity, capacity),
    metrics: new Int32Array(buffer, 20 * capacity, capacity),
    lines: new Int32Array(buffer, 24 * capacity, capacity),
  };
}

/**
 * A {@link ParsedPiece} or {@link ParsedBody} as sent between threads: the
 * one buffer of its sample arrays instead of five views (less to serialize
 * each way).
 */
export type Wire<T extends ParsedPiece> = Omit<T, keyof SampleArrays> & { samples: ArrayBuffer };

/** The wire form of `body` (its sample buffer is to be transferred). */
export function toWire<T extends ParsedPiece>(body: T): Wire<T> {
  const { levels: _l, metrics: _m, times: _t, values: _v, lines: _n, ...rest } = body;
  return { ...rest, samples: body.levels.buffer };
}

/** A parsed body or piece back from its wire form. */
export function fromWire<T extends ParsedPiece>(wire: Wire<T>): T {
  const { samples, ...rest } = wire;
  return { ...rest, ...sampleArraysOf(samples) } as unknown as T;
}

/** Most levels the recorder numbers before it starts over (bounds its memory). */
export const MAX_STAND_INS = 1 << 21;

/** Sample arrays the recorder keeps for reuse. */
export const MAX_SPARE = 16;

/** Options of a {@link ParseRecorder}. */
export interface ParseRecorderOptions {
  /** How many levels are numbered before the numbering starts over. */
  maxStandIns?: number;
  /**
   * Hand every `pieceSamples` samples of a body to `onPiece` as soon as they
   * are recorded (the body's last samples come with `take`).
   */
  pieceSamples?: number;
  onPiece?: (piece: ParsedPiece) => void;
}

/** An ingest target that records samples instead of storing them. */
export class ParseRecorder implements IngestTarget<StandInLevel> {
  readonly metrics: MetricRegistry;
  /** Bumped when the numbering starts over, so the resolver drops its cache. */
  generation = 0;
  readonly #byPath = new Map<string, StandInLevel>();
  #reset = false;
  #newLevels: string[][] = [];
  #firstNewId = 0;
  #count = 0;
  // Views of one buffer (see sampleArrays), held apart for the hot path.
  #levels!: Int32Array<ArrayBuffer>;
  #metrics!: Int32Array<ArrayBuffer>;
  #times!: Float64Array<ArrayBuffer>;
  #values!: Float64Array<ArrayBuffer>;
  #lines!: Int32Array<ArrayBuffer>;
  /** Arrays handed back, for the next bodies. */
  readonly #spare: SampleArrays[] = [];

  readonly #maxStandIns: number;
  readonly #pieceSamples: number;
  readonly #onPiece: ((piece: ParsedPiece) => void) | undefined;

  constructor(metrics: MetricRegistry, options: ParseRecorderOptions = {}) {
    this.metrics = metrics;
    this.#maxStandIns = options.maxStandIns ?? MAX_STAND_INS;
    this.#onPiece = options.onPiece;
    const piece = options.pieceSamples ?? 0;
    if (this.#onPiece !== undefined && !(Number.isInteger(piece) && piece > 0)) {
      throw new RangeError(`pieceSamples must be a positive integer, not ${piece}`);
    }
    this.#pieceSamples = this.#onPiece === undefined ? -1 : piece;
    this.#use(sampleArrays(this.#onPiece === undefined ? 1024 : Math.min(piece, 1 << 16)));
  }

  /** Starts a body; the numbering starts over first when it has grown too large. */
  begin(): void {
    this.#reset = false;
    if (this.#byPath.size >= this.#maxStandIns) {
      this.#byPath.clear();
      this.generation++;
      this.#reset = true;
    }
    this.#newLevels = [];
    this.#firstNewId = this.#byPath.size;
    this.#count = 0;
  }

  ensureLevel(path: readonly string[]): StandInLevel {
    return this.#level(path);
  }

  ensureChild(level: StandInLevel, name: string): StandInLevel {
    return this.#level([...level.names, name]);
  }

  writeSample(
    level: StandInLevel,
    metric: number,
    ts: number,
    value: number,
    line: number,
  ): boolean {
    const n = this.#count;
    if (n === this.#levels.length) this.#grow();
    this.#levels[n] = level.id;
    this.#metrics[n] = metric;
    this.#times[n] = ts;
    this.#values[n] = value;
    this.#lines[n] = line;
    this.#count = n + 1;
    if (n + 1 === this.#pieceSamples) this.#onPiece!(this.#takePiece());
    return true;
  }

  /**
   * What the body recorded since `begin()` (or since its last piece), with
   * its parse `result`. The caller owns the arrays (and
   * may transfer them); the recorder goes on with arrays handed back
   * (see {@link recycle}) or new ones.
   */
  take(result: IngestResult): ParsedBody {
    return { ...this.#takePiece(), result };
  }

  /** Takes back the arrays of a body or piece taken before, for reuse. */
  recycle(arrays: SampleArrays): void {
    if (this.#spare.length < MAX_SPARE) this.#spare.push(arrays);
  }

  /** The samples recorded since `begin()` or the last piece; goes on with other arrays. */
  #takePiece(): ParsedPiece {
    const piece: ParsedPiece = {
      reset: this.#reset,
      newLevels: this.#newLevels,
      firstNewId: this.#firstNewId,
      count: this.#count,
      levels: this.#levels,
      metrics: this.#metrics,
      times: this.#times,
      values: this.#values,
      lines: this.#lines,
    };
    this.#reset = false;
    this.#newLevels = [];
    this.#firstNewId = this.#byPath.size;
    this.#count = 0;
    const cap = this.#levels.length;
    let spare = this.#spare.pop();
    while (spare !== undefined && spare.levels.length < cap) spare = this.#spare.pop();
    this.#use(spare ?? sampleArrays(cap));
    return piece;
  }

  #level(path: readonly string[]): StandInLevel {
    const key = path.join("\0");
    let level = this.#byPath.get(key);
    if (level === undefined) {
      level = new StandInLevel(this.#byPath.size, [...path]);
      this.#byPath.set(key, level);
      this.#newLevels.push([...path]);
    }
    return level;
  }

  #grow(): void {
    const n = this.#count;
    const next = sampleArrays(2 * this.#levels.length);
    next.levels.set(this.#levels.subarray(0, n));
    next.metrics.set(this.#metrics.subarray(0, n));
    next.times.set(this.#times.subarray(0, n));
    next.values.set(this.#values.subarray(0, n));
    next.lines.set(this.#lines.subarray(0, n));
    this.#use(next);
  }

  #use(arrays: SampleArrays): void {
    this.#levels = arrays.levels;
    this.#metrics = arrays.metrics;
    this.#times = arrays.times;
    this.#values = arrays.values;
    this.#lines = arrays.lines;
  }
}
