/**
 * A minimal HTTP/1.1 client on a plain TCP connection, for what `fetch`
 * hides: it decompresses bodies on its own and drops `Content-Encoding`, and
 * it adds headers of its own (`Accept-Encoding`).
 *
 * @module
 */

/** A raw answer: status, lower-cased headers, and the body as sent (still encoded). */
export interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: Uint8Array;
}

function indexOf(haystack: Uint8Array, needle: number[], from = 0): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}

const CRLF = [13, 10];

/** Decodes a `Transfer-Encoding: chunked` body. */
function unchunk(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = 0;
  for (;;) {
    const end = indexOf(data, CRLF, at);
    if (end < 0) throw new Error("truncated chunked body");
    const size = parseInt(new TextDecoder().decode(data.subarray(at, end)), 16);
    if (size === 0) break;
    parts.push(data.subarray(end + 2, end + 2 + size));
    at = end + 2 + size + 2;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Sends one request with exactly `headers` (plus Host and `Connection:
 * close`) to 127.0.0.1:`port` and reads the answer until the server closes.
 */
export async function rawRequest(
  port: number,
  request: { method: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const body = new TextEncoder().encode(request.body ?? "");
    const lines = [
      `${request.method} ${request.path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      "Connection: close",
      ...Object.entries(request.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    ];
    if (request.body !== undefined) lines.push(`Content-Length: ${body.length}`);
    const head = new TextEncoder().encode(lines.join("\r\n") + "\r\n\r\n");
    await conn.write(head);
    if (body.length > 0) await conn.write(body);
    const data = new Uint8Array(await new Response(conn.readable).arrayBuffer());
    const split = indexOf(data, [13, 10, 13, 10]);
    if (split < 0) throw new Error("no end of headers in the answer");
    const [statusLine, ...headerLines] = new TextDecoder().decode(data.subarray(0, split)).split(
      "\r\n",
    );
    const headers = new Map<string, string>();
    for (const line of headerLines) {
      const colon = line.indexOf(":");
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers.set(key, headers.has(key) ? `${headers.get(key)}, ${value}` : value);
    }
    let rest: Uint8Array = data.subarray(split + 4);
    if (headers.get("transfer-encoding")?.includes("chunked")) rest = unchunk(rest);
    return { status: Number(statusLine.split(" ")[1]), headers, body: rest };
  } finally {
    try {
      conn.close();
    } catch {
      // closed by reading to the end
    }
  }
}

/** Decompresses `data` with `format` (`gzip` or `deflate`). */
export async function decompress(
  data: Uint8Array,
  format: "gzip" | "deflate",
): Promise<string> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream(format),
  );
  return await new Response(stream).text();
}
