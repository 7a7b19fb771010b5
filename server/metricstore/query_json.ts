/**
 * JSON encoding of query responses straight into bytes, in the original's
 * number formats: data values with 3 decimals (`schema.FloatArray`),
 * avg/min/max with 2 decimals (`schema.Float`), NaN as `null`, a trailing
 * newline as Go's encoder writes. No string per value is created.
 *
 * @module
 */
import type { APIMetricData, APIQueryResponse } from "./query_types.ts";

const encoder = new TextEncoder();
const POW = [1, 10, 100, 1000];

const NULL = [110, 117, 108, 108];

/**
 * Writes `v` with `decimals` (0-3) fractional digits at `pos` (room for 40
 * bytes needed) and returns the new position; -1 when the value needs
 * {@link slowFixed} (huge, or so close to a rounding tie that the scaled
 * double cannot decide it).
 */
export function writeFixed(buf: Uint8Array, pos: number, v: number, decimals: number): number {
  if (v !== v || v === Infinity || v === -Infinity) {
    // JSON has no infinities; the original would fail, null at least parses.
    for (let i = 0; i < 4; i++) buf[pos + i] = NULL[i];
    return pos + 4;
  }
  const negative = v < 0 || (v === 0 && 1 / v < 0);
  const scaled = (negative ? -v : v) * POW[decimals];
  let n = Math.round(scaled);
  const d = n - scaled;
  if (n > 9e15 || (d > 0.5 - 1e-9 - scaled * 1e-15 && d < 0.5 + 1e-9 + scaled * 1e-15)) return -1;
  if (negative) buf[pos++] = 45;
  const scale = POW[decimals];
  if (n < 2147483648) {
    // Common case: int32 arithmetic, two digits per division.
    const m = n | 0;
    const whole = (m / scale) | 0;
    pos = writeSmallUint(buf, pos, whole);
    if (decimals > 0) {
      let frac = m - whole * scale;
      buf[pos] = 46;
      for (let k = decimals; k > 0; k--) {
        const q = (frac / 10) | 0;
        buf[pos + k] = 48 + frac - q * 10;
        frac = q;
      }
      pos += decimals + 1;
    }
    return pos;
  }
  // Digits right to left: `decimals` fraction digits, the point, then the integer digits.
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  const width = Math.max(digits, decimals + 1) + (decimals > 0 ? 1 : 0);
  let i = pos + width - 1;
  for (let k = 0; k < decimals; k++) {
    const q = Math.floor(n / 10);
    buf[i--] = 48 + n - q * 10;
    n = q;
  }
  if (decimals > 0) buf[i--] = 46;
  do {
    const q = Math.floor(n / 10);
    buf[i--] = 48 + n - q * 10;
    n = q;
  } while (n > 0);
  return pos + width;
}

/** Two ASCII digits per value 0-99. */
const PAIRS = Uint8Array.from(
  { length: 200 },
  (_, i) => 48 + (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10),
);

/** Writes a non-negative int32 in decimal at `pos`; returns the new position. */
function writeSmallUint(buf: Uint8Array, pos: number, m: number): number {
  const digits = m < 100000
    ? (m < 100 ? (m < 10 ? 1 : 2) : m < 1000 ? 3 : m < 10000 ? 4 : 5)
    : m < 10000000
    ? (m < 1000000 ? 6 : 7)
    : m < 100000000
    ? 8
    : m < 1000000000
    ? 9
    : 10;
  let i = pos + digits;
  while (m >= 100) {
    const q = (m / 100) | 0;
    const r = (m - q * 100) << 1;
    buf[--i] = PAIRS[r + 1];
    buf[--i] = PAIRS[r];
    m = q;
  }
  if (m >= 10) {
    buf[--i] = PAIRS[(m << 1) + 1];
    buf[--i] = PAIRS[m << 1];
  } else {
    buf[--i] = 48 + m;
  }
  return pos + digits;
}

/** The exact (string) formatting for values {@link writeFixed} declines. */
function slowFixed(v: number, decimals: number): string {
  if (Math.abs(v) < 1e21) return v.toFixed(decimals);
  return BigInt(v).toString() + (decimals > 0 ? "." + "0".repeat(decimals) : "");
}

/** A growable byte buffer with ASCII writers. */
export class ByteWriter {
  buf: Uint8Array;
  length = 0;

  constructor(initial = 4096) {
    this.buf = new Uint8Array(initial);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** Appends an ASCII (or any, UTF-8 encoded) string. */
  text(s: string): void {
    this.reserve(s.length * 3);
    this.length += encoder.encodeInto(s, this.buf.subarray(this.length)).written;
  }

  /** Appends an integer in decimal. */
  int(v: number): void {
    if (Number.isSafeInteger(v)) this.#digits(v);
    else this.text(String(Math.trunc(v)));
  }

  /** Appends `v` with `decimals` (0-3) fractional digits, or `null` for NaN and infinities. */
  fixed(v: number, decimals: number): void {
    this.reserve(40);
    const pos = writeFixed(this.buf, this.length, v, decimals);
    if (pos >= 0) this.length = pos;
    else this.text(slowFixed(v, decimals));
  }

  /** The written bytes (a view). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  #digits(v: number): void {
    this.reserve(24);
    const buf = this.buf;
    if (v < 0) {
      buf[this.length++] = 45;
      v = -v;
    }
    if (v < 10) {
      buf[this.length++] = 48 + v;
      return;
    }
    let n = 0;
    for (let x = v; x >= 1; x = Math.floor(x / 10)) n++;
    let pos = this.length + n - 1;
    for (let x = v; x >= 1; x = Math.floor(x / 10)) buf[pos--] = 48 + (x % 10);
    this.length += n;
  }
}

/** Writes one result entry in the original's key order. */
export function writeMetricData(w: ByteWriter, d: APIMetricData): void {
  w.text("{");
  if (d.error !== undefined) w.text(`"error":${JSON.stringify(d.error)},`);
  const data = d.data;
  if (data !== undefined && data.length > 0) {
    w.text('"data":[');
    w.reserve(data.length * 41);
    let buf = w.buf;
    let pos = w.length;
    for (let i = 0; i < data.length; i++) {
      if (i > 0) buf[pos++] = 44;
      const next = writeFixed(buf, pos, data[i], 3);
      if (next >= 0) {
        pos = next;
      } else {
        w.length = pos;
        w.text(slowFixed(data[i], 3));
        pos = w.length;
        buf = w.buf;
      }
    }
    w.length = pos;
    w.text("],");
  }
  w.text('"from":');
  w.int(d.from);
  w.text(',"to":');
  w.int(d.to);
  w.text(',"resolution":');
  w.int(d.resolution);
  w.text(',"avg":');
  w.fixed(d.avg, 2);
  w.text(',"min":');
  w.fixed(d.min, 2);
  w.text(',"max":');
  w.fixed(d.max, 2);
  w.text("}");
}

/** Encodes a query response as cc-metric-store does (with trailing newline). */
export function encodeQueryResponse(res: APIQueryResponse): Uint8Array {
  const w = new ByteWriter(64 * 1024);
  w.text("{");
  if (res.queries !== undefined && res.queries.length > 0) {
    w.text(`"queries":${JSON.stringify(res.queries)},`);
  }
  w.text('"results":[');
  res.results.forEach((row, i) => {
    if (i > 0) w.text(",");
    w.text("[");
    row.forEach((entry, j) => {
      if (j > 0) w.text(",");
      writeMetricData(w, entry);
    });
    w.text("]");
  });
  w.text("]}\n");
  return w.bytes();
}
