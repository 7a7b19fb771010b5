/**
 * The series a metric plot draws, from one `jobMetrics` entry: one line per
 * series (optionally of one host) with its label, or the statistics series
 * (min, max and mean — the median where no mean was computed). Pure, for
 * the plot component and its tests.
 *
 * @module
 */
import type { UnitLike } from "./plot_units.ts";

/** One series as the API sends it. */
export interface SeriesData {
  hostname: string;
  id?: string | null;
  data: (number | null)[];
  statistics?: { min: number; avg: number; max: number } | null;
}

/** A `jobMetrics` entry's `metric`. */
export interface MetricData {
  unit?: UnitLike | null;
  timestep: number;
  series?: SeriesData[] | null;
  statisticsSeries?: {
    min?: (number | null)[] | null;
    mean?: (number | null)[] | null;
    median?: (number | null)[] | null;
    max?: (number | null)[] | null;
  } | null;
}

/** What to draw. */
export interface PlotLines {
  kind: "raw" | "stats";
  labels: string[];
  values: (number | null)[][];
  /** Averages of the raw series (for the background tint); empty when one lacks statistics. */
  averages: number[];
}

/** Label of a series: hostname at node scope, else `<scope> #<id>` (`Acc #<id>` for accelerators). */
export function seriesLabel(s: SeriesData, scope: string, multiNode: boolean): string {
  if (scope === "node") return s.hostname;
  const unit = scope === "accelerator" ? `Acc #${s.id ?? "?"}` : `${scope} #${s.id ?? "?"}`;
  return multiNode ? `${s.hostname}: ${unit}` : unit;
}

/** The lines of `data` at `scope`: statistics with `stats`, else the series of `host` (or all). */
export function plotLines(
  data: MetricData,
  options: { scope: string; stats: boolean; host: string | null; multiNode: boolean },
): PlotLines {
  const st = data.statisticsSeries;
  if (options.stats && st) {
    const middle = st.mean?.length ? st.mean : st.median ?? [];
    return {
      kind: "stats",
      labels: ["min", "max", st.mean?.length ? "mean" : "median"],
      values: [st.min ?? [], st.max ?? [], middle],
      averages: [],
    };
  }
  const series = (data.series ?? []).filter((s) =>
    options.host === null || s.hostname === options.host
  );
  const averages = series.every((s) => s.statistics) ? series.map((s) => s.statistics!.avg) : [];
  return {
    kind: "raw",
    labels: series.map((s) => seriesLabel(s, options.scope, options.multiNode)),
    values: series.map((s) => s.data),
    averages,
  };
}

/** The largest finite value of the lines (-Infinity when there is none). */
export function linesMax(lines: PlotLines): number {
  let max = -Infinity;
  for (const values of lines.values) {
    for (const v of values) if (v !== null && v > max) max = v;
  }
  return max;
}

/** Number of points of the longest line. */
export function linesLength(lines: PlotLines): number {
  return lines.values.reduce((n, v) => Math.max(n, v.length), 0);
}
