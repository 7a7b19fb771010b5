/**
 * The journal of accepted samples: it logs every sample the ingestor
 * stores for the WAL, as three numbers (series key id, time, value) in its
 * host's typed array. (Which series changed since their last snapshot, the
 * store marks on its buffers itself; see `MetricBuffer.changed`.)
 *
 * Once per flush interval (1 s) the arrays of every host go to the WAL
 * writer worker (wal_writer_worker.ts), which encodes the records and
 * appends them to `current.wal`; the ingest thread never encodes or writes.
 * The logs are bounded: past `maxBufferedBytes` (about 20 bytes a sample),
 * samples are dropped from the WAL and counted (they stay in memory and the
 * next snapshot saves them, as in cc-backend).
 *
 * Durability: a sample is in the OS page cache at most one flush interval
 * (plus the worker's write time) after its write was acknowledged. A killed
 * process (kill -9, OOM) loses at most the samples of the last interval; a
 * crash of the machine can also lose what the kernel had not written back
 * (the WAL is not fsynced; snapshots are).
 *
 * Snapshots (checkpointer.ts) coordinate with the journal per host: while a
 * host's snapshot is written, its new samples are held back; when the
 * snapshot is safely on disk the samples it covers are dropped and the WAL
 * restarts, otherwise they are written as usual.
 *
 * @module
 */
import { join } from "node:path";
import { isSafeName, WAL_FILE_NAME } from "./checkpoint_file.ts";
import type { SampleSink } from "./ingest.ts";
import type { MetricBuffer } from "./buffer.ts";
import type { Level } from "./level.ts";
import type { MemoryStore } from "./memory_store.ts";
import { encodeSeriesKey } from "./wal_format.ts";
import {
  type HostBatch,
  startWalWorker,
  type WalWorkerReply,
  type WalWorkerRequest,
} from "./wal_writer_worker.ts";

/** WAL state of one level (kept in `Level.journal`). */
export interface LevelState {
  readonly owner: WalJournal;
  readonly host: HostWal;
  /** Per metric: 1 once a snapshot saved the metric at this level. */
  readonly saved: Uint8Array;
  /** Per metric: the WAL series key id (-1 not yet assigned, -2 not encodable). */
  readonly keys: Int32Array;
  /** Selector elements below the host, for WAL series keys. */
  readonly selector: Uint8Array[];
}

/**
 * Chain tags (see {@link MetricBuffer.tag}) are `base + k` with a base per
 * journal, so that a tag another journal of the same store set is not taken
 * for one's own: `k` is a WAL key id, or NOT_LOGGED for a chain the journal
 * has seen but does not log. Tags stay below 2^30, V8's small integers. A
 * new journal also clears every tag of its store (bases repeat after 32).
 */
const TAG_RANGE = 1 << 24;
const NOT_LOGGED = TAG_RANGE - 1;
let journalCount = 0;

/**
 * A log of samples: key id, time and value of each, interleaved in one
 * array (one memory stream per host: with hundreds of hosts, three arrays
 * each would evict the store's own buffers from the CPU caches).
 */
class SampleLog {
  /** `[id, ts, value]` per sample. */
  data: Float64Array;
  n = 0;

  constructor(capacity: number) {
    this.data = new Float64Array(3 * capacity);
  }

  static from(batch: HostBatch): SampleLog {
    const log = new SampleLog(0);
    log.data = batch.data;
    return log;
  }

  get capacity(): number {
    return this.data.length / 3;
  }

  /** Copies `other`'s samples in front of this log's. */
  prepend(other: SampleLog): void {
    const n = other.n + this.n;
    const grown = new Float64Array(3 * Math.max(n, this.capacity));
    grown.set(other.data.subarray(0, 3 * other.n));
    grown.set(this.data.subarray(0, 3 * this.n), 3 * other.n);
    this.data = grown;
    this.n = n;
  }

  /** Doubles the capacity (at least `min`). */
  grow(min: number): void {
    const next = new Float64Array(3 * Math.max(min, this.capacity * 2));
    next.set(this.data.subarray(0, 3 * this.n));
    this.data = next;
  }
}

/** One host's WAL. */
export class HostWal {
  readonly id: number;
  readonly cluster: string;
  readonly host: string;
  readonly dir: string;
  /** Samples not yet handed to the writer. */
  log: SampleLog = new SampleLog(0);
  /** A log handed back by the writer, reused by the next interval. */
  spare: SampleLog | null = null;
  /** Samples held back while a snapshot of the host is written. */
  held: SampleLog | null = null;
  /** Bytes in `current.wal` after the last write (-1: not written by this process yet). */
  fileSize = -1;
  flushing: Promise<void> | null = null;
  snapshotting = false;

  constructor(id: number, cluster: string, host: string, dir: string) {
    this.id = id;
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
  /** Bound of logged samples, in bytes of about 20 per sample (default 256 MiB). */
  maxBufferedBytes?: number;
  /** Called after a flush left a host's WAL larger than this (bytes; 0 = no limit). */
  maxWalSize?: number;
  onOversize?: (wal: HostWal) => void;
  warn?: (message: string) => void;
}

const encoder = new TextEncoder();
const INITIAL_CAPACITY = 256;
const BYTES_PER_SAMPLE = 20;
/** A host's log above this many samples starts a flush right away. */
const EAGER_FLUSH_SAMPLES = 1 << 18;

/** Tracks changes and writes the WAL of one store. */
export class WalJournal implements SampleSink {
  readonly store: MemoryStore;
  readonly directory: string;
  readonly writeWal: boolean;
  /** Samples dropped from the WAL because the logs were full. */
  dropped = 0;
  /** Bytes written to WAL files. */
  bytesWritten = 0;
  readonly #hosts = new Map<string, HostWal>();
  readonly #hostsById: HostWal[] = [];
  readonly #names: Uint8Array[];
  readonly #metricCount: number;
  readonly #maxSamples: number;
  readonly #maxWalSize: number;
  readonly #intervalMs: number;
  readonly #onOversize?: (wal: HostWal) => void;
  readonly #warn: (message: string) => void;
  #writing: boolean;
  #logged = 0;
  #timer: number | undefined;
  #eager = false;
  #flushAll: Promise<void> | null = null;
  #droppedReported = 0;
  #worker: Worker | null = null;
  #seq = 0;
  readonly #waiting = new Map<number, (reply: WalWorkerReply) => void>();
  /** Every series key, by id; the worker has the first `#keysSent`. */
  readonly #keys: Uint8Array[] = [];
  /** The host of each series key id. */
  readonly #hostOfKey: HostWal[] = [];
  readonly #tagBase = (journalCount++ % 32) * TAG_RANGE;
  #keysSent = 0;

  constructor(store: MemoryStore, options: WalJournalOptions) {
    this.store = store;
    this.directory = options.directory;
    this.writeWal = options.writeWal ?? true;
    this.#writing = this.writeWal;
    this.#names = store.metrics.metrics.map((m) => encoder.encode(m.name));
    this.#metricCount = store.metrics.size;
    this.#maxSamples = Math.floor((options.maxBufferedBytes ?? 256 << 20) / BYTES_PER_SAMPLE);
    this.#maxWalSize = options.maxWalSize ?? 0;
    this.#intervalMs = options.flushIntervalMs ?? 1000;
    this.#onOversize = options.onOversize;
    this.#warn = options.warn ?? (() => {});
    clearTags(store.root);
  }

  /**
   * Logs one stored sample: the ingest hot path. The store has just written
   * it into the head of its chain, which carries the sample's WAL key id
   * (`tag`), so a sample touches nothing colder than that buffer and its
   * host's log. (The store marks changed buffers itself, for snapshots.)
   */
  append(level: Level, metric: number, ts: number, value: number): void {
    const b = level.heads[metric];
    if (b === null) return;
    let id = b.tag - this.#tagBase;
    if (!(id >= 0 && id < NOT_LOGGED)) {
      if (id === NOT_LOGGED) return;
      id = this.#tagChain(level, metric, b);
      if (id === NOT_LOGGED) return;
    }
    if (!this.#writing) return;
    const log = this.#hostOfKey[id].log;
    const n = log.n;
    let data = log.data;
    const end = 3 * n;
    if (end === data.length) {
      if (this.#logged >= this.#maxSamples) {
        this.dropped++;
        return;
      }
      log.grow(INITIAL_CAPACITY);
      data = log.data;
    }
    data[end] = id;
    data[end + 1] = ts;
    data[end + 2] = value;
    log.n = n + 1;
    this.#logged++;
    if (n > EAGER_FLUSH_SAMPLES && !this.#eager) this.#scheduleEagerFlush();
  }

  /** Notes a level as seen without logging (WAL replay at restore; the store marks the change). */
  touch(level: Level): void {
    this.ensureState(level);
  }

  /** The change state of `level`, if the journal has seen it. */
  stateOf(level: Level): LevelState | undefined {
    const state = level.journal as LevelState | null;
    return state !== null && state.owner === this ? state : undefined;
  }

  /** The change state of `level`, created as needed (null above host level). */
  ensureState(level: Level): LevelState | null {
    return this.stateOf(level) ?? this.#createState(level);
  }

  /** The WAL of a host, if it has one. */
  hostWal(cluster: string, host: string): HostWal | undefined {
    return this.#hosts.get(`${cluster}\0${host}`);
  }

  /** Every host WAL. */
  hostWals(): HostWal[] {
    return [...this.#hosts.values()];
  }

  /** Bytes of samples waiting for the writer (about 20 a sample). */
  get bufferedBytes(): number {
    return this.#logged * BYTES_PER_SAMPLE;
  }

  /** Starts the flush timer (it does not keep the process alive). */
  start(): void {
    if (this.#timer !== undefined || !this.writeWal) return;
    this.#timer = setInterval(() => void this.flush(), this.#intervalMs) as unknown as number;
    Deno.unrefTimer(this.#timer);
  }

  /** Hands every host's logged samples to the writer; resolves when they are written. */
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
   * Starts a snapshot of a host: waits until no write of its WAL is in
   * flight and holds the samples logged so far back. Everything up to here
   * must be in the snapshot, so capture it right after this resolves,
   * without awaiting in between.
   */
  async beginSnapshot(wal: HostWal): Promise<void> {
    while (wal.flushing !== null || wal.snapshotting) {
      await (wal.flushing ?? new Promise((r) => setTimeout(r, 5)));
    }
    wal.snapshotting = true;
    wal.held = wal.log;
    wal.log = wal.spare ?? new SampleLog(0);
    wal.spare = null;
    wal.log.n = 0;
  }

  /**
   * Ends a snapshot of a host. When it was written (`saved`), the held
   * samples are obsolete and the WAL restarts empty; otherwise they are
   * logged again in front of the newer ones.
   */
  async endSnapshot(wal: HostWal, saved: boolean): Promise<void> {
    const held = wal.held;
    wal.held = null;
    if (held !== null) {
      if (saved) {
        this.#logged -= held.n;
        held.n = 0;
        wal.spare ??= held;
      } else {
        wal.log.prepend(held);
      }
    }
    try {
      if (saved && this.writeWal) {
        // Restart the WAL now, so that no obsolete record stays on disk longer than needed.
        const reply = await this.#request({
          type: "restart",
          seq: 0,
          host: wal.id,
          dir: wal.dir,
          path: wal.path,
        });
        if (reply.error) {
          this.#warn(`metric store WAL: cannot restart ${wal.path}: ${reply.error}`);
        } else {
          wal.fileSize = reply.results[0]?.fileSize ?? 4;
        }
      }
    } finally {
      wal.snapshotting = false;
    }
  }

  /** Removes a host's WAL (its data left the store). */
  async dropHost(wal: HostWal): Promise<void> {
    await this.beginSnapshot(wal);
    this.#hosts.delete(`${wal.cluster}\0${wal.host}`);
    this.#logged -= wal.held?.n ?? 0;
    wal.held = null;
    if (!this.writeWal) return;
    const reply = await this.#request({
      type: "drop",
      seq: 0,
      host: wal.id,
      dir: wal.dir,
      path: wal.path,
    });
    if (reply.error) throw new Error(reply.error);
  }

  /** Flushes, closes the files and ends the worker; later samples are only tracked. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
    this.#writing = false;
    if (this.#worker !== null) {
      await this.#request({ type: "close", seq: 0 });
      this.#worker.terminate();
      this.#worker = null;
      for (const resolve of this.#waiting.values()) {
        resolve({ seq: -1, results: [], error: "the WAL writer was closed" });
      }
      this.#waiting.clear();
    }
  }

  #createState(level: Level): LevelState | null {
    const path = level.path();
    if (path.length < 2) return null;
    const [cluster, host] = path;
    const hostKey = `${cluster}\0${host}`;
    let wal = this.#hosts.get(hostKey);
    if (wal === undefined) {
      if (!isSafeName(cluster) || !isSafeName(host)) return null;
      wal = new HostWal(this.#hostsById.length, cluster, host, join(this.directory, cluster, host));
      this.#hostsById.push(wal);
      this.#hosts.set(hostKey, wal);
    }
    const state: LevelState = {
      owner: this,
      host: wal,
      saved: new Uint8Array(this.#metricCount),
      keys: new Int32Array(this.#metricCount).fill(-1),
      selector: path.slice(2).map((s) => encoder.encode(s)),
    };
    level.journal = state;
    return state;
  }

  /** Tags a chain the journal has not seen yet; returns its WAL key id or NOT_LOGGED. */
  #tagChain(level: Level, metric: number, b: MetricBuffer): number {
    const state = this.ensureState(level);
    if (state === null || !this.writeWal) {
      b.tag = this.#tagBase + NOT_LOGGED;
      return NOT_LOGGED;
    }
    let id = state.keys[metric];
    if (id === -1) {
      const bytes = encodeSeriesKey(this.#names[metric], state.selector);
      if (bytes === null || this.#keys.length >= NOT_LOGGED) id = -2;
      else {
        id = this.#keys.length;
        this.#keys.push(bytes);
        this.#hostOfKey.push(state.host);
      }
      state.keys[metric] = id;
    }
    if (id < 0) id = NOT_LOGGED;
    b.tag = this.#tagBase + id;
    return id;
  }

  #scheduleEagerFlush(): void {
    this.#eager = true;
    setTimeout(() => {
      this.#eager = false;
      void this.flush();
    }, 0);
  }

  async #flushPass(): Promise<void> {
    const batches: HostBatch[] = [];
    const taken: HostWal[] = [];
    for (const wal of this.#hosts.values()) {
      if (wal.log.n === 0 || wal.snapshotting || wal.flushing !== null) continue;
      const log = wal.log;
      batches.push({
        host: wal.id,
        dir: wal.dir,
        path: wal.path,
        n: log.n,
        data: log.data,
      });
      taken.push(wal);
      // New samples go to the spare log (or a new one with room for this interval's).
      const spare = wal.spare;
      wal.log = spare !== null && spare.capacity >= log.n ? spare : new SampleLog(log.n);
      wal.log.n = 0;
      wal.spare = null;
    }
    if (batches.length > 0) {
      const pass = this.#write(batches).finally(() => {
        for (const wal of taken) wal.flushing = null;
      });
      for (const wal of taken) wal.flushing = pass;
      await pass;
    }
    if (this.dropped > this.#droppedReported) {
      this.#warn(
        `metric store WAL: ${this.dropped - this.#droppedReported} samples not logged: more ` +
          `than ${this.#maxSamples} waited for the disk (they are in memory and in the next ` +
          `snapshot)`,
      );
      this.#droppedReported = this.dropped;
    }
  }

  /** Writes the batches; never throws (failures are logged, samples kept or counted). */
  async #write(batches: HostBatch[]): Promise<void> {
    const counts = batches.map((b) => b.n);
    const transfer: ArrayBuffer[] = [];
    for (const b of batches) transfer.push(b.data.buffer as ArrayBuffer);
    const reply = await this.#request({ type: "write", seq: 0, newKeys: [], batches }, transfer);
    if (reply.error) {
      // The arrays went to a worker that failed: these samples are only in memory now.
      const lost = counts.reduce((a, b) => a + b, 0);
      this.#logged -= lost;
      this.dropped += lost;
      this.#warn(`metric store WAL: the writer failed: ${reply.error}`);
      return;
    }
    for (const r of reply.results) {
      const wal = this.#hostsById[r.host];
      const log = r.batch ? SampleLog.from(r.batch) : null;
      if (r.ok) {
        this.#logged -= r.batch?.n ?? 0;
        this.bytesWritten += r.bytes;
        wal.fileSize = r.fileSize;
        if (log !== null) wal.spare = log;
        if (this.#maxWalSize > 0 && r.fileSize > this.#maxWalSize) this.#onOversize?.(wal);
      } else {
        this.#warn(`metric store WAL: ${r.error}`);
        // Keep the samples for the next attempt, in front of the newer ones.
        if (log !== null) {
          log.n = r.batch!.n;
          wal.log.prepend(log);
        }
      }
    }
  }

  #request(
    request: WalWorkerRequest,
    transfer: ArrayBuffer[] = [],
  ): Promise<WalWorkerReply> {
    if (this.#worker === null) {
      this.#worker = this.#startWorker();
      this.#keysSent = 0;
    }
    const worker = this.#worker;
    if (request.type === "write" && this.#keysSent < this.#keys.length) {
      for (let id = this.#keysSent; id < this.#keys.length; id++) {
        request.newKeys.push({ id, bytes: this.#keys[id] });
      }
      this.#keysSent = this.#keys.length;
    }
    const seq = ++this.#seq;
    request.seq = seq;
    return new Promise((resolve) => {
      this.#waiting.set(seq, resolve);
      worker.postMessage(request, { transfer });
    });
  }

  #startWorker(): Worker {
    const worker = startWalWorker();
    worker.onmessage = (event: MessageEvent<WalWorkerReply>) => {
      const reply = event.data;
      const resolve = this.#waiting.get(reply.seq);
      this.#waiting.delete(reply.seq);
      resolve?.(reply);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.#warn(`metric store WAL: the writer thread failed: ${event.message}`);
      for (const resolve of this.#waiting.values()) {
        resolve({ seq: -1, results: [], error: event.message });
      }
      this.#waiting.clear();
      this.#worker = null;
      worker.terminate();
    };
    return worker;
  }
}

/** Resets the chain tags below `level` (a new journal starts without any). */
function clearTags(level: Level): void {
  for (const head of level.heads) {
    for (let b = head; b !== null; b = b.prev) b.tag = -1;
  }
  for (const child of level.children?.values() ?? []) clearTags(child);
}
