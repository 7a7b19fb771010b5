/**
 * Integer parsing with Go's `strconv.ParseInt(s, 10, 64)` / `strconv.Atoi`
 * rules and error texts, which cc-backend passes through to API clients
 * (`strconv.Atoi: parsing "x": invalid syntax`).
 *
 * @module
 */

/** The outcome of {@link parseGoInt}: a 64-bit value, or Go's error text. */
export type GoIntResult = { ok: true; value: bigint } | { ok: false; error: string };

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_LIMIT = 1n << 63n;

const ESCAPES: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  '"': '\\"',
  "\\": "\\\\",
};

/** A string literal as Go's `strconv.Quote` writes it (printable Unicode kept). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

/**
 * Parses a base-10 signed 64-bit integer exactly as Go does: optional sign,
 * digits only, the first problem from the left decides between "invalid
 * syntax" and "value out of range". `fn` names the Go function in the error.
 */
export function parseGoInt(text: string, options: { fn?: "Atoi" | "ParseInt" } = {}): GoIntResult {
  const fail = (reason: string): GoIntResult => ({
    ok: false,
    error: `strconv.${options.fn ?? "ParseInt"}: parsing ${goQuote(text)}: ${reason}`,
  });
  let digits = text;
  const negative = text.startsWith("-");
  if (negative || text.startsWith("+")) digits = text.slice(1);
  if (digits === "") return fail("invalid syntax");
  let n = 0n;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return fail("invalid syntax");
    n = n * 10n + BigInt(d);
    if (n > UINT64_MAX) return fail("value out of range");
  }
  if (negative ? n > INT64_LIMIT : n >= INT64_LIMIT) return fail("value out of range");
  return { ok: true, value: negative ? -n : n };
}

/** A bigint as a number when it is exactly representable, else unchanged. */
export function narrowInt(value: bigint): number | bigint {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}
