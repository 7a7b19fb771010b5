/**
 * The journal of accepted samples: it logs every sample the ingestor
 * stores for the WAL, as three numbers (series key id, time, value) in one
 * typed array shared by all hosts, written in arrival order. (Which series
 * changed since their last snapshot, the store marks on its buffers itself;
 * see `MetricBuffer.changed`.)
 *
 * The array (a chunk of fixed size, reused) goes to the WAL writer worker
 * (wal_writer_worker.ts) when it is full and once per flush interval (1 s);
 * the worker sorts the
 * samples by host, encodes the records and appends them to each host's
 * `current.wal`. The ingest thread never sorts, encodes or writes, and a
 * sample costs it one read of the buffer it was just stored in and three
 * stores into a sequential array. The samples waiting are bounded: past
 * `maxBufferedBytes` (about 20 bytes a sample), samples are dropped from the
 * WAL and counted (they stay in memory and the next snapshot saves them, as
 * in cc-backend).
 *
 * Durability: a sample is in the OS page cache at most one flush interval
 * (plus the worker's write time) after its write was acknowledged. A killed
 * process (kill -9, OOM) loses at most the samples of the last interval; a
 * crash of the machine can also lose what the kernel had not written back
 * (the WAL is not fsynced; snapshots are).
 *
 * Snapshots (checkpointer.ts) coordinate with the journal per host: before a
 * host's snapshot is captured, the samples logged so far go to the worker,
 * followed by `hold`, so the worker sets exactly those aside; when the
 * snapshot is safely on disk they are dropped and the WAL restarts,
 * otherwise they are written as usual.
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
  type HostResult,
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

/** One host's WAL. */
export class HostWal {
  readonly id: number;
  readonly cluster: string;
  readonly host: string;
  readonly dir: string;
  /** Bytes in `current.wal` after the last write (-1: not written by this process yet). */
  fileSize = -1;
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
/** Samples per chunk of the log (768 KiB). */
const CHUNK_SAMPLES = 1 << 15;
const BYTES_PER_SAMPLE = 20;

/** Logs the samples of one store for its WAL files; see the module text. */
export class WalJournal implements SampleSink {
  readonly store: MemoryStore;
  readonly directory: string;
  readonly writeWal: boolean;
  /** Samples dropped from the WAL because too many waited, or their writer failed. */
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
  /** Samples not yet handed to the worker: `[key id, time, value]` each. */
  #log: Float64Array = new Float64Array(0);
  #n = 0;
  /** Chunks the worker handed back, for the next logs. */
  readonly #pool: Float64Array[] = [];
  /** Chunks taken for logs since the last flush. */
  #chunksTaken = 0;
  /** Samples waiting in the worker (its last report). */
  #workerPending = 0;
  #timer: number | undefined;
  #droppedReported = 0;
  #worker: Worker | null = null;
  #seq = 0;
  readonly #waiting = new Map<number, (reply: WalWorkerReply) => void>();
  /** Every series key, by id, and its host; the worker has the first `#keysSent`. */
  readonly #keys: Uint8Array[] = [];
  readonly #hostOfKey: HostWal[] = [];
  #keysSent = 0;
  /** Hosts by id that the worker knows (it has the first `#hostsSent` of `#hostsById`). */
  #hostsSent = 0;
  readonly #tagBase = (journalCount++ % 32) * TAG_RANGE;

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
   * (`tag`), so a sample touches nothing colder than that buffer.
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
    let n = this.#n;
    let data = this.#log;
    if (3 * n === data.length) {
      // The chunk is full: to the worker with it, unless too many samples wait already.
      if (n + this.#workerPending >= this.#maxSamples) {
        this.dropped++;
        return;
      }
      this.#handOver();
      data = this.#log;
      n = 0;
    }
    const end = 3 * n;
    data[end] = id;
    data[end + 1] = ts;
    data[end + 2] = value;
    this.#n = n + 1;
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

  /** Chunks kept for reuse (for monitoring and tests). */
  get chunksPooled(): number {
    return this.#pool.length;
  }

  /** Bytes of samples waiting for the disk (about 20 a sample). */
  get bufferedBytes(): number {
    return (this.#n + this.#workerPending) * BYTES_PER_SAMPLE;
  }

  /** Starts the flush timer (it does not keep the process alive). */
  start(): void {
    if (this.#timer !== undefined || !this.writeWal) return;
    this.#timer = setInterval(() => void this.flush(), this.#intervalMs) as unknown as number;
    Deno.unrefTimer(this.#timer);
  }

  /** Hands the logged samples to the writer; resolves when every host's are written. */
  async flush(): Promise<void> {
    if (!this.writeWal || this.#worker === null && this.#n === 0) return;
    this.#handOver();
    const taken = this.#chunksTaken;
    this.#chunksTaken = 0;
    const reply = await this.#request({ type: "flush", seq: 0 });
    // Keep as many chunks as the interval before this flush took (they came back with
    // its answer): a burst's chunks are released again at the next flush.
    if (this.#pool.length > taken + 2) this.#pool.length = taken + 2;
    for (const r of reply.results) this.#result(r);
    this.#reportDropped();
  }

  /**
   * Starts a snapshot of a host: everything logged so far is covered by the
   * snapshot (the writer sets it aside) and newer samples of the host wait.
   * Capture the host after this resolves.
   */
  async beginSnapshot(wal: HostWal): Promise<void> {
    while (wal.snapshotting) await new Promise((r) => setTimeout(r, 5));
    wal.snapshotting = true;
    if (!this.writeWal) return;
    this.#handOver();
    const reply = await this.#request({ type: "hold", seq: 0, host: wal.id });
    if (reply.error) this.#warn(`metric store WAL: ${reply.error}`);
  }

  /**
   * Ends a snapshot of a host. When it was written (`saved`), the samples it
   * covers are obsolete and the WAL restarts empty; otherwise they are
   * written as usual, in front of the newer ones.
   */
  async endSnapshot(wal: HostWal, saved: boolean): Promise<void> {
    try {
      if (!this.writeWal || this.#worker === null) return;
      const reply = await this.#request({ type: "release", seq: 0, host: wal.id, saved });
      if (reply.error) this.#warn(`metric store WAL: ${reply.error}`);
      for (const r of reply.results) {
        if (r.ok) wal.fileSize = r.fileSize;
        else this.#warn(`metric store WAL: ${r.error}`);
      }
    } finally {
      wal.snapshotting = false;
    }
  }

  /** Removes a host's WAL (its data left the store). */
  async dropHost(wal: HostWal): Promise<void> {
    await this.beginSnapshot(wal);
    this.#hosts.delete(`${wal.cluster}\0${wal.host}`);
    if (!this.writeWal) return;
    const reply = await this.#request({ type: "drop", seq: 0, host: wal.id });
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
        resolve({
          seq: -1,
          results: [],
          error: "the WAL writer was closed",
          pending: 0,
          dropped: 0,
          chunks: [],
        });
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

  /** Sends the logged samples (and new hosts and keys) to the worker. */
  #handOver(): void {
    this.#ensureWorker();
    if (this.#n === 0 && this.#keysSent === this.#keys.length) {
      if (this.#hostsSent === this.#hostsById.length) return;
    }
    const newHosts = this.#hostsById.slice(this.#hostsSent).map((h) => ({
      id: h.id,
      dir: h.dir,
      path: h.path,
    }));
    this.#hostsSent = this.#hostsById.length;
    const newKeys = [];
    for (let id = this.#keysSent; id < this.#keys.length; id++) {
      newKeys.push({ id, host: this.#hostOfKey[id].id, bytes: this.#keys[id] });
    }
    this.#keysSent = this.#keys.length;
    const n = this.#n;
    const data = this.#log;
    this.#log = this.#pool.pop() ?? new Float64Array(3 * CHUNK_SAMPLES);
    this.#chunksTaken++;
    this.#n = 0;
    this.#workerPending += n;
    void this.#request(
      { type: "samples", seq: 0, newHosts, newKeys, n, data, maxPending: this.#maxSamples },
      [data.buffer as ArrayBuffer],
    ).then((reply) => {
      if (reply.error) {
        this.#warn(`metric store WAL: the writer failed: ${reply.error}`);
        this.dropped += n;
      }
    });
  }

  /** Takes in a flush result of one host. */
  #result(r: HostResult): void {
    const wal = this.#hostsById[r.host];
    if (!r.ok) {
      this.#warn(`metric store WAL: ${r.error}`);
      return;
    }
    this.bytesWritten += r.bytes;
    wal.fileSize = r.fileSize;
    if (this.#maxWalSize > 0 && r.fileSize > this.#maxWalSize) this.#onOversize?.(wal);
  }

  #reportDropped(): void {
    if (this.dropped > this.#droppedReported) {
      this.#warn(
        `metric store WAL: ${this.dropped - this.#droppedReported} samples not logged: more ` +
          `than ${this.#maxSamples} waited for the disk (they are in memory and in the next ` +
          `snapshot)`,
      );
      this.#droppedReported = this.dropped;
    }
  }

  /** The writer, started (again) as needed; a new one is sent every host and key. */
  #ensureWorker(): Worker {
    if (this.#worker === null) {
      this.#worker = this.#startWorker();
      this.#keysSent = 0;
      this.#hostsSent = 0;
    }
    return this.#worker;
  }

  #request(request: WalWorkerRequest, transfer: ArrayBuffer[] = []): Promise<WalWorkerReply> {
    const worker = this.#ensureWorker();
    const seq = ++this.#seq;
    request.seq = seq;
    return new Promise((resolve) => {
      this.#waiting.set(seq, (reply) => {
        this.#workerPending = reply.pending;
        this.dropped += reply.dropped;
        for (const chunk of reply.chunks ?? []) {
          // Every chunk back is kept (as many as the bound lets wait): a new one each
          // time would cost fresh memory and its page faults on the ingest thread.
          if (
            chunk.length === 3 * CHUNK_SAMPLES &&
            this.#pool.length * CHUNK_SAMPLES < this.#maxSamples
          ) {
            this.#pool.push(chunk);
          }
        }
        resolve(reply);
      });
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
      // What it held is only in memory now (the next snapshots save it).
      this.dropped += this.#workerPending;
      this.#workerPending = 0;
      for (const resolve of this.#waiting.values()) {
        resolve({ seq: -1, results: [], error: event.message, pending: 0, dropped: 0, chunks: [] });
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
