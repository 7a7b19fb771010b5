/**
 * A line-protocol scanner over bytes: one call per line, results as offsets
 * into the body, no string per line.
 *
 * ```
 * <metric>[,<tag>=<value>...] value=<number>[i|u] [<timestamp>]
 * ```
 *
 * - Blank lines, comment lines (`#`, after optional leading blanks) and a
 *   `\r` before `\n` are skipped. A last line without `\n` is parsed too.
 * - `\,`, `\ ` and `\=` escape in measurement, tag keys and tag values; the
 *   caller unescapes (see {@link unescape}) only when a flag says so.
 * - Only the field `value` is accepted; any other field, a second `value`, a
 *   string or a boolean rejects the line. Lines never span `\n` (a quoted
 *   string with a newline rejects its line and the next part is its own line).
 * - The tags the store uses are located by id (`TAG_*`); others are skipped.
 * - The timestamp is optional; its precision (s/ms/µs/ns) is detected by
 *   magnitude and it is returned in whole seconds (see NumberParser).
 *
 * @module
 */
import { NumberParser } from "./parse_number.ts";

/** Tag ids: the tags the store reads. */
export const TAG_CLUSTER = 0;
export const TAG_HOST = 1;
export const TAG_TYPE = 2;
export const TAG_TYPE_ID = 3;
export const TAG_STYPE = 4;
export const TAG_STYPE_ID = 5;
/** Number of tag ids. */
export const TAG_COUNT = 6;

/** `next()` results. */
export const LINE_END = 0;
export const LINE_OK = 1;
export const LINE_ERROR = 2;
/** `nextIfSeries()` result: the next line is not of that series (nothing was consumed). */
export const LINE_MISS = 3;

const EQ = 61;
const COMMA = 44;
const SPACE = 32;
const TAB = 9;
const BACKSLASH = 92;
const NEWLINE = 10;
const CR = 13;
const HASH = 35;
const EMPTY = new Uint8Array(0);
const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder();

/** A 256-entry table: 1 for the bytes that end a scan, 0 for the others. */
function stopTable(bytes: number[]): Uint8Array {
  const t = new Uint8Array(256);
  for (const b of bytes) t[b] = 1;
  return t;
}

/** Bytes that end a measurement or tag value (or need a look: the backslash). */
const STOP_NAME = stopTable([BACKSLASH, COMMA, SPACE, NEWLINE]);
/** Bytes that end a tag or field key (or need a look: the backslash). */
const STOP_KEY = stopTable([BACKSLASH, EQ, COMMA, SPACE, NEWLINE]);
/** Bytes that end a field value. */
const STOP_VALUE = stopTable([COMMA, SPACE, NEWLINE]);

/** Bytes `buf[s, s+4)` as one little-endian 32-bit word. */
function word4(buf: Uint8Array, s: number): number {
  return buf[s] | (buf[s + 1] << 8) | (buf[s + 2] << 16) | (buf[s + 3] << 24);
}

/** The first four bytes of `text` as {@link word4} reads them. */
function wordOf(text: string): number {
  return word4(new TextEncoder().encode(text), 0);
}

const W_HOST = wordOf("host");
const W_NAME = wordOf("name");
const W_TYPE = wordOf("type");
const W_STYP = wordOf("styp");
const W_CLUS = wordOf("clus");
const W_E_ID = wordOf("e-id");
const W_VALU = wordOf("valu");
const TER = 116 | (101 << 8) | (114 << 16); // "ter"
const DASH_ID = 45 | (105 << 8) | (100 << 16); // "-id"

/** Tag id of the key `buf[s, e)`, or -1 for a tag the store ignores. */
function tagId(buf: Uint8Array, s: number, e: number): number {
  // Whole 32-bit words instead of byte loops: this runs for every tag of every line.
  switch (e - s) {
    case 4: {
      const w = word4(buf, s);
      return w === W_HOST ? TAG_HOST : w === W_TYPE ? TAG_TYPE : -1;
    }
    case 5:
      return word4(buf, s) === W_STYP && buf[s + 4] === 101 ? TAG_STYPE : -1;
    case 7: {
      const w = word4(buf, s);
      const tail = buf[s + 4] | (buf[s + 5] << 8) | (buf[s + 6] << 16);
      if (w === W_CLUS) return tail === TER ? TAG_CLUSTER : -1;
      return w === W_TYPE && tail === DASH_ID ? TAG_TYPE_ID : -1;
    }
    case 8: {
      const w = word4(buf, s);
      const tail = word4(buf, s + 4);
      if (w === W_HOST) return tail === W_NAME ? TAG_HOST : -1;
      return w === W_STYP && tail === W_E_ID ? TAG_STYPE_ID : -1;
    }
  }
  return -1;
}

/** Whether `buf[s, e)` is the field key `value`. */
function isValueKey(buf: Uint8Array, s: number, e: number): boolean {
  return e - s === 5 && word4(buf, s) === W_VALU && buf[s + 4] === 101;
}

/** Decodes `buf[start, end)` as UTF-8, removing line-protocol escapes when `escaped`. */
export function unescape(buf: Uint8Array, start: number, end: number, escaped: boolean): string {
  if (!escaped) return utf8.decode(buf.subarray(start, end));
  const out = new Uint8Array(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === BACKSLASH && i + 1 < end) {
      const d = buf[i + 1];
      if (d === COMMA || d === SPACE || d === EQ) {
        out[n++] = d;
        i++;
        continue;
      }
    }
    out[n++] = c;
  }
  return utf8.decode(out.subarray(0, n));
}

/** Scans a body line by line; read the public fields after `next()` returned LINE_OK. */
export class LineParser {
  /** 1-based number of the line last returned. */
  lineNo = 0;
  measStart = 0;
  measEnd = 0;
  measEscaped = false;
  /** End of the series part (measurement and tags): the space before the fields. */
  seriesEnd = 0;
  /** Value offsets by tag id; `tagStart[id] < 0` when the tag is absent. */
  readonly tagStart = new Int32Array(TAG_COUNT);
  readonly tagEnd = new Int32Array(TAG_COUNT);
  /** Bit `1 << id` set when the tag value contains a backslash. */
  tagEscaped = 0;
  value = 0;
  /** Seconds, or -1 when the line has no timestamp. */
  timestamp = -1;
  /** Why the line was rejected (after LINE_ERROR). */
  error = "";
  buf: Uint8Array = EMPTY;
  #view: DataView = new DataView(EMPTY.buffer);
  #pos = 0;
  #end = 0;
  readonly #num = new NumberParser();

  /** Starts scanning `buf[start, end)`; `lineNo` counts on from `firstLine - 1`. */
  reset(buf: Uint8Array, start = 0, end = buf.length, firstLine = 1): void {
    this.buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.#pos = start;
    this.#end = end;
    this.lineNo = firstLine - 1;
  }

  /** Offset after the last line returned. */
  get position(): number {
    return this.#pos;
  }

  /** Moves to the next line with content: LINE_OK, LINE_ERROR (see `error`) or LINE_END. */
  next(): number {
    // One pass over the bytes: the scanning loops below stop at the newline
    // themselves (finding it first would read every line twice).
    const buf = this.buf;
    const end = this.#end;
    let p = this.#pos;
    while (p < end) {
      this.lineNo++;
      while (p < end && (buf[p] === SPACE || buf[p] === TAB)) p++;
      if (p >= end) break;
      const c = buf[p];
      if (c === NEWLINE) {
        p++;
        continue;
      }
      if (c === CR && (p + 1 >= end || buf[p + 1] === NEWLINE)) {
        p += 2;
        continue;
      }
      if (c === HASH) {
        p = this.#afterLine(p);
        continue;
      }
      return this.#parseLine(p);
    }
    this.#pos = end;
    return LINE_END;
  }

  /**
   * Parses the next line if it starts right here with the series bytes
   * `bytes[at, at+len)` (`at` a multiple of 4; `words` the same memory as
   * 32-bit words) and a space: then only its fields are scanned (LINE_OK or
   * LINE_ERROR, `measStart` and the tags are not set). LINE_MISS when the
   * line differs; nothing is consumed then and `next()` takes the line.
   * Same bytes parse the same way, so the caller may reuse what the series
   * resolved to (see series_cache.ts).
   */
  nextIfSeries(words: Int32Array, bytes: Uint8Array, at: number, len: number): number {
    const buf = this.buf;
    const end = this.#end;
    const p = this.#pos;
    const q = p + len;
    if (q >= end || buf[q] !== SPACE) return LINE_MISS;
    const view = this.#view;
    const n = len >> 2;
    const w = at >> 2;
    for (let i = 0; i < n; i++) {
      if (view.getInt32(p + 4 * i, true) !== words[w + i]) return LINE_MISS;
    }
    for (let i = n << 2; i < len; i++) if (buf[p + i] !== bytes[at + i]) return LINE_MISS;
    this.lineNo++;
    this.seriesEnd = q;
    let r = q + 1;
    while (r < end && buf[r] === SPACE) r++;
    if (this.#atLineEnd(r)) return this.#fail("missing field value", r);
    return this.#parseFields(r);
  }

  /** The text of a byte range for messages (truncated). */
  text(start: number, end: number): string {
    const max = 64;
    const s = latin1.decode(this.buf.subarray(start, Math.min(end, start + max)));
    return end - start > max ? `${s}...` : s;
  }

  /** Offset after the newline that ends the line containing `p` (or the end). */
  #afterLine(p: number): number {
    const nl = this.buf.indexOf(NEWLINE, p);
    return nl < 0 || nl >= this.#end ? this.#end : nl + 1;
  }

  /** Offset of the end of the line's content from `p` on: its newline, less a CR before it. */
  #contentEnd(p: number): number {
    let e = this.#afterLine(p);
    if (e > p && this.buf[e - 1] === NEWLINE) e--;
    if (e > p && this.buf[e - 1] === CR) e--;
    return e;
  }

  /** Whether `p` is where the line ends: a newline, a CR before one, or the end. */
  #atLineEnd(p: number): boolean {
    const end = this.#end;
    if (p >= end) return true;
    const c = this.buf[p];
    return c === NEWLINE || (c === CR && (p + 1 >= end || this.buf[p + 1] === NEWLINE));
  }

  /** Ends a good line at `p` (its end): the next line starts after the newline. */
  #ok(p: number): number {
    const buf = this.buf;
    const end = this.#end;
    if (p < end && buf[p] === CR) p++;
    if (p < end && buf[p] === NEWLINE) p++;
    this.#pos = p;
    return LINE_OK;
  }

  /** Where the tag or field key from `p` ends: `=`, `,`, space, newline or the end. */
  #keyEnd(p: number): number {
    const buf = this.buf;
    const end = this.#end;
    while (p < end) {
      const c = buf[p];
      if (STOP_KEY[c] === 0) {
        p++;
        continue;
      }
      if (c !== BACKSLASH) break;
      // An escaped newline is not: the line ends there.
      p += buf[p + 1] === NEWLINE ? 1 : 2;
    }
    return p;
  }

  #parseLine(p: number): number {
    const buf = this.buf;
    const end = this.#end;
    this.measStart = p;
    let escaped = false;
    while (p < end) {
      const c = buf[p];
      if (STOP_NAME[c] === 0) {
        p++;
        continue;
      }
      if (c === BACKSLASH) {
        escaped = true;
        // An escaped newline is not: the line ends there.
        p += buf[p + 1] === NEWLINE ? 1 : 2;
        continue;
      }
      if (c === COMMA || c === SPACE || c === NEWLINE) break;
      p++;
    }
    if (p > end) p = end;
    this.measEnd = p;
    this.measEscaped = escaped;
    if (p === this.measStart) return this.#fail("missing measurement (metric name)", p);
    const tagStart = this.tagStart;
    const tagEnd = this.tagEnd;
    // Six stores beat a fill() call on this path.
    tagStart[0] =
      tagStart[1] =
      tagStart[2] =
      tagStart[3] =
      tagStart[4] =
      tagStart[5] =
        -1;
    this.tagEscaped = 0;
    if (p < end && buf[p] === COMMA) {
      p++;
      for (;;) {
        const keyStart = p;
        p = this.#keyEnd(p);
        if (p >= end || buf[p] !== EQ) {
          const shown = Math.min(p, this.#contentEnd(keyStart));
          return this.#fail(`tag ${JSON.stringify(this.text(keyStart, shown))} has no value`, p);
        }
        const keyEnd = p++;
        if (keyEnd === keyStart) return this.#fail("empty tag key", p);
        const valueStart = p;
        let valueEscaped = false;
        while (p < end) {
          const c = buf[p];
          if (STOP_NAME[c] === 0) {
            p++;
            continue;
          }
          if (c !== BACKSLASH) break;
          valueEscaped = true;
          p += buf[p + 1] === NEWLINE ? 1 : 2;
        }
        if (p > end) p = end;
        if (p === valueStart || this.#atLineEnd(valueStart)) {
          return this.#fail(
            `tag ${JSON.stringify(this.text(keyStart, keyEnd))} has an empty value`,
            p,
          );
        }
        const id = tagId(buf, keyStart, keyEnd);
        if (id >= 0) {
          tagStart[id] = valueStart;
          tagEnd[id] = p;
          if (valueEscaped) this.tagEscaped |= 1 << id;
          else this.tagEscaped &= ~(1 << id);
        }
        if (p >= end || buf[p] !== COMMA) break;
        p++;
      }
    }
    this.seriesEnd = p;
    while (p < end && buf[p] === SPACE) p++;
    if (this.#atLineEnd(p)) return this.#fail("missing field value", p);
    return this.#parseFields(p);
  }

  #parseFields(p: number): number {
    const buf = this.buf;
    const end = this.#end;
    // The common line has one field, `value=`: check its key as one word.
    if (p + 6 < end && word4(buf, p) === W_VALU && buf[p + 4] === 101 && buf[p + 5] === EQ) {
      const valueStart = p + 6;
      // Commonest of all: a plain decimal, one space, a 10-digit timestamp, the newline.
      const space = this.#num.parsePlainDecimal(buf, valueStart, end);
      if (space >= 0) {
        this.value = this.#num.value;
        const ts = space + 1;
        if (
          ts + 10 < end && buf[ts + 10] === NEWLINE && this.#num.parseTimestamp(buf, ts, ts + 10)
        ) {
          this.timestamp = this.#num.value;
          this.#pos = ts + 11;
          return LINE_OK;
        }
        return this.#parseTimestamp(space);
      }
      let q = valueStart;
      while (q < end && STOP_VALUE[buf[q]] === 0) q++;
      if (q < end && buf[q] === SPACE && buf[valueStart] !== 34 /* " */) {
        if (!this.#num.parseValue(buf, valueStart, q)) return this.#fail(this.#num.error, q);
        this.value = this.#num.value;
        return this.#parseTimestamp(q);
      }
    }
    let seen = false;
    for (;;) {
      const keyStart = p;
      p = this.#keyEnd(p);
      if (p >= end || buf[p] !== EQ) {
        const shown = Math.min(p, this.#contentEnd(keyStart));
        return this.#fail(`field ${JSON.stringify(this.text(keyStart, shown))} has no value`, p);
      }
      if (!isValueKey(buf, keyStart, p)) {
        return this.#fail(
          `unknown field ${JSON.stringify(this.text(keyStart, p))} (only "value" is accepted)`,
          p,
        );
      }
      if (seen) return this.#fail(`field "value" given twice`, p);
      seen = true;
      p++;
      if (p < end && buf[p] === 34 /* " */) return this.#fail("string values are not supported", p);
      const valueStart = p;
      while (p < end && STOP_VALUE[buf[p]] === 0) p++;
      // A CR before the newline ends the line, not the number.
      const valueEnd = p > valueStart && buf[p - 1] === CR && this.#atLineEnd(p) ? p - 1 : p;
      if (!this.#num.parseValue(buf, valueStart, valueEnd)) return this.#fail(this.#num.error, p);
      this.value = this.#num.value;
      if (p < end && buf[p] === COMMA) {
        p++;
        continue;
      }
      break;
    }
    return this.#parseTimestamp(p);
  }

  /** The rest of a line after its fields (from `p`): an optional timestamp. */
  #parseTimestamp(p: number): number {
    const buf = this.buf;
    const end = this.#end;
    while (p < end && buf[p] === SPACE) p++;
    if (this.#atLineEnd(p)) {
      this.timestamp = -1;
      return this.#ok(p);
    }
    const tsStart = p;
    while (p < end) {
      const c = buf[p];
      if (c === SPACE || c === NEWLINE) break;
      p++;
    }
    const tsEnd = p > tsStart && buf[p - 1] === CR && this.#atLineEnd(p) ? p - 1 : p;
    while (p < end && (buf[p] === SPACE || buf[p] === TAB)) p++;
    if (!this.#atLineEnd(p)) {
      return this.#fail(
        `unexpected text after the timestamp: ${this.text(p, this.#contentEnd(p))}`,
        p,
      );
    }
    if (!this.#num.parseTimestamp(buf, tsStart, tsEnd)) return this.#fail(this.#num.error, p);
    this.timestamp = this.#num.value;
    return this.#ok(p);
  }

  /** Rejects the line (`p` is a position in it): the next line starts after its newline. */
  #fail(reason: string, p: number): number {
    this.error = reason;
    this.#pos = this.#afterLine(Math.min(p, this.#end));
    return LINE_ERROR;
  }
}
