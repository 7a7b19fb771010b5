/**
 * A NATS transport on Deno's own sockets (`Deno.connect`, `Deno.startTls`)
 * for the protocol engine of `@nats-io/nats-core`.
 *
 * Why not `@nats-io/transport-node`: on Deno 2.9 its `node:net` socket can
 * report `read ECONNRESET` after the transport has removed its listeners
 * (e.g. when the broker drops a client with wrong credentials), and that
 * unhandled `error` event ends the whole process. Here every read and write
 * error is caught and turns into a closed connection.
 *
 * TLS: upgraded after the server's INFO when it requires or offers TLS
 * (unless `tls: null`), or first with `tls.handshakeFirst`; the CA may come
 * from `tls.caFile`/`tls.ca`. Client certificates are not supported.
 *
 * @module
 */
import {
  checkOptions,
  type ConnectionOptions,
  deferred,
  INFO,
  NatsConnectionImpl,
  type Server,
  type ServerInfo,
  setTransportFactory,
  type Transport,
} from "@nats-io/nats-core/internal";
import type { NatsConnection } from "@nats-io/nats-core";

const READ_BUFFER = 64 * 1024;
/** Longest wait for queued writes when the protocol asks for a disconnect. */
const FLUSH_WAIT_MS = 1000;
const decoder = new TextDecoder();

/** One connection to one server. */
export class DenoTransport implements Transport {
  readonly lang = "nats.js";
  readonly version = "3.4.0-cc-deno";
  closeError?: Error;
  #conn?: Deno.Conn | Deno.TlsConn;
  #encrypted = false;
  #done = false;
  /** Bytes read before the data loop started (the INFO line and anything after it). */
  #peeked: Uint8Array[] = [];
  #writing: Promise<void> = Promise.resolve();
  readonly #closed = deferred<void | Error>();

  get isClosed(): boolean {
    return this.#done;
  }

  isEncrypted(): boolean {
    return this.#encrypted;
  }

  async connect(server: Server, options: ConnectionOptions): Promise<void> {
    const tls = options.tls;
    try {
      this.#conn = await Deno.connect({ hostname: server.hostname, port: server.port });
      this.#abortIfDone();
      if (tls?.handshakeFirst) await this.#startTls(server, options);
      const info = await this.#peekInfo();
      checkOptions(info, options);
      const wanted = info.tls_required || (info.tls_available === true && tls !== null);
      if (!tls?.handshakeFirst && wanted) await this.#startTls(server, options);
      this.#abortIfDone();
    } catch (error) {
      this.#closeConn();
      throw (error as { name?: string }).name === "ConnectionRefused"
        ? new Error("connection refused", { cause: error })
        : error;
    }
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this.#read();
  }

  send(frame: Uint8Array): void {
    if (this.#done || !this.#conn || frame.length === 0) return;
    const conn = this.#conn;
    // Writes are serialized; a failed write shows up as a failed read soon after.
    this.#writing = this.#writing.then(() => writeAll(conn, frame)).catch(() => {});
  }

  close(err?: Error): Promise<void> {
    return this.#shutdown(err, false);
  }

  disconnect(): void {
    void this.#shutdown(undefined, true);
  }

  closed(): Promise<void | Error> {
    return this.#closed;
  }

  discard(): void {
    this.#done = true;
    this.#closeConn();
  }

  async *#read(): AsyncIterableIterator<Uint8Array> {
    for (const chunk of this.#peeked.splice(0)) yield chunk;
    const buffer = new Uint8Array(READ_BUFFER);
    let error: Error | undefined;
    while (!this.#done && this.#conn) {
      let n: number | null;
      try {
        n = await this.#conn.read(buffer);
      } catch (e) {
        if (!this.#done) error = e as Error;
        break;
      }
      if (n === null) break;
      yield buffer.slice(0, n);
    }
    await this.#shutdown(error, false);
  }

  /** Reads until the first protocol line, which must be INFO; keeps the bytes for the parser. */
  async #peekInfo(): Promise<ServerInfo> {
    const buffer = new Uint8Array(READ_BUFFER);
    let text = "";
    for (;;) {
      const n = await this.#conn!.read(buffer);
      this.#abortIfDone();
      if (n === null) throw new Error("connection closed before the server sent INFO");
      const chunk = buffer.slice(0, n);
      this.#peeked.push(chunk);
      text += decoder.decode(chunk);
      const end = text.indexOf("\r\n");
      if (end < 0) {
        if (text.length > 1 << 20) throw new Error("unexpected response from server");
        continue;
      }
      const match = INFO.exec(text.slice(0, end + 2));
      if (!match) throw new Error("unexpected response from server");
      return JSON.parse(match[1]) as ServerInfo;
    }
  }

  async #startTls(server: Server, options: ConnectionOptions): Promise<void> {
    const tls = options.tls ?? {};
    const caCerts: string[] = [];
    if (tls.caFile) caCerts.push(await Deno.readTextFile(tls.caFile));
    else if (tls.ca) caCerts.push(tls.ca);
    if (tls.certFile || tls.cert || tls.keyFile || tls.key) {
      throw new Error("NATS client certificates are not supported");
    }
    this.#conn = await Deno.startTls(this.#conn as Deno.TcpConn, {
      hostname: server.tlsName || server.hostname,
      caCerts: caCerts.length > 0 ? caCerts : undefined,
    });
    // With TLS first, the INFO comes over TLS; otherwise it was already read in clear.
    await (this.#conn as Deno.TlsConn).handshake();
    this.#encrypted = true;
  }

  async #shutdown(err: Error | undefined, flush: boolean): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    this.closeError = err;
    if (flush && !err) {
      // Let queued writes go out, but never hang on a stuck socket.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((resolve) => timer = setTimeout(resolve, FLUSH_WAIT_MS));
      await Promise.race([this.#writing, late]);
      clearTimeout(timer);
    }
    this.#closeConn();
    this.#closed.resolve(err);
  }

  #closeConn(): void {
    try {
      this.#conn?.close();
    } catch {
      // already closed
    }
  }

  #abortIfDone(): void {
    if (this.#done) throw new Error("connection closed while connecting");
  }
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.length) written += await conn.write(data.subarray(written));
}

/** Connects to NATS over {@link DenoTransport}. */
export function connectNats(options: ConnectionOptions): Promise<NatsConnection> {
  // The transport factory is global in nats-core; nothing else in this program sets it.
  setTransportFactory({ factory: () => new DenoTransport(), defaultPort: 4222 });
  return NatsConnectionImpl.connect(options);
}
