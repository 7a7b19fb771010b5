/**
 * The write-ahead log format of cc-backend's metric store (`current.wal` in
 * `<checkpoints>/<cluster>/<host>/`), little-endian throughout:
 *
 * - file header: `u32 0xCC1DA701`;
 * - record: `u32 0xCC1DA7A1`, `u32 payloadLen`, payload, `u32 CRC-32/IEEE(payload)`;
 * - payload: `i64 ts`, `u16 nameLen` + metric name, `u8 selectorCount`, per
 *   selector element `u8 len` + bytes, `f32 value`. Cluster and host are
 *   implied by the directory.
 *
 * Reading differs from cc-backend on damage: a record whose CRC does not
 * match, or whose length is implausible, is skipped and reading resumes at
 * the next record magic (cc-backend stops at the first bad record and drops
 * everything after it). A record cut off at the end of the file is reported
 * as truncated.
 *
 * @module
 */

/** Magic number at the start of a WAL file. */
export const WAL_FILE_MAGIC = 0xCC1DA701;
/** Magic number at the start of each record. */
export const WAL_RECORD_MAGIC = 0xCC1DA7A1;
/** Payloads above this size are rejected on read (cc-backend's limit). */
export const WAL_MAX_PAYLOAD = 1 << 20;
/** Smallest possible payload: ts, empty name, no selector, value. */
const MIN_PAYLOAD = 8 + 2 + 1 + 4;

const CRC_TABLE = makeCrcTable();

/** The slice-by-4 CRC-32/IEEE tables (exported for the WAL writer worker's source). */
export function makeCrcTable(): Int32Array {
  // Slice-by-4 tables of the reflected IEEE polynomial, as int32 so that V8
  // keeps every value a small integer (uint32 entries above 2^31 would be
  // doubles on the hot path).
  const t = new Int32Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n];
    for (let k = 1; k < 4; k++) {
      c = t[c & 0xFF] ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
}

/** CRC-32/IEEE (as Go's `crc32.ChecksumIEEE`) of `buf[start, end)`. */
export function crc32(buf: Uint8Array, start: number, end: number): number {
  const t = CRC_TABLE;
  let c = -1;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
    c = t[768 + (c & 0xFF)] ^ t[512 + ((c >>> 8) & 0xFF)] ^ t[256 + ((c >>> 16) & 0xFF)] ^
      t[c >>> 24];
  }
  for (; i < end; i++) c = t[(c ^ buf[i]) & 0xFF] ^ (c >>> 8);
  return ~c >>> 0;
}

/** The 4 header bytes of a new WAL file. */
export function walFileHeader(): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, WAL_FILE_MAGIC, true);
  return b;
}

/** Writes an int64 (a safe integer) little-endian at `p`. */
export function setInt64(view: DataView, p: number, v: number): void {
  const hi = Math.floor(v / 4294967296);
  view.setUint32(p, v - hi * 4294967296, true);
  view.setInt32(p + 4, hi, true);
}

/** Reads a little-endian int64 at `p` as a number (exact up to 2^53). */
export function getInt64(view: DataView, p: number): number {
  return view.getInt32(p + 4, true) * 4294967296 + view.getUint32(p, true);
}

/** A series' constant record part, with its precomputed CRC contribution. */
export interface WalKey {
  /** `u16 nameLen`, name, `u8 selectorCount`, the selector elements. */
  bytes: Uint8Array;
  /** The same bytes as little-endian 32-bit words (zero-padded), copied 4 at a time. */
  words: Int32Array;
  /** CRC register after the key bytes from state 0. */
  crc: number;
  /** Table moving a CRC register over `bytes.length` zero bytes (shared per length). */
  zeros: Int32Array;
}

/**
 * The constant part of a record's payload for one series: `u16 nameLen`,
 * name, `u8 selectorCount`, the selector elements. Null when a name does
 * not fit the format (metric name over 65535 bytes, element over 255 bytes,
 * more than 255 elements).
 */
export function encodeSeriesKey(
  name: Uint8Array,
  selector: readonly Uint8Array[],
): Uint8Array | null {
  if (name.length > 0xFFFF || selector.length > 0xFF) return null;
  let size = 2 + name.length + 1;
  for (const s of selector) {
    if (s.length > 0xFF) return null;
    size += 1 + s.length;
  }
  const out = new Uint8Array(size);
  out[0] = name.length & 0xFF;
  out[1] = name.length >>> 8;
  out.set(name, 2);
  let p = 2 + name.length;
  out[p++] = selector.length;
  for (const s of selector) {
    out[p++] = s.length;
    out.set(s, p);
    p += s.length;
  }
  return out;
}

const ZERO_TABLES = new Map<number, Int32Array>();

/**
 * The CRC data of a series key. CRC-32 is linear: the register after the
 * key, started from state s, is `zeros(s) ^ crc(0, key)`. So each record
 * needs the CRC of its 12 variable bytes only, whatever the key length.
 */
export function walKey(bytes: Uint8Array): WalKey {
  let zeros = ZERO_TABLES.get(bytes.length);
  if (zeros === undefined) {
    zeros = new Int32Array(1024);
    for (let j = 0; j < 4; j++) {
      for (let b = 0; b < 256; b++) {
        let c = b << (8 * j);
        for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[c & 0xFF] ^ (c >>> 8);
        zeros[j * 256 + b] = c;
      }
    }
    ZERO_TABLES.set(bytes.length, zeros);
  }
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xFF] ^ (crc >>> 8);
  const words = new Int32Array(Math.ceil(bytes.length / 4));
  for (let i = 0; i < bytes.length; i++) words[i >> 2] |= bytes[i] << (8 * (i & 3));
  return { bytes, words, crc, zeros };
}

/** Bytes of a whole record whose series key has `keyLength` bytes. */
export function recordSize(keyLength: number): number {
  return 8 + 8 + keyLength + 4 + 4;
}

/** Spare bytes {@link encodeRecord} may touch past a record (its word-wise key copy). */
export const RECORD_SLACK = 4;

/** One slice-by-4 CRC step over the 32-bit word `w` (little-endian bytes). */
export function crcWord(c: number, w: number): number {
  const t = CRC_TABLE;
  c ^= w;
  return t[768 + (c & 0xFF)] ^ t[512 + ((c >>> 8) & 0xFF)] ^ t[256 + ((c >>> 16) & 0xFF)] ^
    t[c >>> 24];
}

const F32 = new Float32Array(1);
const F32_BITS = new Int32Array(F32.buffer);
const MAGIC = WAL_RECORD_MAGIC | 0;

/**
 * Encodes one record at `p` of the buffer `view` covers and returns the
 * offset after it. Room for {@link recordSize} plus {@link RECORD_SLACK}
 * bytes must exist. Whole 32-bit stores and a CRC over the three variable
 * words only: the ingest hot path.
 */
export function encodeRecord(
  view: DataView,
  p: number,
  key: WalKey,
  ts: number,
  value: number,
): number {
  const n = key.bytes.length;
  view.setInt32(p, MAGIC, true);
  view.setInt32(p + 4, 12 + n, true);
  const hi = Math.floor(ts / 4294967296);
  const lo = (ts - hi * 4294967296) | 0;
  view.setInt32(p + 8, lo, true);
  view.setInt32(p + 12, hi, true);
  // The last word may run up to 3 bytes past the key: the value overwrites them.
  const words = key.words;
  const at = p + 16;
  for (let i = 0; i < words.length; i++) view.setInt32(at + 4 * i, words[i], true);
  const q = at + n;
  F32[0] = value;
  const bits = F32_BITS[0];
  view.setInt32(q, bits, true);
  let c = crcWord(crcWord(-1, lo), hi);
  const z = key.zeros;
  c = z[c & 0xFF] ^ z[256 + ((c >>> 8) & 0xFF)] ^ z[512 + ((c >>> 16) & 0xFF)] ^
    z[768 + (c >>> 24)] ^ key.crc;
  view.setInt32(q + 4, ~crcWord(c, bits), true);
  return q + 8;
}

/** One decoded record; `key*` is the series key's byte range in the file buffer. */
export interface WalRecord {
  ts: number;
  value: number;
  /** Byte range of the metric name. */
  nameStart: number;
  nameEnd: number;
  /** Byte range of the series key (name and selector, as {@link encodeSeriesKey}). */
  keyStart: number;
  keyEnd: number;
  /** Byte ranges of the selector elements, as [start, end] pairs. */
  selector: number[];
}

/** What reading a WAL file found. */
export interface WalReadResult {
  records: number;
  /** Records skipped for a CRC mismatch or a malformed payload. */
  corrupt: number;
  /** Bytes skipped while searching for the next record after damage. */
  skippedBytes: number;
  /** True when the file ended inside a record (a write cut off by a crash). */
  truncated: boolean;
  /** False when the file does not start with the WAL magic (nothing was read). */
  validHeader: boolean;
}

/**
 * Calls `onRecord` for every intact record of a WAL file's bytes. The
 * record object is reused between calls.
 */
export function readWal(bytes: Uint8Array, onRecord: (r: WalRecord) => void): WalReadResult {
  const result: WalReadResult = {
    records: 0,
    corrupt: 0,
    skippedBytes: 0,
    truncated: false,
    validHeader: false,
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || view.getUint32(0, true) !== WAL_FILE_MAGIC) return result;
  result.validHeader = true;
  const rec: WalRecord = {
    ts: 0,
    value: 0,
    nameStart: 0,
    nameEnd: 0,
    keyStart: 0,
    keyEnd: 0,
    selector: [],
  };
  const end = bytes.length;
  let p = 4;
  let damaged = false;
  const resync = (from: number) => {
    // Search the next record magic (A1 A7 1D CC) after a damaged record.
    let q = from;
    while (q + 4 <= end) {
      q = bytes.indexOf(0xA1, q);
      if (q < 0 || q + 4 > end) break;
      if (bytes[q + 1] === 0xA7 && bytes[q + 2] === 0x1D && bytes[q + 3] === 0xCC) {
        result.skippedBytes += q - p;
        return q;
      }
      q++;
    }
    result.skippedBytes += end - p;
    return end;
  };
  while (p < end) {
    if (end - p < 8) {
      result.truncated = true;
      break;
    }
    if (view.getUint32(p, true) !== WAL_RECORD_MAGIC) {
      if (!damaged) result.corrupt++;
      damaged = true;
      p = resync(p + 1);
      continue;
    }
    const len = view.getUint32(p + 4, true);
    if (len > WAL_MAX_PAYLOAD || len < MIN_PAYLOAD) {
      result.corrupt++;
      damaged = true;
      p = resync(p + 1);
      continue;
    }
    if (p + 8 + len + 4 > end) {
      // Either the last record was cut off, or a damaged length points past the end.
      const next = resync(p + 1);
      if (next === end) {
        result.truncated = true;
        break;
      }
      result.corrupt++;
      p = next;
      continue;
    }
    const start = p + 8;
    const stop = start + len;
    if (
      crc32(bytes, start, stop) !== view.getUint32(stop, true) ||
      !parsePayload(bytes, view, start, stop, rec)
    ) {
      result.corrupt++;
      damaged = true;
      p = resync(p + 1);
      continue;
    }
    damaged = false;
    result.records++;
    onRecord(rec);
    p = stop + 4;
  }
  return result;
}

function parsePayload(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  stop: number,
  rec: WalRecord,
): boolean {
  rec.ts = getInt64(view, start);
  let q = start + 8;
  rec.keyStart = q;
  const nameLen = bytes[q] | (bytes[q + 1] << 8);
  q += 2;
  rec.nameStart = q;
  q += nameLen;
  rec.nameEnd = q;
  if (q + 1 > stop - 4) return false;
  const count = bytes[q++];
  const sel = rec.selector;
  sel.length = 0;
  for (let i = 0; i < count; i++) {
    if (q + 1 > stop - 4) return false;
    const n = bytes[q++];
    sel.push(q, q + n);
    q += n;
  }
  if (q !== stop - 4) return false;
  rec.keyEnd = q;
  rec.value = view.getFloat32(q, true);
  return true;
}
