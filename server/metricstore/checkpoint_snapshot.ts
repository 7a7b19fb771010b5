/**
 * Between the store and checkpoint files: capturing a host's subtree as a
 * {@link CheckpointFile}, and writing a loaded one back into the store.
 *
 * What a capture saves, per series (level × metric): the slots from the
 * oldest sample written since the series was last saved (the store marks
 * each buffer it writes, late samples included) to the newest slot. A series the journal
 * has no record of falls back to cc-backend's rule: the slots from
 * `fallbackFrom` (the last checkpoint), skipped when every buffer there was
 * restored from disk (`archived`). Series are flattened onto the grid of
 * their oldest saved buffer; NaN marks missing samples.
 *
 * @module
 */
import { type MetricBuffer, oldestOf, UNCHANGED } from "./buffer.ts";
import { type CheckpointFile, type CheckpointSeries, emptyCheckpoint } from "./checkpoint_file.ts";
import type { Level } from "./level.ts";
import type { MemoryStore } from "./memory_store.ts";
import type { LevelState, WalJournal } from "./wal_journal.ts";

/** A captured host: the file content and what to do once it is on disk (or failed). */
export interface HostCapture {
  file: CheckpointFile;
  /** Stored values captured. */
  points: number;
  /** The capture is on disk: forget the change marks it covered. */
  commit(): void;
  /** Writing failed: the covered changes stay pending. */
  rollback(): void;
}

/** Options of {@link captureHost}. */
export interface CaptureOptions {
  /** Change marks; without a journal every series uses the fallback rule. */
  journal?: WalJournal;
  /** Start of series unknown to the journal (the last checkpoint time). */
  fallbackFrom: number;
  /** Capture time (the file's `to`). */
  to: number;
  /** Values as float32 (binary format) instead of float64 (JSON). */
  float32: boolean;
}

/** Captures the subtree of `hostLevel`; null when nothing changed. */
export function captureHost(
  store: MemoryStore,
  hostLevel: Level,
  options: CaptureOptions,
): HostCapture | null {
  const undo: (() => void)[] = [];
  const done: (() => void)[] = [];
  let points = 0;
  let oldest = Infinity;
  const names = store.metrics.metrics;
  const capture = (level: Level): CheckpointFile | null => {
    const file = emptyCheckpoint(0, options.to);
    const state = options.journal?.stateOf(level);
    const heads = level.heads;
    for (let m = 0; m < heads.length; m++) {
      const head = heads[m];
      const dirty = head === null ? Infinity : oldestDirty(head);
      const from = seriesStart(state, m, dirty, options.fallbackFrom);
      if (from === null) continue;
      if (head === null) {
        if (state !== undefined) settle(state, level, m, from, undo, done);
        continue;
      }
      const series = captureChain(
        head,
        from,
        options.float32,
        state === undefined || dirty === Infinity,
      );
      if (state !== undefined) settle(state, level, m, from, undo, done);
      if (series === null) continue;
      file.metrics.set(names[m].name, series);
      points += series.data.length;
      if (series.start < oldest) oldest = series.start;
    }
    for (const [name, child] of level.children ?? []) {
      const c = capture(child);
      if (c !== null) file.children.set(name, c);
    }
    return file.metrics.size > 0 || file.children.size > 0 ? file : null;
  };
  const file = capture(hostLevel);
  if (file === null) {
    for (const f of done) f();
    return null;
  }
  const from = Math.min(oldest, options.fallbackFrom);
  setFrom(file, from);
  return {
    file,
    points,
    commit: () => done.forEach((f) => f()),
    rollback: () => undo.forEach((f) => f()),
  };
}

/** Time of the oldest slot written into the chain since it was last saved (Infinity: none). */
function oldestDirty(head: MetricBuffer): number {
  let dirty = Infinity;
  for (let b: MetricBuffer | null = head; b !== null; b = b.prev) {
    if (b.changed === UNCHANGED) continue;
    const t = b.start + b.changed * b.freq + Math.floor(b.freq / 2);
    if (t < dirty) dirty = t;
  }
  return dirty;
}

/** Marks every slot of the chain from time `from` on as changed (a capture that failed). */
function markChangedFrom(head: MetricBuffer | null, from: number): void {
  for (let b = head; b !== null; b = b.prev) {
    const slot = Math.max(0, Math.floor((from - b.start) / b.freq));
    if (slot >= b.len) break; // this buffer and the older ones end before `from`
    if (slot < b.changed) b.changed = slot;
  }
}

/**
 * Where the capture of metric `m` starts (`dirty`: its chain's oldest
 * change), or null when it has nothing to save.
 */
function seriesStart(
  state: LevelState | undefined,
  m: number,
  dirty: number,
  fallback: number,
): number | null {
  if (state === undefined) return fallback;
  if (dirty !== Infinity) return dirty;
  // Never saved and never changed: data from outside the journal.
  return state.saved[m] === 0 ? fallback : null;
}

/**
 * Clears the change marks of a captured series now (samples arriving while
 * the file is written mark it again), and records how to restore them.
 */
function settle(
  state: LevelState,
  level: Level,
  m: number,
  from: number,
  undo: (() => void)[],
  done: (() => void)[],
): void {
  for (let b = level.heads[m]; b !== null; b = b.prev) b.changed = UNCHANGED;
  const saved = state.saved[m];
  done.push(() => {
    state.saved[m] = 1;
  });
  undo.push(() => {
    // The newest buffer at the time: retention never frees a chain's head alone.
    markChangedFrom(level.heads[m], from);
    state.saved[m] = saved;
  });
}

function setFrom(file: CheckpointFile, from: number): void {
  file.from = from;
  for (const child of file.children.values()) setFrom(child, from);
}

/**
 * The chain's slots from the one covering `from` to the newest, on the grid
 * of the first buffer included. With `skipArchived`, a chain whose included
 * buffers were all restored from disk gives null.
 */
export function captureChain(
  head: MetricBuffer,
  from: number,
  float32: boolean,
  skipArchived: boolean,
): CheckpointSeries | null {
  let first: MetricBuffer | null = oldestOf(head);
  while (first !== null && first.start + first.len * first.freq <= from) first = first.next;
  if (first === null) return null;
  if (skipArchived) {
    let changed = false;
    for (let b: MetricBuffer | null = first; b !== null; b = b.next) {
      if (!b.archived) changed = true;
    }
    if (!changed) return null;
  }
  const f = first.freq;
  const half = Math.floor(f / 2);
  const k0 = Math.max(0, Math.floor((from - first.start) / f));
  const gridStart = first.start + k0 * f; // slot start of data[0]
  const lastTime = head.start + (head.len - 1) * head.freq + Math.floor(head.freq / 2);
  const n = Math.round((lastTime - half - gridStart) / f) + 1;
  if (!(n > 0)) return null;
  const data = float32 ? new Float32Array(n) : new Float64Array(n);
  data.fill(NaN);
  for (let b: MetricBuffer | null = first; b !== null; b = b.next) {
    const shift = b.start - gridStart;
    if (b.freq === f && ((shift % f) + f) % f === 0) {
      // Same grid: one native copy (float64 → float32 conversion included).
      const at = shift / f;
      const skip = Math.max(0, -at);
      const count = Math.min(b.len, n - at) - skip;
      if (count > 0) data.set(b.data.subarray(b.off + skip, b.off + skip + count), at + skip);
    } else {
      const bHalf = Math.floor(b.freq / 2);
      for (let i = 0; i < b.len; i++) {
        const v = b.data[b.off + i];
        if (v !== v) continue;
        const j = Math.round((b.start + i * b.freq + bHalf - half - gridStart) / f);
        if (j >= 0 && j < n) data[j] = v;
      }
    }
  }
  return { frequency: f, start: gridStart + half, data };
}

/** What {@link applyCheckpoint} did. */
export interface ApplyResult {
  points: number;
  /** Metrics of the file the store does not know (skipped). */
  unknownMetrics: Set<string>;
}

/**
 * Writes a loaded snapshot into the store below `path` ([cluster, host]).
 * Series that start after the chain's newest slot are appended in bulk as
 * restored (`archived`) buffers; the overlapping part of one that does not
 * is written sample by sample (NaN skipped, samples older than the chain's
 * newest buffer dropped).
 */
export function applyCheckpoint(
  store: MemoryStore,
  path: readonly string[],
  file: CheckpointFile,
  result: ApplyResult = { points: 0, unknownMetrics: new Set() },
): ApplyResult {
  const level = store.ensureLevel(path);
  for (const [name, series] of file.metrics) {
    const info = store.metrics.get(name);
    if (info === undefined) {
      result.unknownMetrics.add(name);
      continue;
    }
    const { frequency: f, start, data } = series;
    if (data.length === 0 || !(f > 0)) continue;
    const head = level.heads[info.index];
    let at = 0;
    if (head !== null) {
      // Slots up to the newest written one overlap: write them one by one.
      const headEnd = head.start + head.len * head.freq;
      const half = Math.floor(f / 2);
      while (at < data.length && start + at * f - half < headEnd) {
        const v = data[at];
        if (v === v) store.writeSample(level, info.index, start + at * f, v);
        at++;
      }
    }
    if (at < data.length) {
      store.appendSeries(path, {
        metric: name,
        firstTime: start + at * f,
        freq: f,
        values: at === 0 ? data : data.subarray(at),
      });
    }
    result.points += data.length;
  }
  for (const [name, child] of file.children) {
    applyCheckpoint(store, [...path, name], child, result);
  }
  return result;
}
