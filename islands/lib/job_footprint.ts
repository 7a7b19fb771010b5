/**
 * Footprint bars of a job: each footprint value measured against the
 * thresholds of its metric on the job's subcluster (scaled down for shared
 * jobs), classified into a Bootstrap colour, an impact rank and a message.
 * Pure: the job page renders the bars on the server, job lists may reuse it.
 *
 * @module
 */

/** The thresholds of a metric (cluster.json). */
export interface Thresholds {
  peak: number;
  normal: number;
  caution: number;
  alert: number;
}

/** What the classification needs of a metric's configuration. */
export interface FootprintMetricConfig extends Thresholds {
  name: string;
  unit: { base: string; prefix?: string | null };
  lowerIsBetter?: boolean;
}

/** Bootstrap colours of the classes. */
export type FootprintColor = "danger" | "warning" | "success" | "info" | "secondary" | "light";

/** The verdict on one footprint value. */
export interface FootprintClass {
  color: FootprintColor;
  /** 3 way off, 2 off, 1 fine, 0 above normal, -1 above peak, 4 no config. */
  impact: number;
  message: string;
  /** Bootstrap Icons names to show. */
  icons: string[];
}

/** One bar. */
export interface FootprintBar extends FootprintClass {
  name: string;
  stat: string;
  value: number;
  /** Peak the bar is scaled to (0 without config). */
  peak: number;
  unit: string;
  lowerIsBetter: boolean;
}

/** What is known about the job. */
export interface FootprintJob {
  shared: string;
  numHWThreads: number;
  footprint: { name: string; stat: string; value: number }[];
}

/**
 * The thresholds for a job: as configured for exclusive jobs and `avg`
 * statistics, else scaled by the job's share of the node's hardware
 * threads and rounded (a shared job cannot reach a whole node's peak).
 */
export function jobThresholds(
  config: Thresholds,
  job: { shared: string; numHWThreads: number; stat: string; hwthreadsPerNode: number },
): Thresholds {
  const { hwthreadsPerNode } = job;
  if (job.shared === "none" || job.stat === "avg" || !(hwthreadsPerNode > 0)) {
    return {
      peak: config.peak,
      normal: config.normal,
      caution: config.caution,
      alert: config.alert,
    };
  }
  const share = job.numHWThreads / hwthreadsPerNode;
  return {
    peak: Math.round(config.peak * share),
    normal: Math.round(config.normal * share),
    caution: Math.round(config.caution * share),
    alert: Math.round(config.alert * share),
  };
}

const ABOVE_PEAK: FootprintClass = {
  color: "secondary",
  impact: -1,
  message: "Footprint value above expected peak threshold: Check for artifacts!",
  icons: ["emoji-dizzy"],
};

const WITHIN: FootprintClass = {
  color: "success",
  impact: 1,
  message: "Footprint value within expected thresholds.",
  icons: ["emoji-smile"],
};

/** Classifies `value` against `t`; `lowerIsBetter` flips the direction. */
export function classifyFootprint(
  value: number,
  t: Thresholds & { lowerIsBetter?: boolean },
): FootprintClass {
  if (t.lowerIsBetter) {
    if (value >= t.alert && value <= t.peak) {
      return {
        color: "danger",
        impact: 3,
        message: "Footprint value way above expected normal threshold.",
        icons: ["emoji-frown", "exclamation-triangle-fill"],
      };
    }
    if (value >= t.caution && value < t.alert) {
      return {
        color: "warning",
        impact: 2,
        message: "Footprint value above expected normal threshold.",
        icons: ["emoji-neutral"],
      };
    }
    if (value >= 0 && value < t.caution) return WITHIN;
    return ABOVE_PEAK;
  }
  if (value >= 0 && value <= t.alert) {
    return {
      color: "danger",
      impact: 3,
      message: "Footprint value way below expected normal threshold.",
      icons: ["emoji-frown", "exclamation-triangle-fill"],
    };
  }
  if (value > t.alert && value <= t.caution) {
    return {
      color: "warning",
      impact: 2,
      message: "Footprint value below expected normal threshold.",
      icons: ["emoji-neutral"],
    };
  }
  if (value > t.caution && value <= t.normal) return WITHIN;
  if (value > t.normal && value <= t.peak) {
    return {
      color: "info",
      impact: 0,
      message: "Footprint value above expected normal threshold: Check for artifacts recommended.",
      icons: ["emoji-laughing"],
    };
  }
  return ABOVE_PEAK;
}

/**
 * The bars of `job`, sorted by impact (above peak first, metrics without
 * configuration last) and then by name.
 */
export function footprintBars(
  job: FootprintJob,
  configs: readonly FootprintMetricConfig[],
  hwthreadsPerNode: number,
): FootprintBar[] {
  const bars = job.footprint.map((entry): FootprintBar => {
    const config = configs.find((c) => c.name === entry.name);
    if (!config) {
      return {
        ...entry,
        peak: 0,
        unit: "",
        lowerIsBetter: false,
        color: "light",
        impact: 4,
        message: `No config for metric ${entry.name} found.`,
        icons: ["info-circle"],
      };
    }
    const t = jobThresholds(config, { ...job, stat: entry.stat, hwthreadsPerNode });
    const lowerIsBetter = config.lowerIsBetter ?? false;
    return {
      ...entry,
      peak: t.peak,
      unit: `${config.unit.prefix ?? ""}${config.unit.base}`,
      lowerIsBetter,
      ...classifyFootprint(entry.value, { ...t, lowerIsBetter }),
    };
  });
  return bars.sort((a, b) =>
    a.impact - b.impact || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/** Width of a bar in percent of its peak, within 0..100. */
export function barPercent(value: number, peak: number): number {
  if (!(peak > 0) || !Number.isFinite(value)) return 0;
  return Math.min(100, Math.max(0, (value / peak) * 100));
}
