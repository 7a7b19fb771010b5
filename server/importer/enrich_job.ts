/**
 * Derives what the job table stores from a job's statistics: the footprint
 * (`<metric>_<avg|min|max>` for the subcluster's footprint metrics), the
 * energy footprint in kWh per power metric and the total energy.
 *
 * @module
 */
import type { Job, MetricConfig } from "../archive/types.ts";

/** What the enrichment needs to know of the job's subcluster. */
export interface FootprintSource {
  /** Names of the metrics in the subcluster's footprint. */
  footprint: string[];
  /** Names of the metrics in the subcluster's energy footprint. */
  energyFootprint: string[];
  /** The subcluster's effective metric configs (after overrides). */
  metricConfig: MetricConfig[];
}

/** Rounds to two decimals as cc-backend does (`round(x*100)/100`). */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Computes footprint, energy footprint and energy of `job` from its
 * statistics. Unlike the original importer, the footprint uses the statistic
 * the subcluster's metric config names (`mem_used_max`), not always `avg`.
 */
export function computeFootprint(
  job: Pick<Job, "statistics" | "numNodes" | "duration">,
  source: FootprintSource,
): { footprint: Record<string, number>; energyFootprint: Record<string, number>; energy: number } {
  const configs = new Map(source.metricConfig.map((m) => [m.name, m]));
  const statistics = job.statistics ?? {};
  const footprint: Record<string, number> = {};
  for (const name of source.footprint) {
    const stat = configs.get(name)?.footprint ?? "avg";
    footprint[`${name}_${stat}`] = statistics[name]?.[stat] ?? 0;
  }
  const energyFootprint: Record<string, number> = {};
  let total = 0;
  for (const name of source.energyFootprint) {
    let kwh = 0;
    if (configs.get(name)?.energy === "power") {
      const avgPower = statistics[name]?.avg ?? 0;
      kwh = round2(avgPower * job.numNodes * (job.duration / 3600) / 1000);
    }
    energyFootprint[name] = kwh;
    total += kwh;
  }
  return { footprint, energyFootprint, energy: round2(total) };
}
