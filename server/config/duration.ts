/**
 * Go duration strings (`time.ParseDuration`) as used throughout config.json:
 * `"2000h"`, `"1h30m"`, `"1.5h"`, `"500ms"`, `"0"`.
 *
 * @module
 */

const NS_PER_UNIT: Record<string, bigint> = {
  "ns": 1n,
  "us": 1_000n,
  "\u00b5s": 1_000n, // micro sign
  "\u03bcs": 1_000n, // Greek small letter mu
  "ms": 1_000_000n,
  "s": 1_000_000_000n,
  "m": 60_000_000_000n,
  "h": 3_600_000_000_000n,
};

const MAX_NS = (1n << 63n) - 1n;
const ELEMENT = /^(\d*)(?:\.(\d*))?([^\d.]*)/;

/**
 * Parses a Go duration string and returns it in milliseconds (fractional for
 * sub-millisecond parts).
 *
 * Accepts what Go's `time.ParseDuration` accepts: an optional sign, then one
 * or more `<number><unit>` elements with units `ns`, `us`/`µs`, `ms`, `s`,
 * `m`, `h`; the bare string `"0"` means zero. A leading `-` yields a negative
 * value, as in Go; callers that need a non-negative duration check the sign.
 *
 * @throws {Error} naming the input when it is not a valid duration.
 */
export function parseDuration(text: string): number {
  const fail = (why: string): never => {
    throw new Error(`invalid duration ${JSON.stringify(text)}: ${why}`);
  };
  let rest = text;
  let negative = false;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    negative = rest[0] === "-";
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") fail("expected a number followed by a unit such as 300s, 1h30m or 1.5h");

  let total = 0n;
  while (rest !== "") {
    const match = ELEMENT.exec(rest);
    const [whole, intDigits, fracDigits, unit] = match ?? ["", "", undefined, ""];
    if (intDigits === "" && !fracDigits) fail(`expected a number at ${JSON.stringify(rest)}`);
    if (unit === "") {
      fail(`missing unit after ${JSON.stringify(whole)} (use ns, us, ms, s, m or h)`);
    }
    const perUnit = NS_PER_UNIT[unit];
    if (perUnit === undefined) fail(`unknown unit ${JSON.stringify(unit)}`);
    total += BigInt(intDigits || "0") * perUnit;
    if (fracDigits) {
      // Truncate like Go: the fraction contributes whole nanoseconds only.
      total += BigInt(fracDigits) * perUnit / 10n ** BigInt(fracDigits.length);
    }
    if (total > MAX_NS) fail("out of range (longer than about 292 years)");
    rest = rest.slice(whole.length);
  }
  const ms = Number(total / 1_000_000n) + Number(total % 1_000_000n) / 1e6;
  return negative ? -ms : ms;
}

/** Reports whether `text` parses as a Go duration (see {@link parseDuration}). */
export function isDuration(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}
