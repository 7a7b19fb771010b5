/**
 * One row of the job list: the job info cell, the optional footprint cell
 * and one metric plot per selected metric. The row loads its metric data
 * after mounting (`jobMetrics` at the largest resampling resolution; a zoom
 * into few points re-requests a finer one and keeps the window) and again
 * on refresh while the job runs.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { gql } from "../lib/graphql.ts";
import { Q_ROWMETRICS } from "../lib/job_queries.ts";
import { metricAvailability, plotScope, rowScopes, subClusterOf } from "../lib/job_list_config.ts";
import type { ClusterInfo, GlobalMetric, JobItem } from "../lib/job_list_types.ts";
import type { PlotSettings } from "../lib/job_types.ts";
import { MetricPlot, type XWindow } from "../lib/plot_metric.tsx";
import {
  initialResolution,
  type ResamplingOptions,
  zoomResolution,
} from "../lib/plot_resolution.ts";
import type { MetricData } from "../lib/plot_series.ts";
import { FootprintBars } from "./footprint_bars.tsx";
import { JobInfo } from "./job_info.tsx";

/** An entry of `jobMetrics`. */
interface JobMetricEntry {
  name: string;
  scope: string;
  metric: MetricData;
}

/** Props of {@link JobRow}. */
export interface JobRowProps {
  job: JobItem;
  metrics: string[];
  showFootprint: boolean;
  clusters: ClusterInfo[];
  globalMetrics: GlobalMetric[];
  settings: PlotSettings;
  resampling: ResamplingOptions | null;
  /** Changes on every refresh; running jobs reload their data. */
  refresh: number;
  selected: boolean;
  onSelect: (id: string) => void;
}

/** A card in a cell. */
export function Note(props: { color: string; text: string }) {
  return <div class={`alert alert-${props.color} small mb-0 py-2`} role="status">{props.text}</div>;
}

const NO_COUNTS = { socket: 1, memoryDomain: 1, core: 1, hwthread: 1, accelerator: 1 };

/** The row. */
export function JobRow(props: JobRowProps) {
  const { job, metrics } = props;
  const [data, setData] = useState<JobMetricEntry[] | null>(null);
  const [error, setError] = useState("");
  const [resolution, setResolution] = useState(initialResolution(props.resampling));
  const [zoom, setZoom] = useState<Record<string, XWindow | null>>({});
  const monitored = job.monitoringStatus !== 0 && job.monitoringStatus !== 2;
  const availability = (m: string) =>
    metricAvailability(props.globalMetrics, m, job.cluster, job.subCluster);
  const wanted = metrics.filter((m) => availability(m) === "ok");
  const running = job.state === "running";

  useEffect(() => {
    if (!monitored || wanted.length === 0) return;
    let live = true;
    setError("");
    gql<{ jobMetrics: JobMetricEntry[] }>(Q_ROWMETRICS, {
      id: job.id,
      metrics: wanted,
      scopes: rowScopes(job),
      selectedResolution: resolution,
    }).then(
      (r) => live && setData(r.jobMetrics ?? []),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [job.id, wanted.join(), resolution, running ? props.refresh : 0]);

  const sub = subClusterOf(props.clusters, job);
  const onZoom = (metric: string, timestep: number) => (window: XWindow | null) => {
    setZoom((z) => ({ ...z, [metric]: window }));
    const next = window ? zoomResolution(window, timestep, props.resampling) : null;
    if (next !== null && next !== resolution) setResolution(next);
  };

  function cell(metric: string) {
    const available = availability(metric);
    if (available === "not-configured") {
      return (
        <Note
          color="light"
          text={`Metric ${metric} is not configured for cluster ${job.cluster}.`}
        />
      );
    }
    if (available === "disabled") {
      return (
        <Note
          color="info"
          text={`Metric ${metric} is disabled for subcluster ${job.subCluster}.`}
        />
      );
    }
    if (!data) {
      return (
        <div class="text-center py-5">
          <div class="spinner-border text-secondary" role="status">
            <span class="visually-hidden">Loading {metric}</span>
          </div>
        </div>
      );
    }
    const entry = plotScope(data.filter((d) => d.name === metric), job.numNodes);
    const config = sub?.metrics.find((m) => m.name === metric);
    if (!entry || !config) {
      return (
        <Note
          color="warning"
          text={`No data for metric ${metric}: not found in the metric store or archive.`}
        />
      );
    }
    return (
      <MetricPlot
        metric={config}
        scope={entry.scope}
        data={entry.metric}
        stats={!!entry.metric.statisticsSeries}
        host={null}
        counts={sub?.scopeCounts ?? NO_COUNTS}
        settings={props.settings}
        shared={job.shared !== "none"}
        multiNode={job.numNodes > 1}
        height={250}
        zoom={zoom[metric] ?? null}
        onZoom={onZoom(metric, entry.metric.timestep)}
        syncKey={`jobMetricStack-${job.cluster}-${job.id}`}
      />
    );
  }

  let cells;
  if (!monitored) {
    cells = (
      <td colSpan={Math.max(1, metrics.length)}>
        <Note color="warning" text="Not monitored or archiving failed" />
      </td>
    );
  } else if (error) {
    // One card for the row: the same failure would repeat in every column.
    cells = (
      <td colSpan={metrics.length}>
        <div class="alert alert-warning small mb-0 py-2" role="status">
          <b>Metric data not available.</b> <span class="text-break">{error}</span>
        </div>
      </td>
    );
  } else if (metrics.length === 0) {
    cells = (
      <td>
        <Note color="info" text="No metrics selected for display." />
      </td>
    );
  } else {
    cells = metrics.map((m) => <td key={m} class="cc-metric-col">{cell(m)}</td>);
  }

  return (
    <tr>
      <td class="cc-info-col">
        <JobInfo job={job} selected={props.selected} onSelect={() => props.onSelect(job.id)} />
      </td>
      {props.showFootprint && (
        <td class="cc-footprint-col">
          <FootprintBars
            job={job}
            configs={sub?.metrics ?? []}
            hwthreadsPerNode={sub?.scopeCounts.hwthread ?? 0}
          />
        </td>
      )}
      {cells}
    </tr>
  );
}
