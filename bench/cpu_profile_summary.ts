/**
 * The summary a benchmark prints of a `--cpu-prof` run: every profile file
 * (one per thread) kept under $TMPDIR, and the functions with the most self
 * time of the first.
 *
 * @module
 */
import { join } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self milliseconds per function (name, file, line) of a profile, and the total. */
function selfTimes(profile: Profile): { byFunction: Map<string, number>; total: number } {
  const selfMs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*\/(node_modules\/\.deno\/|work\/main\/)?/, "");
    const key = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  }
  return { byFunction, total };
}

/**
 * Keeps every profile of `dir` (one per thread) and prints the functions with
 * the most self time of the busiest thread (the least idle one).
 */
export async function printProfile(dir: string): Promise<void> {
  const files = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.endsWith(".cpuprofile")) files.push(entry.name);
  }
  if (files.length === 0) {
    console.log(`no .cpuprofile written in ${dir}`);
    return;
  }
  let busiest:
    | { file: string; byFunction: Map<string, number>; total: number; busy: number }
    | null = null;
  for (const [i, file] of files.entries()) {
    const kept = join(Deno.env.get("TMPDIR") ?? "/tmp", `rest_bench_server_${i}.cpuprofile`);
    await Deno.copyFile(join(dir, file), kept);
    console.log(`server CPU profile kept at ${kept}`);
    const times = selfTimes(JSON.parse(await Deno.readTextFile(kept)) as Profile);
    const busy = times.total - (times.byFunction.get("(idle) :0") ?? 0);
    if (busiest === null || busy > busiest.busy) busiest = { file, ...times, busy };
  }
  const { file, byFunction, total } = busiest!;
  console.log(`server CPU profile (${file}), ${total.toFixed(0)} ms sampled; top self time:`);
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 30);
  for (const [key, ms] of top) {
    console.log(
      `  ${(100 * ms / total).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${key}`,
    );
  }
}
