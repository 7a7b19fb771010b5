/**
 * Metric thresholds inside plots: scaled to the plotted scope for summed
 * metrics, the background tint from the series averages, and the y range.
 *
 * @module
 */
import type { Thresholds } from "./job_footprint.ts";

/** Units per node of each scope on a subcluster. */
export interface ScopeCounts {
  socket: number;
  memoryDomain: number;
  core: number;
  hwthread: number;
  accelerator: number;
}

/** A metric's thresholds with its aggregation. */
export interface ScaledMetric extends Thresholds {
  aggregation?: string;
}

/**
 * Thresholds at `scope`: as configured for node scope and averaged
 * metrics; a summed metric's thresholds divided by the units per node of a
 * finer scope (one core of a node gets a share of the node's peak).
 */
export function scopeThresholds(
  metric: ScaledMetric,
  at: { scope: string; counts: ScopeCounts },
): Thresholds {
  const { scope, counts } = at;
  const n = scope === "node" || metric.aggregation !== "sum"
    ? 1
    : (counts as unknown as Record<string, number>)[scope] ?? 1;
  const d = n > 0 ? n : 1;
  return {
    peak: metric.peak / d,
    normal: metric.normal / d,
    caution: metric.caution / d,
    alert: metric.alert / d,
  };
}

/**
 * The background level of a plot from the mean of its series averages:
 * `alert`, `caution` or null. The direction follows the thresholds (alert
 * below caution: higher is better).
 */
export function backgroundLevel(
  averages: readonly number[],
  t: Thresholds,
): "alert" | "caution" | null {
  const finite = averages.filter(Number.isFinite);
  if (finite.length === 0) return null;
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  if (t.alert < t.caution) {
    if (mean <= t.alert) return "alert";
    if (mean <= t.caution) return "caution";
    return null;
  }
  if (mean >= t.alert) return "alert";
  if (mean >= t.caution) return "caution";
  return null;
}

/** Upper end of the y axis: 10 % above the larger of data and normal, at most 10 × peak. */
export function plotYMax(dataMax: number, t: Thresholds): number {
  const top = 1.1 * Math.max(Number.isFinite(dataMax) ? dataMax : 0, t.normal || 0);
  const cap = t.peak > 0 ? 10 * t.peak : Infinity;
  return Math.min(top, cap) || 1;
}
