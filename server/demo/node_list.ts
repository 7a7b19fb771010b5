/**
 * Expansion of cluster.json node-list expressions such as
 * `f[0101-0124,0201-0224],f2157` into host names, for the demo generator.
 *
 * @module
 */

type Part = string | { from: number; to: number; width: number }[];

/**
 * Expands a node-list expression into its host names, in order.
 *
 * Terms are separated by commas outside brackets; a bracket group holds
 * ranges `a-b` (or single numbers) whose digit count is the zero-padded width.
 */
export function expandNodeList(expression: string): string[] {
  const hosts: string[] = [];
  for (const term of splitTerms(expression)) {
    let names = [""];
    for (const part of parseTerm(term, expression)) {
      const next: string[] = [];
      for (const prefix of names) {
        if (typeof part === "string") {
          next.push(prefix + part);
          continue;
        }
        for (const { from, to, width } of part) {
          for (let n = from; n <= to; n++) next.push(prefix + String(n).padStart(width, "0"));
        }
      }
      names = next;
    }
    hosts.push(...names);
  }
  return hosts;
}

function splitTerms(expression: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i];
    if (ch === "[") depth++;
    else if (ch === "]") depth--;
    else if (ch === "," && depth === 0) {
      terms.push(expression.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(expression.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== "");
}

function parseTerm(term: string, expression: string): Part[] {
  const parts: Part[] = [];
  const re = /([A-Za-z0-9-]+)|\[([0-9,-]+)\]/y;
  let pos = 0;
  while (pos < term.length) {
    re.lastIndex = pos;
    const m = re.exec(term);
    if (!m) throw new SyntaxError(`cannot parse node list "${expression}" at "${term.slice(pos)}"`);
    pos = re.lastIndex;
    if (m[1] !== undefined) {
      parts.push(m[1]);
      continue;
    }
    parts.push(
      m[2].split(",").map((range) => {
        const [a, b = a] = range.split("-");
        if (a.length !== b.length || a === "") {
          throw new SyntaxError(`cannot parse node list "${expression}": bad range "${range}"`);
        }
        return { from: Number(a), to: Number(b), width: a.length };
      }),
    );
  }
  return parts;
}
