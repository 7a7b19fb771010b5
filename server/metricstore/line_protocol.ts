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

const KEY_CLUSTER = [99, 108, 117, 115, 116, 101, 114]; // cluster
const KEY_TYPE_ID = [116, 121, 112, 101, 45, 105, 100]; // type-id
const KEY_HOSTNAME = [104, 111, 115, 116, 110, 97, 109, 101]; // hostname
const KEY_STYPE_ID = [115, 116, 121, 112, 101, 45, 105, 100]; // stype-id
const KEY_HOST = [104, 111, 115, 116]; // host
const KEY_TYPE = [116, 121, 112, 101]; // type
const KEY_STYPE = [115, 116, 121, 112, 101]; // stype
const KEY_VALUE = [118, 97, 108, 117, 101]; // value

/** Tag id of the key `buf[s, e)`, or -1 for a tag the store ignores. */
function tagId(buf: Uint8Array, s: number, e: number): number {
  const first = buf[s];
  switch (e - s) {
    case 4:
      if (first === 104) return matches(buf, s, KEY_HOST) ? TAG_HOST : -1;
      return first === 116 && matches(buf, s, KEY_TYPE) ? TAG_TYPE : -1;
    case 5:
      return first === 115 && matches(buf, s, KEY_STYPE) ? TAG_STYPE : -1;
    case 7:
      if (first === 99) return matches(buf, s, KEY_CLUSTER) ? TAG_CLUSTER : -1;
      return first === 116 && matches(buf, s, KEY_TYPE_ID) ? TAG_TYPE_ID : -1;
    case 8:
      if (first === 104) return matches(buf, s, KEY_HOSTNAME) ? TAG_HOST : -1;
      return first === 115 && matches(buf, s, KEY_STYPE_ID) ? TAG_STYPE_ID : -1;
  }
  return -1;
}

function matches(buf: Uint8Array, s: number, word: readonly number[]): boolean {
  for (let i = 1; i < word.length; i++) if (buf[s + i] !== word[i]) return false;
  return true;
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
  #pos = 0;
  #end = 0;
  readonly #num = new NumberParser();

  /** Starts scanning `buf[start, end)`; `lineNo` counts on from `firstLine - 1`. */
  reset(buf: Uint8Array, start = 0, end = buf.length, firstLine = 1): void {
    this.buf = buf;
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
    const buf = this.buf;
    const end = this.#end;
    while (this.#pos < end) {
      const start = this.#pos;
      let eol = buf.indexOf(NEWLINE, start);
      if (eol < 0 || eol > end) eol = end;
      this.#pos = eol + 1;
      this.lineNo++;
      let e = eol;
      if (e > start && buf[e - 1] === CR) e--;
      let p = start;
      while (p < e && (buf[p] === SPACE || buf[p] === TAB)) p++;
      if (p === e || buf[p] === HASH) continue;
      return this.#parseLine(p, e);
    }
    this.#pos = end;
    return LINE_END;
  }

  /** The text of a byte range for messages (truncated). */
  text(start: number, end: number): string {
    const max = 64;
    const s = latin1.decode(this.buf.subarray(start, Math.min(end, start + max)));
    return end - start > max ? `${s}...` : s;
  }

  #parseLine(p: number, e: number): number {
    const buf = this.buf;
    this.measStart = p;
    let escaped = false;
    while (p < e) {
      const c = buf[p];
      if (c === BACKSLASH) {
        escaped = true;
        p += 2;
        continue;
      }
      if (c === COMMA || c === SPACE) break;
      p++;
    }
    if (p > e) p = e;
    this.measEnd = p;
    this.measEscaped = escaped;
    if (p === this.measStart) return this.#fail("missing measurement (metric name)");
    const tagStart = this.tagStart;
    const tagEnd = this.tagEnd;
    tagStart.fill(-1);
    this.tagEscaped = 0;
    if (p < e && buf[p] === COMMA) {
      p++;
      for (;;) {
        const keyStart = p;
        while (p < e) {
          const c = buf[p];
          if (c === BACKSLASH) {
            p += 2;
            continue;
          }
          if (c === EQ || c === COMMA || c === SPACE) break;
          p++;
        }
        if (p >= e || buf[p] !== EQ) {
          return this.#fail(
            `tag ${JSON.stringify(this.text(keyStart, Math.min(p, e)))} has no value`,
          );
        }
        const keyEnd = p++;
        if (keyEnd === keyStart) return this.#fail("empty tag key");
        const valueStart = p;
        let valueEscaped = false;
        while (p < e) {
          const c = buf[p];
          if (c === BACKSLASH) {
            valueEscaped = true;
            p += 2;
            continue;
          }
          if (c === COMMA || c === SPACE) break;
          p++;
        }
        if (p > e) p = e;
        if (p === valueStart) {
          return this.#fail(
            `tag ${JSON.stringify(this.text(keyStart, keyEnd))} has an empty value`,
          );
        }
        const id = tagId(buf, keyStart, keyEnd);
        if (id >= 0) {
          tagStart[id] = valueStart;
          tagEnd[id] = p;
          if (valueEscaped) this.tagEscaped |= 1 << id;
          else this.tagEscaped &= ~(1 << id);
        }
        if (p >= e || buf[p] === SPACE) break;
        p++;
      }
    }
    while (p < e && buf[p] === SPACE) p++;
    if (p >= e) return this.#fail("missing field value");
    return this.#parseFields(p, e);
  }

  #parseFields(p: number, e: number): number {
    const buf = this.buf;
    let seen = false;
    for (;;) {
      const keyStart = p;
      while (p < e) {
        const c = buf[p];
        if (c === BACKSLASH) {
          p += 2;
          continue;
        }
        if (c === EQ || c === COMMA || c === SPACE) break;
        p++;
      }
      if (p >= e || buf[p] !== EQ) {
        return this.#fail(
          `field ${JSON.stringify(this.text(keyStart, Math.min(p, e)))} has no value`,
        );
      }
      if (p - keyStart !== 5 || buf[keyStart] !== 118 || !matches(buf, keyStart, KEY_VALUE)) {
        return this.#fail(
          `unknown field ${JSON.stringify(this.text(keyStart, p))} (only "value" is accepted)`,
        );
      }
      if (seen) return this.#fail(`field "value" given twice`);
      seen = true;
      p++;
      if (p < e && buf[p] === 34 /* " */) return this.#fail("string values are not supported");
      const valueStart = p;
      while (p < e && buf[p] !== COMMA && buf[p] !== SPACE) p++;
      if (!this.#num.parseValue(buf, valueStart, p)) return this.#fail(this.#num.error);
      this.value = this.#num.value;
      if (p < e && buf[p] === COMMA) {
        p++;
        continue;
      }
      break;
    }
    while (p < e && buf[p] === SPACE) p++;
    if (p === e) {
      this.timestamp = -1;
      return LINE_OK;
    }
    const tsStart = p;
    while (p < e && buf[p] !== SPACE) p++;
    const tsEnd = p;
    while (p < e && (buf[p] === SPACE || buf[p] === TAB)) p++;
    if (p !== e) return this.#fail(`unexpected text after the timestamp: ${this.text(p, e)}`);
    if (!this.#num.parseTimestamp(buf, tsStart, tsEnd)) return this.#fail(this.#num.error);
    this.timestamp = this.#num.value;
    return LINE_OK;
  }

  #fail(reason: string): number {
    this.error = reason;
    return LINE_ERROR;
  }
}
