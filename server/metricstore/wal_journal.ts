/**
 * The journal of accepted samples: for every sample the ingestor stores it
 *
 * 1. marks the series changed (the oldest sample time written since its last
 *    snapshot, so the next snapshot saves exactly what changed, late samples
 *    included), and
 * 2. appends a WAL record (see wal_format.ts) to the host's in-memory buffer.
 *
 * A timer writes every host's buffered records to its `current.wal` at least
 * once per flush interval (1 s). The buffers are bounded: past
 * `maxBufferedBytes` in total, records are dropped and counted (the samples
 * stay in memory and the next snapshot saves them, as in cc-backend).
 *
 * Durability: a sample is in the OS page cache at most one flush interval
 * after its write was acknowledged. A killed process (kill -9, OOM) loses
 * at most the samples of the last interval; a crash of the machine can also
 * lose what the kernel had not written back (the WAL is not fsynced;
 * snapshots are).
 *
 * Snapshots (checkpointer.ts) coordinate with the journal per host: while a
 * host's snapshot is written, its new records are held in memory; when the
 * snapshot is safely on disk the records it covers are dropped and the WAL
 * restarts, otherwise they are written as usual.
 *
 * @module
 */
import { join } from "node:path";
import { isSafeName, WAL_FILE_NAME, writeAll } from "./checkpoint_file.ts";
import type { SampleSink } from "./ingest.ts";
import type { Level } from "./level.ts";
import type { MemoryStore } from "./memory_store.ts";
import { encodeRecord, encodeSeriesKey, recordSize, walFileHeader } from "./wal_format.ts";

/** Change state of one level: per metric, `dirty` and `saved` (see {@link LevelState}). */
export interface LevelState {
  readonly host: HostWal;
  /** Selector elements below the host, encoded for WAL records (null: not encodable). */
  readonly selector: Uint8Array[] | null;
  /**
   * `[0, m)`: oldest sample time written since the last snapshot (+Infinity:
   * unchanged); `[m, 2m)`: 1 once a snapshot saved the metric at this level.
   */
  readonly marks: Float64Array;
  /** WAL series keys by metric, built on first use. */
  keys: (Uint8Array | null | undefined)[] | null;
}

/** One host's WAL. */
export class HostWal {
  readonly cluster: string;
  readonly host: string;
  readonly dir: string;
  buf: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(this.buf.buffer);
  /** Bytes of records in `buf`. */
  len = 0;
  file: Deno.FsFile | null = null;
  /** Bytes in `current.wal` (-1: not yet known). */
  fileSize = -1;
  /** Truncate `current.wal` when it is next opened (a snapshot made it obsolete). */
  restart = false;
  flushing: Promise<void> | null = null;
  /** Records taken aside while a snapshot of the host is written. */
  held: Uint8Array | null = null;
  snapshotting = false;
  /** Records written to the file since it was (re)started. */
  records = 0;

  constructor(cluster: string, host: string, dir: string) {
    this.cluster = cluster;
    this.host = host;
    this.dir = dir;
  }

  /** Path of `current.wal`. */
  get path(): string {
    return join(this.dir, WAL_FILE_NAME);
  }
}

/** Options of a {@link WalJournal}. */
export interface WalJournalOptions {
  /** Checkpoint root: `<directory>/<cluster>/<host>/current.wal`. */
  directory: string;
  /** Write WAL files (false: only track changes). Default true. */
  writeWal?: boolean;
  /** Milliseconds between flushes (default 1000). */
  flushIntervalMs?: number;
  /** Bytes of buffered records over all hosts before records are dropped (default 256 MiB). */
  maxBufferedBytes?: number;
  /** Called after a flush left a host's WAL larger than this (bytes; 0 = no limit). */
  maxWalSize?: number;
  onOversize?: (wal: HostWal) => void;
  /** Most WAL files kept open at once (default 1024). */
  maxOpenFiles?: number;
  warn?: (message: string) => void;
}

const encoder = new TextEncoder();
const INITIAL_BUFFER = 4096;
/** A host's buffer above this starts a flush right away. */
const EAGER_FLUSH_BYTES = 4 << 20;

/** Tracks changes and writes the WAL of one store. */
export class WalJournal implements SampleSink {
  readonly store: MemoryStore;
  readonly directory: string;
  readonly writeWal: boolean;
  /** Records dropped because the buffers were full. */
  dropped = 0;
  /** Bytes written to WAL files. */
  bytesWritten = 0;
  readonly #states = new WeakMap<Level, LevelState>();
  readonly #hosts = new Map<string, HostWal>();
  readonly #names: Uint8Array[];
  readonly #metricCount: number;
  readonly #maxBuffered: number;
  readonly #maxWalSize: number;
  readonly #maxOpen: number;
  readonly #intervalMs: number;
  readonly #onOversize?: (wal: HostWal) => void;
  readonly #warn: (message: string) => void;
  #buffered = 0;
  #open = 0;
  #lastLevel: Level | null = null;
  #lastState: LevelState | null = null;
  #timer: number | undefined;
  #eager = false;
  #flushAll: Promise<void> | null = null;
  #droppedReported = 0;
  #closed = false;

  constructor(store: MemoryStore, options: WalJournalOptions) {
    this.store = store;
    this.directory = options.directory;
    this.writeWal = options.writeWal ?? true;
    this.#names = store.metrics.metrics.map((m) => encoder.encode(m.name));
    this.#metricCount = store.metrics.size;
    this.#maxBuffered = options.maxBufferedBytes ?? 256 << 20;
    this.#maxWalSize = options.maxWalSize ?? 0;
    this.#maxOpen = Math.max(1, options.maxOpenFiles ?? 1024);
    this.#intervalMs = options.flushIntervalMs ?? 1000;
    this.#onOversize = options.onOversize;
    this.#warn = options.warn ?? (() => {});
  }

  /** Records one stored sample: the ingest hot path. */
  append(level: Level, metric: number, ts: number, value: number): void {
    let state = this.#lastLevel === level ? this.#lastState! : this.#states.get(level);
    if (state === undefined) {
      const created = this.#createState(level);
      if (created === null) return;
      state = created;
    }
    this.#lastLevel = level;
    this.#lastState = state;
    const marks = state.marks;
    if (ts < marks[metric]) marks[metric] = ts;
    if (!this.writeWal || this.#closed) return;
    const keys = state.keys;
    let key = keys === null ? null : keys[metric];
    if (key === undefined) key = this.#createKey(state, metric);
    if (key === null) return;
    const wal = state.host;
    const size = recordSize(key.length);
    if (wal.len + size > wal.buf.length && !this.#grow(wal, size)) {
      this.dropped++;
      return;
    }
    const before = wal.len;
    wal.len = encodeRecord(wal.buf, wal.view, before, key, ts, value);
    this.#buffered += wal.len - before;
    if (wal.len > EAGER_FLUSH_BYTES && !this.#eager) this.#scheduleEagerFlush();
  }

  /** Marks a sample as changed without a WAL record (WAL replay at restore). */
  touch(level: Level, metric: number, ts: number): void {
    const state = this.#states.get(level) ?? this.#createState(level);
    if (state !== null && ts < state.marks[metric]) state.marks[metric] = ts;
  }

  /** The change state of `level`, if the journal has seen it. */
  stateOf(level: Level): LevelState | undefined {
    return this.#states.get(level) ?? undefined;
  }

  /** The change state of `level`, created as needed (null above host level). */
  ensureState(level: Level): LevelState | null {
    return this.#states.get(level) ?? this.#createState(level);
  }

  /** The WAL of a host, if it has one. */
  hostWal(cluster: string, host: string): HostWal | undefined {
    return this.#hosts.get(`${cluster}\0${host}`);
  }

  /** Every host WAL. */
  hostWals(): HostWal[] {
    return [...this.#hosts.values()];
  }

  /** Bytes of records waiting in memory. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /** Starts the flush timer (it does not keep the process alive). */
  start(): void {
    if (this.#timer !== undefined || !this.writeWal) return;
    this.#timer = setInterval(() => void this.flush(), this.#intervalMs) as unknown as number;
    Deno.unrefTimer(this.#timer);
  }

  /** Writes every host's buffered records now; resolves when they are written. */
  flush(): Promise<void> {
    if (this.#flushAll !== null) {
      // One pass at a time; a request during a pass gets a pass after it.
      return this.#flushAll.then(() => this.flush());
    }
    const pass = this.#flushPass().finally(() => {
      this.#flushAll = null;
    });
    this.#flushAll = pass;
    return pass;
  }

  /**
   * Starts a snapshot of a host: waits until no write to its WAL is in
   * flight and sets the records buffered so far aside. Everything up to
   * here must be in the snapshot, so capture it right after this resolves,
   * without awaiting in between.
   */
  async beginSnapshot(wal: HostWal): Promise<void> {
    while (wal.flushing !== null || wal.snapshotting) {
      await (wal.flushing ?? new Promise((r) => setTimeout(r, 5)));
    }
    wal.snapshotting = true;
    wal.held = wal.len > 0 ? wal.buf.slice(0, wal.len) : null;
    this.#buffered -= wal.len;
    wal.len = 0;
  }

  /**
   * Ends a snapshot of a host. When it was written (`saved`), the held
   * records are obsolete and the WAL restarts empty; otherwise they are
   * written back in front of the newer ones.
   */
  async endSnapshot(wal: HostWal, saved: boolean): Promise<void> {
    const held = wal.held;
    wal.held = null;
    if (saved) {
      if (wal.file !== null) {
        wal.file.close();
        wal.file = null;
        this.#open--;
      }
      wal.restart = true;
      wal.fileSize = 0;
      wal.records = 0;
    } else if (held !== null) {
      const newer = wal.buf.slice(0, wal.len);
      wal.len = 0;
      this.#ensure(wal, held.length + newer.length);
      wal.buf.set(held, 0);
      wal.buf.set(newer, held.length);
      wal.len = held.length + newer.length;
      this.#buffered += held.length;
    }
    wal.snapshotting = false;
    // Restart the WAL now, so that no obsolete record stays on disk longer than needed.
    if (saved && this.writeWal && !this.#closed) await this.#flushHost(wal);
  }

  /** Removes a host's WAL (its data left the store). */
  async dropHost(wal: HostWal): Promise<void> {
    await this.beginSnapshot(wal);
    this.#hosts.delete(`${wal.cluster}\0${wal.host}`);
    if (wal.file !== null) {
      wal.file.close();
      wal.file = null;
      this.#open--;
    }
    try {
      await Deno.remove(wal.path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }

  /** Flushes, closes the files and stops the timer; later samples are only tracked. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
    this.#closed = true;
    for (const wal of this.#hosts.values()) {
      while (wal.flushing !== null) await wal.flushing;
      if (wal.file !== null) {
        wal.file.close();
        wal.file = null;
      }
    }
    this.#open = 0;
  }

  #createState(level: Level): LevelState | null {
    const path = level.path();
    if (path.length < 2) return null;
    const [cluster, host] = path;
    const hostKey = `${cluster}\0${host}`;
    let wal = this.#hosts.get(hostKey);
    if (wal === undefined) {
      if (!isSafeName(cluster) || !isSafeName(host)) return null;
      wal = new HostWal(cluster, host, join(this.directory, cluster, host));
      this.#hosts.set(hostKey, wal);
    }
    const m = this.#metricCount;
    const marks = new Float64Array(2 * m);
    marks.fill(Infinity, 0, m);
    const selector = path.slice(2).map((s) => encoder.encode(s));
    const state: LevelState = {
      host: wal,
      selector,
      marks,
      keys: selector.length > 255 || selector.some((s) => s.length > 255)
        ? null
        : new Array(m).fill(undefined),
    };
    this.#states.set(level, state);
    return state;
  }

  #createKey(state: LevelState, metric: number): Uint8Array | null {
    const key = encodeSeriesKey(this.#names[metric], state.selector ?? []);
    state.keys![metric] = key;
    return key;
  }

  /** Makes room for `need` more bytes in `wal.buf`; false when the total bound is reached. */
  #grow(wal: HostWal, need: number): boolean {
    if (this.#buffered + need > this.#maxBuffered) return false;
    this.#ensure(wal, wal.len + need);
    return true;
  }

  #ensure(wal: HostWal, size: number): void {
    if (size <= wal.buf.length) return;
    const next = new Uint8Array(Math.max(INITIAL_BUFFER, wal.buf.length * 2, size));
    next.set(wal.buf.subarray(0, wal.len));
    wal.buf = next;
    wal.view = new DataView(next.buffer);
  }

  #scheduleEagerFlush(): void {
    this.#eager = true;
    setTimeout(() => {
      this.#eager = false;
      void this.flush();
    }, 0);
  }

  async #flushPass(): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const wal of this.#hosts.values()) {
      if ((wal.len > 0 || wal.restart) && !wal.snapshotting && wal.flushing === null) {
        pending.push(this.#flushHost(wal));
      }
    }
    await Promise.all(pending);
    if (this.dropped > this.#droppedReported) {
      this.#warn(
        `metric store WAL: ${this.dropped - this.#droppedReported} records dropped: more than ` +
          `${this.#maxBuffered} bytes waited for the disk (the samples are in memory ` +
          `and in the next snapshot)`,
      );
      this.#droppedReported = this.dropped;
    }
  }

  #flushHost(wal: HostWal): Promise<void> {
    const run = this.#writeHost(wal).catch((error) => {
      this.#warn(`metric store WAL: cannot write ${wal.path}: ${(error as Error).message}`);
    }).finally(() => {
      wal.flushing = null;
    });
    wal.flushing = run;
    return run;
  }

  async #writeHost(wal: HostWal): Promise<void> {
    // Take the buffered records; new ones go to a fresh buffer meanwhile.
    const bytes = wal.buf.subarray(0, wal.len);
    const taken = wal.len;
    wal.buf = new Uint8Array(Math.max(INITIAL_BUFFER, Math.min(wal.buf.length, taken * 2)));
    wal.view = new DataView(wal.buf.buffer);
    wal.len = 0;
    try {
      if (wal.file === null) await this.#openFile(wal);
      const file = wal.file!;
      if (wal.fileSize === 0) {
        await writeAll(file, walFileHeader());
        wal.fileSize = 4;
      }
      await writeAll(file, bytes);
      wal.fileSize += taken;
      this.bytesWritten += taken;
    } catch (error) {
      // Keep the records for the next attempt (in front of the newer ones).
      const newer = wal.buf.slice(0, wal.len);
      wal.len = 0;
      this.#ensure(wal, taken + newer.length);
      wal.buf.set(bytes, 0);
      wal.buf.set(newer, taken);
      wal.len = taken + newer.length;
      throw error;
    }
    this.#buffered -= taken;
    if (this.#maxWalSize > 0 && wal.fileSize > this.#maxWalSize) this.#onOversize?.(wal);
  }

  async #openFile(wal: HostWal): Promise<void> {
    if (this.#open >= this.#maxOpen) this.#closeIdle();
    await Deno.mkdir(wal.dir, { recursive: true });
    const restart = wal.restart;
    const file = await Deno.open(wal.path, {
      write: true,
      create: true,
      append: !restart,
      truncate: restart,
    });
    wal.restart = false;
    wal.file = file;
    this.#open++;
    wal.fileSize = restart ? 0 : (await file.stat()).size;
    if (wal.fileSize > 0 && wal.fileSize < 4) {
      // A header cut off by a crash: start the file again.
      await file.truncate(0);
      wal.fileSize = 0;
    }
  }

  #closeIdle(): void {
    for (const wal of this.#hosts.values()) {
      if (wal.file !== null && wal.flushing === null) {
        wal.file.close();
        wal.file = null;
        this.#open--;
        if (this.#open < this.#maxOpen) return;
      }
    }
  }
}
