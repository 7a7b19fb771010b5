/**
 * Node-list expressions as used in cluster.json (`subClusters[].nodes`), e.g.
 * `f[0101-0188,0201-0288],g0001` or `w11[27-45,49-63,69-72]`; `*` matches every host.
 *
 * Syntax: comma-separated terms (a comma inside `[...]` separates ranges). A term is a
 * sequence of literal parts `[A-Za-z0-9-]+` (starting with a letter or digit) and bracket
 * groups `[a-b,c-d,...]`. Both numbers of a range have the same digit count, which is the
 * zero-padded width a hostname must use at that position.
 *
 * @module
 */

/** One range of a bracket group: `start-end`, matched with exactly `digits` characters. */
interface Range {
  start: number;
  end: number;
  digits: number;
}

/** A literal part (string) or a bracket group (list of ranges). */
type Part = string | Range[];

/** A parsed node list. */
export interface NodeList {
  /** The expression as given. */
  readonly expression: string;
  /** True for `*`, which matches every hostname. */
  readonly wildcard: boolean;
  /** Whether `hostname` is one of the listed nodes. */
  contains(hostname: string): boolean;
  /** Number of listed nodes (0 for `*`, which has no finite size). */
  count(): number;
  /** All listed hostnames, in expression order ([] for `*`). */
  expand(): string[];
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function fail(expr: string, pos: number, what: string): never {
  throw new Error(`invalid node list "${expr}" at position ${pos}: ${what}`);
}

function parseGroup(expr: string, open: number, close: number): Range[] {
  const ranges: Range[] = [];
  let pos = open + 1;
  for (const part of expr.slice(open + 1, close).split(",")) {
    const dash = part.indexOf("-");
    if (dash === -1) fail(expr, pos, `range "${part}" has no '-'`);
    const a = part.slice(0, dash);
    const b = part.slice(dash + 1);
    for (let i = 0; i < part.length; i++) {
      if (i !== dash && !isDigit(part.charCodeAt(i))) {
        fail(expr, pos + i, `unexpected character ${JSON.stringify(part[i])} in range "${part}"`);
      }
    }
    if (a.length === 0 || b.length === 0) fail(expr, pos, `range "${part}" lacks a number`);
    if (a.length !== b.length) {
      fail(expr, pos, `range "${part}": "${a}" and "${b}" do not have the same number of digits`);
    }
    const start = Number(a);
    const end = Number(b);
    // A reversed range (`10-05`) is accepted as cc-backend accepts it; it lists no node.
    ranges.push({ start, end, digits: a.length });
    pos += part.length + 1;
  }
  return ranges;
}

function parseTerm(expr: string, from: number, to: number): Part[] {
  const parts: Part[] = [];
  let i = from;
  while (i < to) {
    const c = expr.charCodeAt(i);
    if (isAlnum(c)) {
      let j = i + 1;
      while (j < to && (isAlnum(expr.charCodeAt(j)) || expr[j] === "-")) j++;
      parts.push(expr.slice(i, j));
      i = j;
    } else if (c === 91 /* [ */) {
      const close = expr.indexOf("]", i);
      parts.push(parseGroup(expr, i, close));
      i = close + 1;
    } else {
      fail(expr, i, `unexpected character ${JSON.stringify(expr[i])}`);
    }
  }
  return parts;
}

function consumes(parts: Part[], host: string): boolean {
  let pos = 0;
  for (const part of parts) {
    if (typeof part === "string") {
      if (!host.startsWith(part, pos)) return false;
      pos += part.length;
      continue;
    }
    let matched = false;
    for (const r of part) {
      if (pos + r.digits > host.length) continue;
      let n = 0;
      let k = 0;
      for (; k < r.digits; k++) {
        const c = host.charCodeAt(pos + k);
        if (!isDigit(c)) break;
        n = n * 10 + (c - 48);
      }
      if (k === r.digits && n >= r.start && n <= r.end) {
        pos += r.digits;
        matched = true;
        break;
      }
    }
    if (!matched) return false;
  }
  return pos === host.length;
}

function expandTerm(parts: Part[]): string[] {
  let names = [""];
  for (const part of parts) {
    const next: string[] = [];
    for (const prefix of names) {
      if (typeof part === "string") {
        next.push(prefix + part);
        continue;
      }
      for (const r of part) {
        for (let n = r.start; n <= r.end; n++) {
          next.push(prefix + String(n).padStart(r.digits, "0"));
        }
      }
    }
    names = next;
  }
  return names;
}

function countTerm(parts: Part[]): number {
  let total = 1;
  for (const part of parts) {
    if (typeof part !== "string") {
      total *= part.reduce((s, r) => s + Math.max(0, r.end - r.start + 1), 0);
    }
  }
  return total;
}

/** Parses a node-list expression; throws an error naming the expression and position. */
export function parseNodeList(expression: string): NodeList {
  if (expression === "*") {
    return {
      expression,
      wildcard: true,
      contains: () => true,
      count: () => 0,
      expand: () => [],
    };
  }
  const terms: Part[][] = [];
  let start = 0;
  for (let i = 0; i <= expression.length; i++) {
    const c = expression[i];
    if (c === "[") {
      const close = expression.indexOf("]", i);
      if (close === -1) fail(expression, i, "unclosed '['");
      i = close;
    } else if (c === "]") {
      fail(expression, i, "']' without '['");
    } else if (c === "," || i === expression.length) {
      // Empty terms (`a,,b`, a trailing comma, "") list nothing, as in cc-backend.
      if (i > start) terms.push(parseTerm(expression, start, i));
      start = i + 1;
    }
  }
  return {
    expression,
    wildcard: false,
    contains: (hostname) => terms.some((t) => consumes(t, hostname)),
    count: () => terms.reduce((s, t) => s + countTerm(t), 0),
    expand: () => terms.flatMap(expandTerm),
  };
}
