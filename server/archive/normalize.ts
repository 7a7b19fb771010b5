/**
 * The importer's unit normalisation (cc-backend `internal/importer/normalize.go`): scale a
 * value into [1, 1000] by powers of 1000 and shift the SI prefix accordingly. cc-backend
 * does not apply it on any import path; it is kept for parity.
 *
 * @module
 */

/** Prefix strings accepted on input (cc-lib `ccUnits`), with their value. */
const INPUT_PREFIXES: [RegExp, number][] = [
  [/^$/, 1],
  [/^[kK]$/, 1e3],
  [/^M$/, 1e6],
  [/^[gG]$/, 1e9],
  [/^[tT]$/, 1e12],
  [/^[pP]$/, 1e15],
  [/^[eE]$/, 1e18],
  [/^[zZ]$/, 1e21],
  [/^[yY]$/, 1e24],
  [/^m$/, 1e-3],
  [/^u$/, 1e-6],
  [/^n$/, 1e-9],
  [/^[kK]i$/, 2 ** 10],
  [/^Mi$/, 2 ** 20],
  [/^[gG]i$/, 2 ** 30],
  [/^[tT]i$/, 2 ** 40],
  [/^[pP]i$/, 2 ** 50],
  [/^[eE]i$/, 2 ** 60],
  [/^[zZ]i$/, 2 ** 70],
  [/^[yY]i$/, 2 ** 80],
];

/** Short prefix per decimal exponent. */
const OUTPUT_PREFIXES = new Map<number, string>([
  [0, ""],
  [3, "K"],
  [6, "M"],
  [9, "G"],
  [12, "T"],
  [15, "P"],
  [18, "E"],
  [21, "Z"],
  [24, "Y"],
  [-3, "m"],
  [-6, "u"],
  [-9, "n"],
]);

/** Value of a prefix string; 0 (cc-lib's "invalid prefix") when unknown. */
function prefixValue(prefix: string): number {
  return INPUT_PREFIXES.find(([re]) => re.test(prefix))?.[1] ?? 0;
}

/** Exponent of 10 to multiply `v` with so that it ends up in [1, 1000]; 0 for v <= 0. */
function normalizationExponent(v: number): number {
  if (!(v > 0)) return 0;
  let count = 0;
  if (v > 1000) {
    while (v > 1000) {
      v *= 1e-3;
      count--;
    }
  } else {
    while (v < 1) {
      v *= 1e3;
      count++;
    }
  }
  return 3 * count;
}

/**
 * cc-lib's decimal exponent of a prefix: counts divisions by 1000 while the value is > 1, so
 * sub-unit and invalid prefixes count as 0 (and `Ki` as 6, a quirk kept for parity).
 */
function prefixExponent(p: number): number {
  let count = 0;
  while (p > 1) {
    p /= 1000;
    count++;
  }
  return 3 * count;
}

/**
 * Scales `avg` into [1, 1000]: returns the factor to multiply values with and the new
 * prefix, e.g. `normalize(2048, "M")` → `{ factor: 1e-3, prefix: "G" }`. When no scaling is
 * needed the prefix is returned unchanged; an unrepresentable result prefix is "inval".
 */
export function normalize(avg: number, prefix: string): { factor: number; prefix: string } {
  const e = normalizationExponent(avg);
  if (e === 0) return { factor: 1, prefix };
  const factor = Number(`1e${e}`);
  const newExp = prefixExponent(prefixValue(prefix)) - e;
  return { factor, prefix: OUTPUT_PREFIXES.get(newExp) ?? "inval" };
}
