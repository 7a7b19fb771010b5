/**
 * Job comparison (cc-backend's `JobCompare` with its comparograms): the
 * node-scope statistics of every job matching `filter` from the
 * `jobsMetricStats` query, plotted per metric as min/avg/max over the jobs
 * (with shaded bands) plus the resources plot, and listed in a sortable,
 * filterable table. Job lists embed it for their selection; the compare page
 * renders it for `dbId` parameters.
 *
 * @module
 */
import uPlot from "uplot";
import { useEffect, useRef, useState } from "preact/hooks";
import { gql } from "./lib/graphql.ts";
import { formatDuration, formatNumber, roundTwoDigits } from "./lib/plot_units.ts";

/** Props of {@link JobCompare}. */
export interface JobCompareProps {
  /** `JobFilter` list, e.g. `[{dbId: ["1", "2"]}]`. */
  filter: Record<string, unknown>[];
  metrics: string[];
  /** Unit text per metric. */
  units: Record<string, string>;
  lineWidth: number;
  colorblind: boolean;
}

/** The GraphQL operation, as cc-backend's UI sends it. */
export const COMPARE_QUERY = `query ($filter: [JobFilter!]!, $metrics: [String!]!) {
  jobsMetricStats(filter: $filter, metrics: $metrics) {
    id jobId startTime duration cluster subCluster numNodes numHWThreads numAccelerators
    stats { name data { min avg max } }
  }
}`;

/** One compared job. */
export interface ComparedJob {
  id: string | number;
  jobId: string;
  startTime: number | string;
  duration: number;
  cluster: string;
  subCluster: string;
  numNodes: number;
  numHWThreads: number | null;
  numAccelerators: number | null;
  stats: { name: string; data: { min: number; avg: number; max: number } | null }[];
}

/** Unix seconds of a `Time` value (number or ISO text). */
export function unixSeconds(t: number | string): number {
  return typeof t === "number" ? t : Math.floor(Date.parse(t) / 1000);
}

/** The value of `column` for sorting (`<metric>:<stat>` for statistics). */
export function columnValue(job: ComparedJob, column: string): number | string {
  const [metric, stat] = column.split(":");
  if (stat) {
    return job.stats.find((s) => s.name === metric)?.data?.[stat as "min"] ?? -Infinity;
  }
  switch (column) {
    case "jobId":
      return Number(job.jobId);
    case "startTime":
      return unixSeconds(job.startTime);
    case "cluster":
      return `${job.cluster}/${job.subCluster}`;
    case "numNodes":
    case "numHWThreads":
    case "numAccelerators":
      return job[column] ?? 0;
    default:
      return job.duration;
  }
}

function dateText(t: number | string): string {
  return new Date(unixSeconds(t) * 1000).toLocaleString();
}

function Comparogram(props: {
  title: string;
  jobs: ComparedJob[];
  series: { label: string; color: string; values: (number | null)[] }[];
  bands?: boolean;
  lineWidth: number;
}) {
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const jobs = props.jobs;
    const text = getComputedStyle(document.body).color || "#212529";
    const axis = { stroke: text, grid: { stroke: "rgba(128,128,128,0.2)", width: 1 } };
    const label = (i: number) => jobs[Math.round(i)]?.jobId ?? "";
    const plot = new uPlot(
      {
        width: el.clientWidth || 400,
        height: 250,
        title: props.title,
        series: [
          {
            label: "Job",
            value: (_u, i) => {
              const job = jobs[i];
              return job
                ? `${job.jobId} · ${dateText(job.startTime)} · ${
                  formatDuration(job.duration)
                } · ${job.cluster} (${job.subCluster})`
                : "";
            },
          },
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color === "text" ? text : s.color,
            width: props.lineWidth / (globalThis.devicePixelRatio || 1),
            value: (_u: uPlot, v: number | null) => (v === null ? "-" : formatNumber(v)),
          })),
        ],
        bands: props.bands
          ? [
            { series: [3, 2], fill: "rgba(0,255,0,0.1)" },
            { series: [2, 1], fill: "rgba(255,0,0,0.1)" },
          ]
          : undefined,
        scales: { x: { time: false } },
        axes: [
          {
            ...axis,
            values: (_u, splits) => splits.map((v) => Number.isInteger(v) ? label(v) : ""),
          },
          { ...axis, size: 52, values: (_u, splits) => splits.map((v) => formatNumber(v)) },
        ],
        cursor: { sync: { key: "compareJobsView" }, drag: { x: true, y: false } },
      },
      [jobs.map((_, i) => i), ...props.series.map((s) => s.values)],
      el,
    );
    const observer = new ResizeObserver(() => {
      if (el.clientWidth > 0 && el.clientWidth !== plot.width) {
        plot.setSize({ width: el.clientWidth, height: plot.height });
      }
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [props.jobs]);
  return <div ref={root} class="cc-compare-plot mb-3" />;
}

const COLUMNS: [string, string][] = [
  ["jobId", "JobID"],
  ["startTime", "StartTime"],
  ["duration", "Duration"],
  ["cluster", "Cluster"],
  ["numNodes", "Nodes"],
  ["numHWThreads", "Threads"],
  ["numAccelerators", "Accs"],
];

/** Plots and table of the compared jobs. */
export default function JobCompare(props: JobCompareProps) {
  const [jobs, setJobs] = useState<ComparedJob[] | null>(null);
  const [error, setError] = useState("");
  const [sort, setSort] = useState({ column: "startTime", desc: false });
  const [idFilter, setIdFilter] = useState("");

  useEffect(() => {
    gql<{ jobsMetricStats: ComparedJob[] }>(COMPARE_QUERY, {
      filter: props.filter,
      metrics: props.metrics,
    }).then((data) => setJobs(data.jobsMetricStats)).catch((e: Error) => setError(e.message));
  }, []);

  if (error) return <div class="alert alert-danger" role="alert">Cannot compare jobs: {error}</div>;
  if (!jobs) return <p class="text-body-secondary" role="status">Loading job comparison…</p>;
  if (jobs.length === 0) return <div class="alert alert-info">No jobs to compare.</div>;

  const cb = props.colorblind;
  const stat = (m: string, s: "min" | "avg" | "max") =>
    jobs.map((j) => j.stats.find((x) => x.name === m)?.data?.[s] ?? null);
  const sorted = jobs.filter((j) => String(j.jobId).includes(idFilter.trim())).sort((a, b) => {
    const x = columnValue(a, sort.column);
    const y = columnValue(b, sort.column);
    const order = typeof x === "number" && typeof y === "number"
      ? x - y
      : String(x).localeCompare(String(y));
    return sort.desc ? -order : order;
  });
  const header = (column: string, title: string) => (
    <th key={column} scope="col">
      <button
        type="button"
        class="btn btn-link btn-sm p-0 text-reset text-decoration-none text-nowrap"
        onClick={() => setSort({ column, desc: sort.column === column ? !sort.desc : false })}
      >
        {title}{" "}
        <i
          class={`bi bi-caret-${sort.column === column && sort.desc ? "down" : "up"}-fill small`}
          aria-hidden="true"
        >
        </i>
      </button>
    </th>
  );

  return (
    <div class="cc-job-compare">
      <div class="row row-cols-1 row-cols-xl-2">
        <div class="col">
          <Comparogram
            title="Compare Resources"
            jobs={jobs}
            lineWidth={props.lineWidth}
            series={[
              { label: "Nodes", color: "text", values: jobs.map((j) => j.numNodes) },
              { label: "Threads", color: "blue", values: jobs.map((j) => j.numHWThreads) },
              { label: "Accelerators", color: "red", values: jobs.map((j) => j.numAccelerators) },
            ]}
          />
        </div>
        {props.metrics.map((m) => (
          <div key={m} class="col">
            <Comparogram
              title={`Compare Metric '${m}'${props.units[m] ? ` (${props.units[m]})` : ""}`}
              jobs={jobs}
              lineWidth={props.lineWidth}
              bands
              series={[
                { label: "Min", color: cb ? "#0072b2" : "red", values: stat(m, "min") },
                { label: "Avg", color: cb ? "#e69f00" : "text", values: stat(m, "avg") },
                { label: "Max", color: cb ? "#009e73" : "green", values: stat(m, "max") },
              ]}
            />
          </div>
        ))}
      </div>
      <div class="table-responsive">
        <table class="table table-sm table-hover cc-compare-table">
          <thead>
            <tr>
              {COLUMNS.map(([c, t]) => header(c, t))}
              {props.metrics.flatMap((m) =>
                (["min", "avg", "max"] as const).map((s) => header(`${m}:${s}`, `${m} ${s}`))
              )}
            </tr>
            <tr>
              <th colSpan={COLUMNS.length + props.metrics.length * 3}>
                <input
                  type="search"
                  class="form-control form-control-sm w-auto"
                  placeholder="Filter JobID"
                  aria-label="Filter JobID"
                  value={idFilter}
                  onInput={(e) => setIdFilter((e.target as HTMLInputElement).value)}
                />
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((j) => (
              <tr key={j.id}>
                <td>
                  <a href={`/monitoring/job/${j.id}`}>{j.jobId}</a>
                </td>
                <td>{dateText(j.startTime)}</td>
                <td>{formatDuration(j.duration)}</td>
                <td>{j.cluster} ({j.subCluster})</td>
                <td>{j.numNodes}</td>
                <td>{j.numHWThreads ?? "-"}</td>
                <td>{j.numAccelerators ?? "-"}</td>
                {props.metrics.flatMap((m) => {
                  const d = j.stats.find((s) => s.name === m)?.data;
                  return (["min", "avg", "max"] as const).map((s) => (
                    <td key={`${m}${s}`}>{d ? roundTwoDigits(d[s]) : "-"}</td>
                  ));
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
