/**
 * CPU time of a process and of its threads, read from Linux's `/proc`
 * (fields 14 and 15 of `stat`: user and system time in clock ticks, 100/s),
 * for the benchmarks' per-thread figures.
 *
 * @module
 */

/** User and system seconds of `stat` text (of a process or a thread). */
function statSeconds(stat: string): { user: number; sys: number } {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { user: Number(fields[11]) / 100, sys: Number(fields[12]) / 100 };
}

/** CPU seconds (user, system) process `pid` (or this one) used so far. */
export function processCpuSeconds(pid: number | "self"): { user: number; sys: number } {
  return statSeconds(Deno.readTextFileSync(`/proc/${pid}/stat`));
}

/** CPU seconds (user + system) per thread name of process `pid` (or this one). */
export function threadCpuSeconds(pid: number | "self"): Map<string, number> {
  const byName = new Map<string, number>();
  for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
    try {
      const stat = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/stat`);
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const { user, sys } = statSeconds(stat);
      byName.set(name, (byName.get(name) ?? 0) + user + sys);
    } catch {
      // the thread ended
    }
  }
  return byName;
}

/** The threads that used at least `min` seconds between two readings, busiest first. */
export function threadDelta(
  before: Map<string, number>,
  after: Map<string, number>,
  min: number,
): [string, number][] {
  return [...after]
    .map(([name, s]): [string, number] => [name, s - (before.get(name) ?? 0)])
    .filter(([, s]) => s >= min)
    .sort((a, b) => b[1] - a[1]);
}
