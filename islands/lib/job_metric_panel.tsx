/**
 * One cell of the job view's plot grid: the metric's header with scope and
 * host choice, and its plot. Loads the metric with cc-backend's
 * `singleUpdate: jobMetrics(...)` query at the largest resampling
 * resolution, and again at a finer one when a zoom shows few enough points
 * (keeping the zoom window), or at every scope on "Load all...".
 *
 * @module
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import { gql } from "./graphql.ts";
import {
  finestScope,
  type JobRef,
  type MetricInfo,
  type PlotSettings,
  SCOPES,
} from "./job_types.ts";
import { MetricPlot, type XWindow } from "./plot_metric.tsx";
import { initialResolution, type ResamplingOptions, zoomResolution } from "./plot_resolution.ts";
import type { MetricData } from "./plot_series.ts";
import type { ScopeCounts } from "./plot_thresholds.ts";
import { unitText } from "./plot_units.ts";

/** Props of {@link MetricPanel}. */
export interface MetricPanelProps {
  job: JobRef;
  metric: MetricInfo;
  /** Scopes that have data (from the scope query). */
  presetScopes: string[];
  counts: ScopeCounts;
  settings: PlotSettings;
  resampling: ResamplingOptions | null;
  /** Changes on every refresh of a running job: fetch the data again. */
  refresh?: number;
}

/** A `jobMetrics` entry. */
export interface MetricEntry {
  name: string;
  scope: string;
  metric: MetricData;
}

/** The GraphQL operation, as cc-backend's UI sends it. */
export const METRIC_QUERY =
  `query ($dbid: ID!, $selectedMetrics: [String!]!, $selectedScopes: [MetricScope!]!, $selectedResolution: Int) {
  singleUpdate: jobMetrics(id: $dbid, metrics: $selectedMetrics, scopes: $selectedScopes, resolution: $selectedResolution) {
    name
    scope
    metric {
      unit { prefix base }
      timestep
      statisticsSeries { min mean median max }
      series { hostname id data statistics { min avg max } }
    }
  }
}`;

const ALL_SCOPES = ["node", "socket", "core", "accelerator"];
const LOAD_ALL = "load-all";

const byScope = (a: MetricEntry, b: MetricEntry) =>
  SCOPES.indexOf(a.scope) - SCOPES.indexOf(b.scope);

/** The header and plot of one metric. */
export function MetricPanel(props: MetricPanelProps) {
  const { job, metric } = props;
  const [scopes, setScopes] = useState(props.presetScopes);
  const [resolution, setResolution] = useState(() => initialResolution(props.resampling));
  const [entries, setEntries] = useState<MetricEntry[] | null>(null);
  const [choice, setChoice] = useState("");
  const [host, setHost] = useState<string | null>(null);
  const [zoom, setZoom] = useState<XWindow | null>(null);
  const [error, setError] = useState("");
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    gql<{ singleUpdate: MetricEntry[] }>(METRIC_QUERY, {
      dbid: job.id,
      selectedMetrics: [metric.name],
      selectedScopes: scopes,
      selectedResolution: resolution,
    }, { signal: controller.signal }).then((data) => {
      const found = data.singleUpdate.filter((e) => e.name === metric.name).sort(byScope);
      setEntries(found);
      setError("");
      setChoice((c) =>
        found.some((e) => e.scope === c.replace(/^stats:/, ""))
          ? c
          : finestScope(found.map((e) => e.scope)) ?? ""
      );
      setLoading(false);
    }).catch((e: Error) => {
      if (e.name === "AbortError") return;
      setError(e.message);
      setLoading(false);
    });
    return () => controller.abort();
  }, [scopes, resolution, props.refresh]);

  const stats = choice.startsWith("stats:");
  const scope = choice.replace(/^stats:/, "");
  const entry = entries?.find((e) => e.scope === scope);

  const onZoom = useCallback((window: XWindow | null) => {
    setZoom((current) =>
      current && window && current.min === window.min && current.max === window.max
        ? current
        : window
    );
    if (!window || !entry) return;
    const next = zoomResolution(window, entry.metric.timestep, props.resampling);
    if (next !== null && next !== resolution) setResolution(next);
  }, [entry, resolution]);

  const canLoadAll = props.presetScopes.length === 1 && metric.scope !== "node" &&
    scopes === props.presetScopes;
  const unit = unitText(entry?.metric.unit ?? metric.unit);
  const multiNode = job.numNodes > 1;

  return (
    <div class="cc-metric-panel">
      <div class="input-group input-group-sm mb-1">
        <span class="input-group-text flex-grow-1 text-truncate" title={metric.name}>
          {metric.name}
          {unit && ` (${unit})`}
        </span>
        <select
          class="form-select"
          aria-label={`Scope of ${metric.name}`}
          value={choice}
          disabled={!entries}
          onChange={(e) => {
            const value = (e.target as HTMLSelectElement).value;
            if (value === LOAD_ALL) {
              setChoice("");
              setScopes(ALL_SCOPES);
            } else setChoice(value);
          }}
        >
          {(entries ?? []).map((e) => <option key={e.scope} value={e.scope}>{e.scope}</option>)}
          {(entries ?? []).filter((e) => e.metric.statisticsSeries).map((e) => (
            <option key={`s${e.scope}`} value={`stats:${e.scope}`}>stats series ({e.scope})</option>
          ))}
          {canLoadAll && <option value={LOAD_ALL}>Load all...</option>}
        </select>
        {multiNode && (
          <select
            class="form-select"
            aria-label={`Host of ${metric.name}`}
            value={host ?? ""}
            disabled={stats}
            onChange={(e) => setHost((e.target as HTMLSelectElement).value || null)}
          >
            <option value="">All Hosts</option>
            {job.hosts.map((h) => <option key={h} value={h}>{h}</option>)}
          </select>
        )}
      </div>
      {error && (
        <div class="alert alert-danger py-1" role="alert">Cannot load {metric.name}: {error}</div>
      )}
      {!entries && !error && (
        <p class="text-body-secondary small" role="status">Loading {metric.name}…</p>
      )}
      {entry && (
        <div class={loading ? "cc-loading" : ""} data-resolution={entry.metric.timestep}>
          <MetricPlot
            metric={metric}
            scope={scope}
            data={entry.metric}
            stats={stats}
            host={stats ? null : host}
            counts={props.counts}
            settings={props.settings}
            shared={job.shared !== "none"}
            multiNode={multiNode}
            zoom={zoom}
            onZoom={onZoom}
            syncKey={`job-${job.id}`}
          />
        </div>
      )}
    </div>
  );
}
