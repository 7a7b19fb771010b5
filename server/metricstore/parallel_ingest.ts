/**
 * Ingestion on two threads: the parse worker (ingest_worker.ts) turns a
 * body into numbered samples while the main thread writes the previous
 * body's samples into the store. A large body comes back in pieces of
 * {@link PIECE_SAMPLES} samples, sent as soon as they are parsed, so that
 * storing its first samples overlaps parsing the rest. (If the worker then
 * fails in the middle of a body, the pieces before are stored and the body
 * is answered with an error; sending it again stores the same values.)
 *
 * A node collector's body is parsed once, by the same code as in-process
 * ingestion, so results and rejections are the same on both paths; only
 * writes "from the past" are found here, where the store is.
 *
 * The worker numbers each series the first time it sees it and sends its
 * path; this side keeps number → level. Levels the store removed since
 * (retention, `/api/free`) are looked up again by path, as in-process
 * ingestion would recreate them.
 *
 * If the worker cannot start, {@link startParallelIngest} returns null and
 * the caller ingests in-process; if it fails later, the bodies it held are
 * answered with an error and the next ones are ingested in-process.
 *
 * @module
 */
import { log } from "../log/logger.ts";
import { canLoadWorkerModule } from "../worker_module.ts";
import {
  type IngestOptions,
  type Ingestor,
  type IngestResult,
  pastWriteReason,
  type RejectedLine,
} from "./ingest.ts";
import { BodyBufferPool, readBody } from "./body_reader.ts";
import type { IngestWorkerReply, IngestWorkerRequest } from "./ingest_worker.ts";
import type { Level } from "./level.ts";
import type { MemoryStore } from "./memory_store.ts";
import { fromWire, MAX_SPARE, type ParsedPiece, type Wire } from "./parsed_body.ts";

/**
 * Bodies smaller than this are ingested in-process: the hand-off would cost
 * more. (Bodies of 1,000 lines, about 75 KB, measured 17-20 % more points per
 * second in-process on 2 cores, with 2 requests in flight.)
 */
export const PARALLEL_MIN_BYTES = 128 * 1024;

/**
 * Samples per piece the worker sends ahead: the main thread stores a large
 * body's first samples while the worker parses the rest, and the sample
 * buffers stay this size (about 115 KB) however large a body is. What the
 * main thread still has to store when the worker is done, the last piece,
 * makes a request wait: with one request in flight, pieces of 4,096 measured
 * 8-18 % faster than 8,192 (2,048: faster still, but each piece costs the
 * main thread a message, which counts when many requests are in flight).
 */
export const PIECE_SAMPLES = 4096;

interface Mirrored {
  path: string[];
  level: Level;
  /** The store's generation when `level` was looked up. */
  generation: number;
}

interface Waiting {
  options: IngestOptions;
  resolve: (result: IngestResult) => void;
  reject: (error: Error) => void;
  /** Writes from the past found so far (the first `maxRejected`), and their number. */
  past: RejectedLine[];
  pastTotal: number;
  /** Applying a piece failed: the body is answered with this error when it is done. */
  error?: Error;
}

/** Ingests whole bodies with a parse worker; see the module text. */
export class ParallelIngestor {
  readonly #store: MemoryStore;
  readonly #ingestor: Ingestor<Level>;
  readonly #worker: Worker;
  readonly #waiting: Waiting[] = [];
  readonly #mirror: (Mirrored | undefined)[] = [];
  /** Sample buffers of the pieces applied, to go back with the next body. */
  #spare: ArrayBuffer[] = [];
  /** Buffers of bodies the worker has parsed, to read the next bodies into. */
  readonly #bodyBuffers = new BodyBufferPool();
  #failed = false;
  #ready: { resolve: () => void; reject: (error: Error) => void } | undefined;

  private constructor(store: MemoryStore, ingestor: Ingestor<Level>, module: URL) {
    this.#store = store;
    this.#ingestor = ingestor;
    this.#worker = new Worker(module, { type: "module" });
    this.#worker.onmessage = (event: MessageEvent<IngestWorkerReply>) => this.#reply(event.data);
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#fail(event.message);
    };
  }

  /**
   * Starts the parse worker for `store` and its in-process `ingestor` (whose
   * sample sink and after-body hook are used); null when it cannot run here.
   */
  static async start(
    store: MemoryStore,
    ingestor: Ingestor<Level>,
    options: { maxStandIns?: number; pieceSamples?: number } = {},
  ): Promise<ParallelIngestor | null> {
    const module = new URL("./ingest_worker.ts", import.meta.url);
    if (!canLoadWorkerModule(module)) {
      log.info("metric store: no read access to the server sources, so ingest stays in-process");
      return null;
    }
    const parallel = new ParallelIngestor(store, ingestor, module);
    try {
      await new Promise<void>((resolve, reject) => {
        parallel.#ready = { resolve, reject };
        parallel.#post({
          type: "init",
          metrics: store.metrics.metrics.map(({ name, frequency, aggregation }) => ({
            name,
            frequency,
            aggregation,
          })),
          maxStandIns: options.maxStandIns,
          pieceSamples: options.pieceSamples ?? PIECE_SAMPLES,
        });
      });
    } catch (error) {
      log.warn(`metric store: ingest stays in-process (${(error as Error).message})`);
      parallel.close();
      return null;
    }
    return parallel;
  }

  /**
   * Ingests a whole body. Its buffer is transferred when `bytes` covers all
   * of it (`bytes` is unusable afterwards); otherwise the bytes are copied.
   */
  ingest(bytes: Uint8Array<ArrayBuffer>, options: IngestOptions): Promise<IngestResult> {
    if (this.#failed) return Promise.resolve(this.#ingestor.ingest(bytes, options));
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    return this.#send([whole ? bytes : bytes.slice()], options);
  }

  /**
   * Reads a request body and ingests it; with `declaredLength` (its
   * Content-Length) into a buffer the worker handed back (see body_reader.ts).
   */
  async ingestBody(
    body: ReadableStream<Uint8Array<ArrayBuffer>> | null,
    options: IngestOptions,
    declaredLength?: number,
  ): Promise<IngestResult> {
    const parts = await readBody(body, declaredLength, this.#bodyBuffers);
    if (this.#failed) {
      const stream = this.#ingestor.begin(options);
      for (const part of parts) stream.push(part);
      return stream.finish();
    }
    return this.#send(parts, options);
  }

  #send(parts: Uint8Array<ArrayBuffer>[], options: IngestOptions): Promise<IngestResult> {
    const transfer = new Set<ArrayBuffer>();
    for (const part of parts) transfer.add(part.buffer);
    const spare = this.#spare;
    this.#spare = [];
    for (const buffer of spare) transfer.add(buffer);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ options, resolve, reject, past: [], pastTotal: 0 });
      this.#post({ type: "body", parts, options, spare }, [...transfer]);
    });
  }

  /** Body buffers the worker handed back, ready for the next bodies. */
  get pooledBodyBuffers(): number {
    return this.#bodyBuffers.size;
  }

  /** Ends the worker; bodies not yet answered fail. */
  close(): void {
    this.#fail("the metric store is shutting down", { quiet: true });
    this.#worker.terminate();
  }

  #post(request: IngestWorkerRequest, transfer: Transferable[] = []): void {
    this.#worker.postMessage(request, transfer);
  }

  #reply(reply: IngestWorkerReply): void {
    if (this.#ready) {
      const ready = this.#ready;
      this.#ready = undefined;
      if (reply.type === "ready") ready.resolve();
      else ready.reject(new Error(reply.type === "failed" ? reply.error : "unexpected reply"));
      return;
    }
    const waiting = this.#waiting[0];
    if (waiting === undefined) return;
    if (reply.type === "piece") {
      this.#applyPiece(reply.body, waiting);
      return;
    }
    this.#waiting.shift();
    if (reply.type !== "parsed") {
      waiting.reject(new Error(`parsing the body failed: ${(reply as { error?: string }).error}`));
      return;
    }
    for (const buffer of reply.returned) this.#bodyBuffers.keep(buffer);
    this.#applyPiece(reply.body, waiting);
    if (waiting.error !== undefined) {
      waiting.reject(waiting.error);
      return;
    }
    try {
      this.#ingestor.afterBody();
    } catch (error) {
      waiting.reject(error as Error);
      return;
    }
    const parsed = reply.body.result;
    const maxRejected = waiting.options.maxRejected ?? 100;
    waiting.resolve({
      // The worker's count is of every sample it recorded, in all pieces.
      accepted: parsed.accepted - waiting.pastTotal,
      rejected: waiting.pastTotal === 0
        ? parsed.rejected
        : mergeByLine(parsed.rejected, waiting.past).slice(0, maxRejected),
      rejectedTotal: parsed.rejectedTotal + waiting.pastTotal,
    });
  }

  /** Stores a piece of the body `waiting` unless an earlier piece failed. */
  #applyPiece(wire: Wire<ParsedPiece>, waiting: Waiting): void {
    // As many as the worker keeps; the rest of a very large body's are let go.
    if (this.#spare.length < MAX_SPARE) this.#spare.push(wire.samples);
    if (waiting.error !== undefined) return;
    try {
      this.#apply(fromWire(wire), waiting);
    } catch (error) {
      waiting.error = error as Error;
    }
  }

  /** Writes a piece's samples; notes the writes from the past in `waiting`. */
  #apply(parsed: ParsedPiece, waiting: Waiting): void {
    const store = this.#store;
    const generation = store.generation;
    const mirror = this.#mirror;
    if (parsed.reset) mirror.length = 0;
    for (let i = 0; i < parsed.newLevels.length; i++) {
      const path = parsed.newLevels[i];
      mirror[parsed.firstNewId + i] = { path, level: store.ensureLevel(path), generation };
    }
    const sink = this.#ingestor.sampleSink;
    const { levels, metrics, times, values, lines, count } = parsed;
    const maxRejected = waiting.options.maxRejected ?? 100;
    const past = waiting.past;
    for (let i = 0; i < count; i++) {
      const entry = mirror[levels[i]];
      if (entry === undefined) throw new Error(`parse worker sent unknown series ${levels[i]}`);
      if (entry.generation !== generation) {
        // The store removed levels since: find (or recreate) this one by its path.
        entry.level = store.ensureLevel(entry.path);
        entry.generation = generation;
      }
      const metric = metrics[i];
      const ts = times[i];
      const value = values[i];
      if (!store.writeSample(entry.level, metric, ts, value)) {
        waiting.pastTotal++;
        if (past.length < maxRejected) {
          past.push({
            line: lines[i],
            reason: pastWriteReason(store.metrics, metric, ts, entry.path),
          });
        }
        continue;
      }
      if (sink !== null) sink.append(entry.level, metric, ts, value);
    }
  }

  #fail(message: string, options: { quiet?: boolean } = {}): void {
    if (this.#failed) return;
    this.#failed = true;
    if (!options.quiet) {
      log.error(`metric store: the parse worker failed (${message}); ingesting in-process now`);
    }
    this.#ready?.reject(new Error(message));
    this.#ready = undefined;
    for (const waiting of this.#waiting.splice(0)) {
      waiting.reject(new Error(`the metric store's parse worker failed: ${message}`));
    }
  }
}

function mergeByLine(a: RejectedLine[], b: RejectedLine[]): RejectedLine[] {
  const out: RejectedLine[] = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].line <= b[j].line)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}
