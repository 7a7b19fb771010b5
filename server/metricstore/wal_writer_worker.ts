/**
 * The WAL writer thread. The journal (wal_journal.ts) only logs each
 * accepted sample as three numbers (series key id, time, value) in one
 * typed array for all hosts, and hands the array over from time to time.
 * This worker keeps the arrays and notes, per host, the runs of samples
 * that are the host's (collectors send a host's lines together, so runs are
 * long); on each flush it encodes each host's records (wal_format.ts, CRC
 * included) into one reused buffer and appends them to the host's
 * `current.wal` with blocking writes. (Sorting the samples into per-host
 * copies first, or encoding into per-host buffers, costs a pass over cold
 * memory.) An array goes back to the journal for reuse once every run in it
 * is written or dropped. Encoding and sorting thus cost the ingest thread
 * nothing.
 *
 * Snapshots hold a host back: `hold` sets the host's pending runs aside
 * (the snapshot covers them) and keeps the newer ones from being written;
 * `release` then drops the set-aside samples and restarts the file (the
 * snapshot was saved) or puts them back in front (it failed). Requests are
 * handled in order, so everything handed over before `hold` is covered.
 *
 * The worker runs from a blob URL built from this module's functions (and
 * those of wal_format.ts it calls), so it needs no read permission on the
 * sources and no extra file in a compiled binary. Every request is answered
 * with its `seq`.
 *
 * @module
 */
import {
  crcWord,
  encodeRecord,
  makeCrcTable,
  RECORD_SLACK,
  recordSize,
  WAL_FILE_MAGIC,
  WAL_RECORD_MAGIC,
  walFileHeader,
  type WalKey,
  walKey,
} from "./wal_format.ts";

/** A request to the worker. */
export type WalWorkerRequest =
  | {
    /** Samples: `[key id, time, value]` each, `n` of them in `data` (handed back later). */
    type: "samples";
    seq: number;
    /** Hosts the worker does not know yet: their directory and WAL path. */
    newHosts: { id: number; dir: string; path: string }[];
    /** Series keys the worker does not know yet (`bytes` as wal_format's encodeSeriesKey). */
    newKeys: { id: number; host: number; bytes: Uint8Array }[];
    n: number;
    data: Float64Array;
    /** Most samples the worker keeps waiting for the disk; past it they are dropped and counted. */
    maxPending: number;
  }
  /** Write every host's samples (but those of held hosts). */
  | { type: "flush"; seq: number }
  /** A snapshot of the host starts: set its samples aside, write no newer ones. */
  | { type: "hold"; seq: number; host: number }
  /** The snapshot ended: `saved` drops the set-aside samples and restarts the WAL. */
  | { type: "release"; seq: number; host: number; saved: boolean }
  /** Close and delete a host's WAL; its samples are dropped. */
  | { type: "drop"; seq: number; host: number }
  | { type: "close"; seq: number };

/** The outcome for one host. */
export interface HostResult {
  host: number;
  ok: boolean;
  /** Bytes in the file afterwards. */
  fileSize: number;
  /** Bytes written by this request. */
  bytes: number;
  error?: string;
}

/** The answer to a request. */
export interface WalWorkerReply {
  seq: number;
  /** Hosts written (flush), restarted (release); failures included. */
  results: HostResult[];
  /** Set when the request as a whole failed. */
  error?: string;
  /** Sample arrays the worker is done with, handed back for reuse. */
  chunks: Float64Array[];
  /** Samples waiting in the worker after the request. */
  pending: number;
  /** Samples dropped since the previous reply (too many waiting, or their host dropped). */
  dropped: number;
}

/** The worker's code (runs in the worker only; every name it uses is in {@link walWorkerSource}). */
function walWorkerMain(): void {
  interface HostFile {
    id: number;
    dir: string;
    path: string;
    file: Deno.FsFile | null;
    size: number;
    dirReady: boolean;
    restart: boolean;
    used: number;
    /** Runs of samples to write, `n` samples in all. */
    runs: Run[];
    n: number;
    /** Runs a snapshot in progress covers (null: no snapshot). */
    held: Run[] | null;
    heldN: number;
    dropped: boolean;
  }
  /** A sample array and how many runs in it wait. */
  interface Chunk {
    data: Float64Array;
    waiting: number;
  }
  /** Samples `from` to `from + count` of a chunk. */
  interface Run {
    chunk: Chunk;
    from: number;
    count: number;
  }
  const MAX_OPEN = 1024;
  const keys: WalKey[] = [];
  const hostOfKey: HostFile[] = [];
  const hosts = new Map<number, HostFile>();
  let open = 0;
  let clock = 0;
  let pending = 0;
  let dropped = 0;
  /** Arrays to hand back with the next reply. */
  let done: Float64Array[] = [];
  /** Bytes of the largest record (of the longest key). */
  let maxRecord = recordSize(0);
  let buf = new Uint8Array(1 << 16);
  let view = new DataView(buf.buffer);

  const close = (h: HostFile) => {
    if (h.file !== null) {
      h.file.close();
      h.file = null;
      open--;
    }
  };
  const writeAll = (file: Deno.FsFile, bytes: Uint8Array) => {
    let off = 0;
    while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
  };
  const ensureOpen = (h: HostFile) => {
    h.used = ++clock;
    if (h.file !== null) return h.file;
    if (open >= MAX_OPEN) {
      // Close the least recently used file.
      let oldest: HostFile | null = null;
      for (const other of hosts.values()) {
        if (other.file !== null && (oldest === null || other.used < oldest.used)) oldest = other;
      }
      if (oldest !== null) close(oldest);
    }
    if (!h.dirReady) {
      Deno.mkdirSync(h.dir, { recursive: true });
      h.dirReady = true;
    }
    const file = Deno.openSync(h.path, {
      write: true,
      create: true,
      append: !h.restart,
      truncate: h.restart,
    });
    open++;
    h.file = file;
    h.size = h.restart ? 0 : file.statSync().size;
    h.restart = false;
    if (h.size > 0 && h.size < 4) {
      // A header cut off by a crash: start the file again.
      file.truncateSync(0);
      h.size = 0;
    }
    if (h.size === 0) {
      writeAll(file, walFileHeader());
      h.size = 4;
    }
    return file;
  };

  const release = (runs: Run[]) => {
    for (const run of runs) {
      if (--run.chunk.waiting === 0) done.push(run.chunk.data);
    }
  };

  const samples = (m: Extract<WalWorkerRequest, { type: "samples" }>) => {
    for (const nh of m.newHosts) {
      hosts.set(nh.id, {
        id: nh.id,
        dir: nh.dir,
        path: nh.path,
        file: null,
        size: -1,
        dirReady: false,
        restart: false,
        used: 0,
        runs: [],
        n: 0,
        held: null,
        heldN: 0,
        dropped: false,
      });
    }
    for (const k of m.newKeys) {
      keys[k.id] = walKey(k.bytes);
      hostOfKey[k.id] = hosts.get(k.host)!;
      maxRecord = Math.max(maxRecord, recordSize(k.bytes.length));
    }
    const chunk: Chunk = { data: m.data, waiting: 0 };
    const data = m.data;
    const n = m.n;
    // Runs of samples of one host (collectors send a host's lines together) are copied at once.
    let i = 0;
    while (i < n) {
      const h = hostOfKey[data[3 * i]];
      let j = i + 1;
      while (j < n && hostOfKey[data[3 * j]] === h) j++;
      let count = j - i;
      if (h.dropped) {
        dropped += count;
      } else {
        if (pending + count > m.maxPending) {
          const room = Math.max(0, m.maxPending - pending);
          dropped += count - room;
          count = room;
        }
        if (count > 0) {
          h.runs.push({ chunk, from: i, count });
          h.n += count;
          chunk.waiting++;
          pending += count;
        }
      }
      i = j;
    }
    if (chunk.waiting === 0) done.push(chunk.data);
  };

  const write = (h: HostFile): HostResult => {
    const need = h.n * maxRecord + RECORD_SLACK;
    if (need > buf.length) {
      buf = new Uint8Array(Math.max(need, buf.length * 2));
      view = new DataView(buf.buffer);
    }
    let p = 0;
    for (const run of h.runs) {
      const data = run.chunk.data;
      for (let i = run.from; i < run.from + run.count; i++) {
        p = encodeRecord(view, p, keys[data[3 * i]], data[3 * i + 1], data[3 * i + 2]);
      }
    }
    try {
      const file = ensureOpen(h);
      writeAll(file, buf.subarray(0, p));
      h.size += p;
      pending -= h.n;
      release(h.runs);
      h.runs = [];
      h.n = 0;
      return { host: h.id, ok: true, fileSize: h.size, bytes: p };
    } catch (error) {
      // The runs stay for the next flush.
      close(h);
      return {
        host: h.id,
        ok: false,
        fileSize: h.size,
        bytes: 0,
        error: `cannot write ${h.path}: ${(error as Error).message}`,
      };
    }
  };

  const known = (id: number): HostFile => {
    const h = hosts.get(id);
    if (h === undefined) throw new Error(`unknown host ${id}`);
    return h;
  };

  const handle = (m: WalWorkerRequest): HostResult[] => {
    switch (m.type) {
      case "samples":
        samples(m);
        return [];
      case "flush": {
        const results: HostResult[] = [];
        for (const h of hosts.values()) {
          if (h.n > 0 && h.held === null) results.push(write(h));
        }
        return results;
      }
      case "hold": {
        const h = known(m.host);
        h.held = h.runs;
        h.heldN = h.n;
        h.runs = [];
        h.n = 0;
        return [];
      }
      case "release": {
        const h = known(m.host);
        const held = h.held;
        const heldN = h.heldN;
        h.held = null;
        h.heldN = 0;
        if (!m.saved) {
          // Back in front of the newer runs, to be written as usual.
          if (held !== null) h.runs = held.concat(h.runs);
          h.n += heldN;
          return [];
        }
        if (held !== null) release(held);
        pending -= heldN;
        close(h);
        h.restart = true;
        try {
          ensureOpen(h);
          return [{ host: h.id, ok: true, fileSize: h.size, bytes: 0 }];
        } catch (error) {
          return [{
            host: h.id,
            ok: false,
            fileSize: h.size,
            bytes: 0,
            error: `cannot restart ${h.path}: ${(error as Error).message}`,
          }];
        }
      }
      case "drop": {
        const h = known(m.host);
        close(h);
        hosts.delete(m.host);
        h.dropped = true;
        pending -= h.n + h.heldN;
        dropped += h.n + h.heldN;
        release(h.runs);
        if (h.held !== null) release(h.held);
        h.runs = [];
        h.held = null;
        h.n = h.heldN = 0;
        try {
          Deno.removeSync(h.path);
        } catch (error) {
          if (!(error instanceof Deno.errors.NotFound)) throw error;
        }
        return [];
      }
      case "close":
        for (const h of hosts.values()) close(h);
        return [];
    }
  };

  const scope = self as unknown as {
    onmessage: (event: MessageEvent<WalWorkerRequest>) => void;
    postMessage(message: WalWorkerReply, options: { transfer: ArrayBuffer[] }): void;
  };
  scope.onmessage = (event) => {
    const m = event.data;
    const reply: WalWorkerReply = {
      seq: m.seq,
      results: [],
      pending: 0,
      dropped: 0,
      chunks: [],
    };
    try {
      reply.results = handle(m);
    } catch (error) {
      reply.error = (error as Error).message;
    }
    reply.pending = pending;
    reply.dropped = dropped;
    dropped = 0;
    reply.chunks = done;
    done = [];
    scope.postMessage(reply, { transfer: reply.chunks.map((c) => c.buffer as ArrayBuffer) });
  };
}

/** The worker's source: the functions it uses, its constants, and the start call. */
export function walWorkerSource(): string {
  return [
    `const WAL_FILE_MAGIC = ${WAL_FILE_MAGIC};`,
    `const WAL_RECORD_MAGIC = ${WAL_RECORD_MAGIC};`,
    `const RECORD_SLACK = ${RECORD_SLACK};`,
    String(makeCrcTable),
    "const CRC_TABLE = makeCrcTable();",
    "const ZERO_TABLES = new Map();",
    "const F32 = new Float32Array(1);",
    "const F32_BITS = new Int32Array(F32.buffer);",
    "const MAGIC = WAL_RECORD_MAGIC | 0;",
    String(crcWord),
    String(walKey),
    String(recordSize),
    String(encodeRecord),
    String(walFileHeader),
    String(walWorkerMain),
    "walWorkerMain();",
  ].join("\n");
}

/** Starts a WAL writer worker. */
export function startWalWorker(): Worker {
  const url = URL.createObjectURL(
    new Blob([walWorkerSource()], { type: "application/javascript" }),
  );
  // The URL stays valid: the worker loads it asynchronously.
  return new Worker(url, { type: "module" });
}
