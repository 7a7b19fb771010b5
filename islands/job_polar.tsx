/**
 * The polar (radar) plot of the job summary as SVG: per footprint metric of
 * the subcluster, the job's maximum and average as a fraction of the
 * metric's peak (clipped to 1). Data from cc-backend's `jobStats` query.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { gql } from "./lib/graphql.ts";

/** Props of {@link JobPolar}. */
export interface JobPolarProps {
  jobId: number;
  /** Footprint metrics with their peak for this job (scaled for shared jobs). */
  metrics: { name: string; peak: number }[];
  disabled: boolean;
}

/** The GraphQL operation, as cc-backend's UI sends it. */
export const POLAR_QUERY = `query ($dbid: ID!, $selectedMetrics: [String!]!) {
  jobStats(id: $dbid, metrics: $selectedMetrics) {
    name
    data { avg max }
  }
}`;

interface PolarAnswer {
  jobStats: { name: string; data: { avg: number; max: number } | null }[];
}

/** `value / peak` within 0..1 (0 for a missing value). */
export function polarFraction(value: number | null | undefined, peak: number): number {
  if (value === null || value === undefined || !(peak > 0) || !Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value / peak));
}

const SIZE = 300;
const C = SIZE / 2;
const R = 105;

function spoke(i: number, n: number, r: number): [number, number] {
  const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
  return [C + r * Math.cos(a), C + r * Math.sin(a)];
}

function polygon(values: number[]): string {
  return values.map((v, i) => spoke(i, values.length, v * R).map((x) => x.toFixed(1)).join(","))
    .join(" ");
}

/** The radar plot. */
export default function JobPolar(props: JobPolarProps) {
  const [stats, setStats] = useState<PolarAnswer["jobStats"] | null>(null);
  const [error, setError] = useState("");
  const names = props.metrics.map((m) => m.name);

  useEffect(() => {
    if (props.disabled || names.length === 0) return;
    gql<PolarAnswer>(POLAR_QUERY, { dbid: props.jobId, selectedMetrics: names })
      .then((data) => setStats(data.jobStats))
      .catch((e: Error) => setError(e.message));
  }, [props.jobId]);

  if (names.length === 0) {
    return (
      <p class="m-2 text-body-secondary">No footprint metrics with a peak on this subcluster.</p>
    );
  }
  if (props.disabled) {
    return <p class="m-2 text-body-secondary">No statistics: not monitored or archiving failed.</p>;
  }
  if (error) return <p class="m-2 text-danger">Cannot load the polar plot: {error}</p>;
  if (!stats) return <p class="m-2 text-body-secondary" role="status">Loading polar plot…</p>;

  const value = (name: string, key: "avg" | "max") =>
    stats.find((s) => s.name === name)?.data?.[key];
  const max = props.metrics.map((m) => polarFraction(value(m.name, "max"), m.peak));
  const avg = props.metrics.map((m) => polarFraction(value(m.name, "avg"), m.peak));
  const n = names.length;
  return (
    <div class="cc-polar p-2">
      <svg
        viewBox={`-70 0 ${SIZE + 140} ${SIZE}`}
        role="img"
        aria-label="Polar plot of the job footprint"
      >
        {[0.25, 0.5, 0.75, 1].map((f) => (
          <polygon
            key={f}
            class="cc-polar-grid"
            points={polygon(names.map(() => f))}
          />
        ))}
        {names.map((name, i) => {
          const [x, y] = spoke(i, n, R);
          const [lx, ly] = spoke(i, n, R + 14);
          const anchor = lx > C + 1 ? "start" : lx < C - 1 ? "end" : "middle";
          return (
            <g key={name}>
              <line class="cc-polar-grid" x1={C} y1={C} x2={x} y2={y} />
              <text
                class="cc-polar-label"
                x={lx}
                y={ly}
                text-anchor={anchor}
                dominant-baseline="middle"
              >
                {name}
              </text>
            </g>
          );
        })}
        <polygon class="cc-polar-max" points={polygon(max)} />
        <polygon class="cc-polar-avg" points={polygon(avg)} />
      </svg>
      <div class="small text-center">
        <span class="cc-swatch cc-polar-max-swatch"></span> Max{" "}
        <span class="cc-swatch cc-polar-avg-swatch ms-2"></span> Avg
      </div>
    </div>
  );
}
