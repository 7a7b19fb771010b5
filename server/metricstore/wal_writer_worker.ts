/**
 * The WAL writer thread. The journal (wal_journal.ts) only logs each
 * accepted sample as three numbers (series key id, time, value) in typed
 * arrays; once per flush interval it transfers every host's arrays to this
 * worker, which encodes the records (wal_format.ts, CRC included) and
 * appends them to `current.wal` with blocking writes, then hands the arrays
 * back for reuse. Encoding thus costs the ingest thread nothing.
 *
 * The worker runs from a blob URL built from this module's functions (and
 * those of wal_format.ts it calls), so it needs no read permission on the
 * sources and no extra file in a compiled binary. Requests are handled in
 * order; each is answered with its `seq`.
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

/** One host's samples of a flush. */
export interface HostBatch {
  host: number;
  /** The host's directory and WAL path. */
  dir: string;
  path: string;
  n: number;
  /** `[key id, time, value]` per sample. */
  data: Float64Array;
}

/** A request to the worker. */
export type WalWorkerRequest =
  | {
    type: "write";
    seq: number;
    /** Series keys the worker does not know yet (`bytes` as wal_format's encodeSeriesKey). */
    newKeys: { id: number; bytes: Uint8Array }[];
    batches: HostBatch[];
  }
  /** Truncate a host's WAL to a new, empty one (a snapshot made it obsolete). */
  | { type: "restart"; seq: number; host: number; dir: string; path: string }
  /** Close and delete a host's WAL. */
  | { type: "drop"; seq: number; host: number; dir: string; path: string }
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
  /** The batch's arrays, handed back (write requests). */
  batch?: HostBatch;
}

/** The answer to a request. */
export interface WalWorkerReply {
  seq: number;
  results: HostResult[];
  /** Set when the request as a whole failed. */
  error?: string;
}

/** The worker's code (runs in the worker only; every name it uses is in {@link walWorkerSource}). */
function walWorkerMain(): void {
  interface HostFile {
    dir: string;
    path: string;
    file: Deno.FsFile | null;
    size: number;
    dirReady: boolean;
    restart: boolean;
    used: number;
  }
  const MAX_OPEN = 1024;
  const keys: WalKey[] = [];
  const hosts = new Map<number, HostFile>();
  let open = 0;
  let clock = 0;
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

  const hostFor = (id: number, dir: string, path: string): HostFile => {
    let h = hosts.get(id);
    if (h === undefined) {
      h = { dir, path, file: null, size: -1, dirReady: false, restart: false, used: 0 };
      hosts.set(id, h);
    }
    return h;
  };

  const write = (batch: HostBatch): HostResult => {
    const h = hostFor(batch.host, batch.dir, batch.path);
    const { n, data } = batch;
    let need = 0;
    for (let i = 0; i < n; i++) need += recordSize(keys[data[3 * i]].bytes.length);
    need += RECORD_SLACK;
    if (need > buf.length) {
      buf = new Uint8Array(Math.max(need, buf.length * 2));
      view = new DataView(buf.buffer);
    }
    let p = 0;
    for (let i = 0; i < n; i++) {
      p = encodeRecord(view, p, keys[data[3 * i]], data[3 * i + 1], data[3 * i + 2]);
    }
    try {
      const file = ensureOpen(h);
      writeAll(file, buf.subarray(0, p));
      h.size += p;
      return { host: batch.host, ok: true, fileSize: h.size, bytes: p, batch };
    } catch (error) {
      close(h);
      return {
        host: batch.host,
        ok: false,
        fileSize: h.size,
        bytes: 0,
        error: `cannot write ${h.path}: ${(error as Error).message}`,
        batch,
      };
    }
  };

  const handle = (m: WalWorkerRequest): WalWorkerReply => {
    if (m.type === "write") {
      for (const k of m.newKeys) keys[k.id] = walKey(k.bytes);
      return { seq: m.seq, results: m.batches.map(write) };
    }
    if (m.type === "restart" || m.type === "drop") {
      const h = hostFor(m.host, m.dir, m.path);
      close(h);
      if (m.type === "drop") {
        hosts.delete(m.host);
        try {
          Deno.removeSync(h.path);
        } catch (error) {
          if (!(error instanceof Deno.errors.NotFound)) throw error;
        }
        return { seq: m.seq, results: [] };
      }
      h.restart = true;
      ensureOpen(h);
      return { seq: m.seq, results: [{ host: m.host, ok: true, fileSize: h.size, bytes: 0 }] };
    }
    for (const h of hosts.values()) close(h);
    return { seq: m.seq, results: [] };
  };

  const scope = self as unknown as {
    onmessage: (event: MessageEvent<WalWorkerRequest>) => void;
    postMessage(message: WalWorkerReply, options: { transfer: ArrayBuffer[] }): void;
  };
  scope.onmessage = (event) => {
    const m = event.data;
    let reply: WalWorkerReply;
    try {
      reply = handle(m);
    } catch (error) {
      reply = { seq: m.seq, results: [], error: (error as Error).message };
    }
    const transfer: ArrayBuffer[] = [];
    for (const r of reply.results) {
      const b = r.batch;
      if (b) transfer.push(b.data.buffer as ArrayBuffer);
    }
    scope.postMessage(reply, { transfer });
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
