/**
 * Number parsing straight from bytes for the line-protocol hot path: field
 * values (float, `i` integer, `u` unsigned, `NaN`) and timestamps, without
 * creating a string except for rare long mantissas.
 *
 * @module
 */

const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const INT64_MAX = "9223372036854775807";
const INT64_MIN_ABS = "9223372036854775808";
const UINT64_MAX = "18446744073709551615";
const latin1 = new TextDecoder("latin1");

/** Compares the digits `buf[start, start+n)` with the first `n` characters of `limit`. */
function digitsAbove(buf: Uint8Array, start: number, n: number, limit: string): boolean {
  for (let i = 0; i < n; i++) {
    const d = buf[start + i];
    const l = limit.charCodeAt(i);
    if (d !== l) return d > l;
  }
  return false;
}

/** Lower-cased ASCII comparison of `buf[start, end)` with `word` (lower case). */
function equalsIgnoreCase(buf: Uint8Array, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) {
    if ((buf[start + i] | 0x20) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** Parses field values and timestamps; results land in `value` or `error`. */
export class NumberParser {
  /** The parsed value (valid when the last call returned true). */
  value = 0;
  /** Why the last call returned false. */
  error = "";
  #negative = false;
  #mant = 0;
  #sig = 0;
  #exp10 = 0;
  #digits = 0;

  /**
   * Parses a field value: `1.5`, `-2e3`, `.5`, `42i`, `42u`, `NaN`. Strings,
   * booleans, infinities and out-of-range integers are errors.
   */
  parseValue(buf: Uint8Array, start: number, end: number): boolean {
    if (start >= end) return this.#fail("missing field value");
    const last = buf[end - 1];
    if (last === 105 /* i */ || last === 117 /* u */) return this.#parseInteger(buf, start, end);
    let p = this.#scanDecimal(buf, start, end);
    const negative = this.#negative;
    const mant = this.#mant;
    const sig = this.#sig;
    let exp10 = this.#exp10;
    const digits = this.#digits;
    if (digits === 0) return this.#special(buf, start, end);
    if (p < end && (buf[p] | 0x20) === 101 /* e */) {
      p++;
      let expNegative = false;
      if (p < end && (buf[p] === 45 || buf[p] === 43)) {
        expNegative = buf[p] === 45;
        p++;
      }
      let e = 0;
      const expStart = p;
      while (p < end) {
        const d = buf[p] - 48;
        if (d < 0 || d > 9) break;
        if (e < 100000) e = e * 10 + d;
        p++;
      }
      if (p === expStart) return this.#invalid(buf, start, end);
      exp10 += expNegative ? -e : e;
    }
    if (p !== end) return this.#invalid(buf, start, end);
    let v: number;
    if (mant === 0) {
      v = 0;
    } else if (sig <= 15 && exp10 >= -22 && exp10 <= 22) {
      // Both operands exact, so one rounding: the correctly rounded result.
      v = exp10 < 0 ? mant / POW10[-exp10] : mant * POW10[exp10];
    } else {
      v = Math.abs(Number(latin1.decode(buf.subarray(start, end))));
    }
    if (!Number.isFinite(v)) {
      return this.#fail(`value ${this.#text(buf, start, end)} is not finite`);
    }
    this.value = negative ? -v : v;
    return true;
  }

  /**
   * The common field value in one pass: a plain decimal (`12`, `-0.25`, at
   * most 15 significant digits) followed by a space at or after `start`.
   * Returns the offset of that space with `value` set exactly as
   * {@link parseValue} would, or -1 for anything else (nothing set; the
   * caller parses the value the general way).
   */
  parsePlainDecimal(buf: Uint8Array, start: number, end: number): number {
    const p = this.#scanDecimal(buf, start, end);
    const mant = this.#mant;
    const exp10 = this.#exp10;
    if (this.#digits === 0 || this.#sig > 15 || exp10 < -22 || p >= end || buf[p] !== 32) {
      return -1;
    }
    const v = mant === 0 ? 0 : exp10 < 0 ? mant / POW10[-exp10] : mant;
    this.value = this.#negative ? -v : v;
    return p;
  }

  /**
   * Scans an optional sign, digits and a fraction from `start`: the first
   * 16 significant digits into `#mant`, the power of ten into `#exp10`.
   * Returns where the scan stopped.
   */
  #scanDecimal(buf: Uint8Array, start: number, end: number): number {
    let p = start;
    let negative = false;
    if (p < end && (buf[p] === 45 || buf[p] === 43)) {
      negative = buf[p] === 45;
      p++;
    }
    let mant = 0;
    let sig = 0;
    let exp10 = 0;
    let digits = 0;
    while (p < end) {
      const d = buf[p] - 48;
      if (d < 0 || d > 9) break;
      if (sig > 0 || d > 0) {
        if (sig < 16) mant = mant * 10 + d;
        else exp10++;
        sig++;
      }
      digits++;
      p++;
    }
    if (p < end && buf[p] === 46 /* . */) {
      p++;
      while (p < end) {
        const d = buf[p] - 48;
        if (d < 0 || d > 9) break;
        if (sig > 0 || d > 0) {
          if (sig < 16) {
            mant = mant * 10 + d;
            exp10--;
          }
          sig++;
        } else {
          exp10--;
        }
        digits++;
        p++;
      }
    }
    this.#negative = negative;
    this.#mant = mant;
    this.#sig = sig;
    this.#exp10 = exp10;
    this.#digits = digits;
    return p;
  }

  /**
   * Parses a timestamp and converts it to whole seconds. The precision is
   * detected from the magnitude as cc-backend intends: seconds while the value
   * times 1e9 fits an int64 nanosecond count, else milliseconds, else
   * microseconds, else nanoseconds. Negative values are errors.
   */
  parseTimestamp(buf: Uint8Array, start: number, end: number): boolean {
    // Fast path: 1 to 10 plain digits below 9,000,000,000 are seconds (the common case).
    const len = end - start;
    if (len > 0 && len <= 10 && buf[start] !== 48 && (len < 10 || buf[start] < 57)) {
      let s = 0;
      let i = start;
      for (; i < end; i++) {
        const d = buf[i] - 48;
        if (d < 0 || d > 9) break;
        s = s * 10 + d;
      }
      if (i === end) {
        this.value = s;
        return true;
      }
    }
    let p = start;
    if (buf[p] === 45) return this.#fail("negative timestamps are not supported");
    while (p < end - 1 && buf[p] === 48) p++;
    const n = end - p;
    for (let i = p; i < end; i++) {
      if (buf[i] < 48 || buf[i] > 57) {
        return this.#fail(`invalid timestamp ${this.#text(buf, start, end)}`);
      }
    }
    if (n > 19 || (n === 19 && digitsAbove(buf, p, 19, INT64_MAX))) {
      return this.#fail(`timestamp ${this.#text(buf, start, end)} is out of range`);
    }
    let drop = 0;
    if (n > 10 || (n === 10 && digitsAbove(buf, p, 10, INT64_MAX))) drop = 3;
    if (n > 13 || (n === 13 && digitsAbove(buf, p, 13, INT64_MAX))) drop = 6;
    if (n > 16 || (n === 16 && digitsAbove(buf, p, 16, INT64_MAX))) drop = 9;
    let s = 0;
    for (let i = p; i < end - drop; i++) s = s * 10 + (buf[i] - 48);
    this.value = s;
    return true;
  }

  #parseInteger(buf: Uint8Array, start: number, end: number): boolean {
    const unsigned = buf[end - 1] === 117;
    let p = start;
    let negative = false;
    if (!unsigned && (buf[p] === 45 || buf[p] === 43)) {
      negative = buf[p] === 45;
      p++;
    }
    const digitsEnd = end - 1;
    if (p === digitsEnd) return this.#invalid(buf, start, end);
    while (p < digitsEnd - 1 && buf[p] === 48) p++;
    let v = 0;
    for (let i = p; i < digitsEnd; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) return this.#invalid(buf, start, end);
      v = v * 10 + d;
    }
    const n = digitsEnd - p;
    const limit = unsigned ? UINT64_MAX : negative ? INT64_MIN_ABS : INT64_MAX;
    if (n > limit.length || (n === limit.length && digitsAbove(buf, p, n, limit))) {
      return this.#fail(`integer ${this.#text(buf, start, end)} is out of range`);
    }
    // Beyond 15 digits the running product rounds more than once; let Number() round once.
    if (n > 15) v = Number(latin1.decode(buf.subarray(p, digitsEnd)));
    this.value = negative ? -v : v;
    return true;
  }

  #special(buf: Uint8Array, start: number, end: number): boolean {
    let p = start;
    if (buf[p] === 45 || buf[p] === 43) p++;
    if (equalsIgnoreCase(buf, p, end, "nan")) {
      this.value = NaN;
      return true;
    }
    if (equalsIgnoreCase(buf, p, end, "inf") || equalsIgnoreCase(buf, p, end, "infinity")) {
      return this.#fail(`value ${this.#text(buf, start, end)} is not finite`);
    }
    if (
      equalsIgnoreCase(buf, start, end, "t") || equalsIgnoreCase(buf, start, end, "true") ||
      equalsIgnoreCase(buf, start, end, "f") || equalsIgnoreCase(buf, start, end, "false")
    ) {
      return this.#fail("boolean values are not supported");
    }
    return this.#invalid(buf, start, end);
  }

  #invalid(buf: Uint8Array, start: number, end: number): boolean {
    return this.#fail(`invalid number ${this.#text(buf, start, end)}`);
  }

  #text(buf: Uint8Array, start: number, end: number): string {
    const max = 64;
    const text = latin1.decode(buf.subarray(start, Math.min(end, start + max)));
    return JSON.stringify(end - start > max ? `${text}...` : text);
  }

  #fail(reason: string): boolean {
    this.error = reason;
    return false;
  }
}
