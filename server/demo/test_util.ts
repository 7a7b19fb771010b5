/**
 * Helpers shared by the demo generator's tests: the app tagger's regular
 * expressions (from tests/fixtures/tagger/apps) and a node-list matcher that
 * works independently of the archive's node-list parser.
 *
 * @module
 */

const APPS_DIR = new URL("../../tests/fixtures/tagger/apps/", import.meta.url);

/** App name → its patterns, read from the tagger fixtures. */
export async function loadAppPatterns(): Promise<Map<string, RegExp[]>> {
  const apps = new Map<string, RegExp[]>();
  for await (const entry of Deno.readDir(APPS_DIR)) {
    if (!entry.isFile || !entry.name.endsWith(".txt")) continue;
    const text = await Deno.readTextFile(new URL(entry.name, APPS_DIR));
    const patterns = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
    apps.set(entry.name.slice(0, -4), patterns.map((p) => new RegExp(p)));
  }
  return apps;
}

/** The apps the tagger would tag a job script with (it matches the lower-cased script). */
export function matchApps(script: string, apps: Map<string, RegExp[]>): string[] {
  const text = script.toLowerCase();
  return [...apps].filter(([, res]) => res.some((re) => re.test(text))).map(([app]) => app)
    .sort();
}

/**
 * Whether a node-list expression contains a host, matching term by term the
 * way cc-backend does: literal parts must match exactly, a bracket group
 * consumes as many digits as its ranges have and checks the range.
 */
export function nodeListContains(expression: string, host: string): boolean {
  const terms = expression.match(/([^,[]|\[[^\]]*\])+/g) ?? [];
  return terms.some((term) => {
    const groups: { from: number; to: number }[][] = [];
    let width = 0;
    const source = term.replace(/\[([^\]]*)\]/g, (_, body: string) => {
      const ranges = body.split(",").map((r) => r.split("-"));
      width = ranges[0][0].length;
      groups.push(ranges.map(([a, b = a]) => ({ from: Number(a), to: Number(b) })));
      return `(\\d{${width}})`;
    });
    const m = new RegExp(`^${source}$`).exec(host);
    return m !== null &&
      groups.every((ranges, i) =>
        ranges.some(({ from, to }) => Number(m[i + 1]) >= from && Number(m[i + 1]) <= to)
      );
  });
}
