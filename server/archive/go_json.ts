/**
 * Number and string formatting that matches Go's `encoding/json` and cc-lib's `schema.Float`,
 * so that files we write look like the ones cc-backend writes.
 *
 * @module
 */

const HTML_CHARS = /[<>&\u2028\u2029]/g;
const HTML_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * Applies Go's HTML-safe escaping to JSON text. The escaped characters can only occur inside
 * string literals, so this is safe on a whole document.
 */
export function escapeGoJson(json: string): string {
  HTML_CHARS.lastIndex = 0;
  return HTML_CHARS.test(json) ? json.replace(HTML_CHARS, (c) => HTML_ESCAPES[c]) : json;
}

/** A JSON string literal as Go writes it. */
export function goString(s: string): string {
  return escapeGoJson(JSON.stringify(s));
}

/** A float64 as Go writes it (shortest round-trip form); NaN and ±Inf become `null`. */
export function goFloat(x: number): string {
  if (!Number.isFinite(x)) return "null";
  return x === 0 && 1 / x < 0 ? "-0" : String(x);
}

/**
 * A number with exactly two decimals, rounded like Go's `strconv.AppendFloat(x, 'f', 2, 64)`
 * (correct rounding of the exact binary value, ties to even); NaN and ±Inf become `null`.
 */
export function fixed2(x: number): string {
  if (x !== x || x === Infinity || x === -Infinity) return "null";
  const neg = x < 0 || (x === 0 && 1 / x < 0);
  const a = neg ? -x : x;
  let s: string;
  if (a >= 1e21) {
    s = BigInt(a).toString() + ".00";
  } else {
    // The only exact ties at two decimals are odd multiples of 1/8; toFixed rounds those up
    // while Go rounds to even.
    const t = a * 8;
    if (t < 2 ** 49 && Number.isInteger(t) && t % 2 === 1) {
      const lo = Math.floor(a * 100);
      const n = lo % 2 === 0 ? lo : lo + 1;
      s = `${Math.floor(n / 100)}.${String(n % 100).padStart(2, "0")}`;
    } else {
      s = a.toFixed(2);
    }
  }
  return neg ? "-" + s : s;
}

/** Like {@link fixed2} after rounding to float32, as cc-lib writes series data. */
export function fixed2f32(x: number): string {
  return fixed2(Math.fround(x));
}
