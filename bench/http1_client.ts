/**
 * A lean HTTP/1.1 keep-alive client for the load generators of the
 * benchmarks: one request at a time per connection, bodies framed by
 * Content-Length. The benchmarks run client and server on the same two
 * cores, and `fetch` costs about 60 µs of CPU per request there (this
 * client about 13), which the server would otherwise lose; in production
 * the batch system's clients run on other machines. Responses without a
 * Content-Length (chunked) are refused loudly rather than misread.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const CR = 13;
const LF = 10;

/** A response: status and body text. */
export interface Http1Response {
  status: number;
  body: string;
}

/** One keep-alive connection to `base` (an `http://host:port` URL). */
export class Http1Connection {
  readonly #conn: Deno.TcpConn;
  readonly #host: string;
  #buf = new Uint8Array(64 * 1024);
  #have = 0;

  private constructor(conn: Deno.TcpConn, host: string) {
    this.#conn = conn;
    this.#host = host;
  }

  /** Connects to the host and port of `base`. */
  static async open(base: string): Promise<Http1Connection> {
    const url = new URL(base);
    if (url.protocol !== "http:") throw new Error(`only http:// is supported: ${base}`);
    const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port || 80) });
    conn.setNoDelay(true);
    return new Http1Connection(conn, url.host);
  }

  /** Sends one request and reads its response. */
  async request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string | Uint8Array,
  ): Promise<Http1Response> {
    const payload = typeof body === "string" ? encoder.encode(body) : body;
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.#host}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    if (payload) head += `Content-Length: ${payload.length}\r\n`;
    head += "\r\n";
    const headBytes = encoder.encode(head);
    const out = new Uint8Array(headBytes.length + (payload?.length ?? 0));
    out.set(headBytes);
    if (payload) out.set(payload, headBytes.length);
    for (let off = 0; off < out.length;) off += await this.#conn.write(out.subarray(off));
    return await this.#readResponse();
  }

  close(): void {
    this.#conn.close();
  }

  async #readResponse(): Promise<Http1Response> {
    let headEnd = -1;
    let scanned = 0;
    for (;;) {
      for (let i = Math.max(3, scanned); i < this.#have; i++) {
        const b = this.#buf;
        if (b[i] === LF && b[i - 1] === CR && b[i - 2] === LF && b[i - 3] === CR) {
          headEnd = i + 1;
          break;
        }
      }
      if (headEnd >= 0) break;
      scanned = this.#have;
      await this.#fill();
    }
    const head = decoder.decode(this.#buf.subarray(0, headEnd));
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
    if (!(status > 0)) throw new Error(`malformed response: ${head.slice(0, 200)}`);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    // 204 and 304 have no body, whatever the headers say.
    const noBody = status === 204 || status === 304;
    if (!length && !noBody) {
      throw new Error(`response without Content-Length: ${head.slice(0, 200)}`);
    }
    const total = headEnd + (noBody ? 0 : Number(length![1]));
    while (this.#have < total) await this.#fill(total);
    const body = decoder.decode(this.#buf.subarray(headEnd, total));
    this.#buf.copyWithin(0, total, this.#have);
    this.#have -= total;
    return { status, body };
  }

  /** Reads more bytes (growing the buffer to at least `need` bytes). */
  async #fill(need = 0): Promise<void> {
    if (need > this.#buf.length || this.#have === this.#buf.length) {
      const grown = new Uint8Array(Math.max(need, this.#buf.length * 2));
      grown.set(this.#buf.subarray(0, this.#have));
      this.#buf = grown;
    }
    const n = await this.#conn.read(this.#buf.subarray(this.#have));
    if (n === null) throw new Error("the server closed the connection");
    this.#have += n;
  }
}
