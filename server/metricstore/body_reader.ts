/**
 * Reading line-protocol request bodies for the parse worker: a body that
 * declares its length is read from a byte stream into a buffer of a
 * {@link BodyBufferPool} (the worker hands each buffer back after parsing),
 * so a body costs neither fresh memory (page faults) nor a 64 KiB chunk,
 * with its read, allocation and transfer, per read. A body that breaks off
 * is a 400 ({@link bodyReadError}).
 *
 * @module
 */
import { AppError } from "../errors.ts";

/** Body buffers a pool keeps: enough for the bodies in flight of a few clients. */
const MAX_BODY_BUFFERS = 4;
/** Smallest body buffer allocated (and kept); smaller ones were a stream's chunks. */
const MIN_BODY_BUFFER = 256 * 1024;
/** Larger body buffers are let go after use rather than held for the next body. */
const MAX_POOLED_BODY_BUFFER = 4 * 1024 * 1024;

/** Buffers to read bodies into, kept between bodies. */
export class BodyBufferPool {
  readonly #buffers: ArrayBuffer[] = [];

  /** Buffers ready for the next bodies. */
  get size(): number {
    return this.#buffers.length;
  }

  /** The smallest pooled buffer of at least `bytes`, or a new one. */
  take(bytes: number): ArrayBuffer {
    const pool = this.#buffers;
    let best = -1;
    for (let i = 0; i < pool.length; i++) {
      if (pool[i].byteLength >= bytes && (best < 0 || pool[i].byteLength < pool[best].byteLength)) {
        best = i;
      }
    }
    if (best >= 0) return pool.splice(best, 1)[0];
    // Rounded up, so that bodies of about the same size share buffers.
    const size = Math.max(MIN_BODY_BUFFER, Math.ceil(Math.max(bytes, 1) / 65536) * 65536);
    return new ArrayBuffer(size);
  }

  /** Keeps a buffer handed back, within the pool's limits (the larger ones first). */
  keep(buffer: ArrayBuffer): void {
    const size = buffer.byteLength;
    if (size < MIN_BODY_BUFFER || size > MAX_POOLED_BODY_BUFFER) return;
    const pool = this.#buffers;
    if (pool.length < MAX_BODY_BUFFERS) {
      pool.push(buffer);
      return;
    }
    // Full: the new one replaces the smallest if it is larger.
    let smallest = 0;
    for (let i = 1; i < pool.length; i++) {
      if (pool[i].byteLength < pool[smallest].byteLength) smallest = i;
    }
    if (pool[smallest].byteLength < size) pool[smallest] = buffer;
  }
}

/**
 * The bytes of a request body: one part in a buffer of `pool` when the
 * length is declared and the body is a byte stream, else the stream's
 * chunks as they came. A body that breaks off throws {@link bodyReadError}.
 */
export async function readBody(
  body: ReadableStream<Uint8Array<ArrayBuffer>> | null,
  declaredLength: number | undefined,
  pool: BodyBufferPool,
): Promise<Uint8Array<ArrayBuffer>[]> {
  try {
    return declaredLength !== undefined && body !== null
      ? await readInto(body, declaredLength, pool)
      : await readChunks(body);
  } catch (error) {
    throw bodyReadError(error);
  }
}

/** A body that broke off (the client went away, or sent less than it declared): a 400. */
export function bodyReadError(error: unknown): AppError {
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError(400, `the request body could not be read: ${reason}`, { cause: error });
}

async function readInto(
  body: ReadableStream<Uint8Array<ArrayBuffer>>,
  declaredLength: number,
  pool: BodyBufferPool,
): Promise<Uint8Array<ArrayBuffer>[]> {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = body.getReader({ mode: "byob" });
  } catch {
    return readChunks(body); // not a byte stream
  }
  let buffer = pool.take(declaredLength);
  let filled = 0;
  try {
    for (;;) {
      if (filled === buffer.byteLength) {
        // Longer than declared (a server in front would not let it through): grow.
        const grown = new ArrayBuffer(2 * buffer.byteLength);
        new Uint8Array(grown).set(new Uint8Array(buffer));
        buffer = grown;
      }
      const { value, done } = await reader.read(
        new Uint8Array(buffer, filled, buffer.byteLength - filled),
      );
      if (value === undefined) throw new Error("the request body was cancelled");
      buffer = value.buffer; // the same memory, handed back by the read
      filled += value.byteLength;
      if (done) break;
    }
  } finally {
    reader.releaseLock();
  }
  return [new Uint8Array(buffer, 0, filled)];
}

async function readChunks(
  body: ReadableStream<Uint8Array<ArrayBuffer>> | null,
): Promise<Uint8Array<ArrayBuffer>[]> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  if (body !== null) { for await (const chunk of body) parts.push(chunk); }
  return parts;
}
