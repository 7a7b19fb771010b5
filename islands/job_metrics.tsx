/**
 * The metric plot grid of the job view: which of the chosen metrics have
 * data at which scopes (cc-backend's `scopedJobStats` scope query), one
 * panel per metric in `plotConfiguration_plotsPerRow` columns, placeholder
 * cards for metrics that are not configured, disabled or missing, hosts
 * without data, and the metric chooser.
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { gql } from "./lib/graphql.ts";
import { MetricPanel } from "./lib/job_metric_panel.tsx";
import { MetricSelection } from "./lib/job_metric_selection.tsx";
import { Refresher, refreshesMetrics } from "./lib/refresher.tsx";
import {
  type JobRef,
  type MetricInfo,
  type PlotSettings,
  withoutMetricData,
} from "./lib/job_types.ts";
import type { ResamplingOptions } from "./lib/plot_resolution.ts";
import type { ScopeCounts } from "./lib/plot_thresholds.ts";

/** Props of {@link JobMetrics}. */
export interface JobMetricsProps {
  job: JobRef;
  /** Metrics of the job's subcluster. */
  metrics: MetricInfo[];
  /** Metrics of the cluster removed on the job's subcluster. */
  disabledMetrics: string[];
  /** The viewer's choice (`metricConfig_jobViewPlotMetrics`). */
  selected: string[];
  counts: ScopeCounts;
  settings: PlotSettings;
  resampling: ResamplingOptions | null;
}

/** The GraphQL operation, as cc-backend's UI sends it. */
export const SCOPE_QUERY =
  `query ($dbid: ID!, $selectedMetrics: [String!]!, $selectedScopes: [MetricScope!]!) {
  scopedJobStats(id: $dbid, metrics: $selectedMetrics, scopes: $selectedScopes) {
    name
    scope
    stats { hostname }
  }
}`;

interface ScopeAnswer {
  scopedJobStats: { name: string; scope: string; stats: { hostname: string }[] }[];
}

/** The scopes to ask for: node, accelerator when a chosen metric lives there, socket and core for one node. */
export function scopesToQuery(
  job: Pick<JobRef, "numNodes">,
  chosen: readonly MetricInfo[],
): string[] {
  const scopes = ["node"];
  if (chosen.some((m) => m.scope === "accelerator")) scopes.push("accelerator");
  if (job.numNodes === 1) scopes.push("socket", "core");
  return scopes;
}

/** What the scope query found: scopes per metric and hosts with data per metric. */
interface Availability {
  scopes: Map<string, string[]>;
  hosts: Map<string, Set<string>>;
}

function Placeholder(props: { color: string; title: string; children: string }) {
  return (
    <div class={`card border-${props.color} h-100`}>
      <div class="card-body">
        <h6 class="card-title">{props.title}</h6>
        <p class="card-text small">{props.children}</p>
      </div>
    </div>
  );
}

/** The grid card. */
export default function JobMetrics(props: JobMetricsProps) {
  const { job, settings } = props;
  const [selected, setSelected] = useState(props.selected);
  const [found, setFound] = useState<Availability | null>(null);
  const [error, setError] = useState("");
  const [choosing, setChoosing] = useState(false);
  /** Refresh count of a running job (0: first load). */
  const [tick, setTick] = useState(0);
  const loadedFor = useRef<string[] | null>(null);
  const noData = withoutMetricData(job);
  const configured = new Map(props.metrics.map((m) => [m.name, m]));

  useEffect(() => {
    if (noData) return;
    const chosen = selected.flatMap((m) => configured.get(m) ?? []);
    if (chosen.length === 0) {
      setFound({ scopes: new Map(), hosts: new Map() });
      return;
    }
    // A refresh keeps the panels (and their zoom and scope) while it loads.
    if (loadedFor.current !== selected) setFound(null);
    loadedFor.current = selected;
    gql<ScopeAnswer>(SCOPE_QUERY, {
      dbid: job.id,
      selectedMetrics: chosen.map((m) => m.name),
      selectedScopes: scopesToQuery(job, chosen),
    }).then((data) => {
      const scopes = new Map<string, string[]>();
      const hosts = new Map<string, Set<string>>();
      for (const entry of data.scopedJobStats) {
        scopes.set(entry.name, [...(scopes.get(entry.name) ?? []), entry.scope]);
        const seen = hosts.get(entry.name) ?? new Set();
        for (const s of entry.stats) seen.add(s.hostname);
        hosts.set(entry.name, seen);
      }
      setError("");
      setFound({ scopes, hosts });
    }).catch((e: Error) => setError(e.message));
  }, [selected, tick]);

  const n = settings.plotsPerRow;
  const grid = `row row-cols-1 row-cols-sm-${Math.min(2, n)} row-cols-md-${Math.min(3, n)} ` +
    `row-cols-lg-${n} g-3`;
  const missingHosts = found
    ? selected.flatMap((m) => {
      const seen = found.hosts.get(m);
      const lost = seen ? job.hosts.filter((h) => !seen.has(h)) : [];
      return lost.length > 0 ? [{ metric: m, hosts: lost }] : [];
    })
    : [];

  let body;
  if (noData) {
    body = (
      <div class="alert alert-warning m-0" role="status">
        <b>Not monitored or archiving failed</b>: there is no metric data for this job.
      </div>
    );
  } else if (error) {
    body = <div class="alert alert-danger m-0" role="alert">Cannot load the metrics: {error}</div>;
  } else if (!found) {
    body = <p class="text-body-secondary m-0" role="status">Loading metrics…</p>;
  } else if (selected.length === 0) {
    body = <p class="text-body-secondary m-0">No metrics selected for display.</p>;
  } else {
    body = (
      <div class={grid}>
        {selected.map((name) => {
          const metric = configured.get(name);
          const scopes = found.scopes.get(name);
          let cell;
          if (props.disabledMetrics.includes(name)) {
            cell = (
              <Placeholder color="info" title="Disabled Metric">
                {`Metric ${name} is disabled on subcluster ${job.subCluster}. Deselect it in "Select Metrics".`}
              </Placeholder>
            );
          } else if (!metric) {
            cell = (
              <Placeholder color="secondary" title="Metric not configured">
                {`No configuration for metric ${name} on cluster ${job.cluster}.`}
              </Placeholder>
            );
          } else if (!scopes) {
            cell = (
              <Placeholder color="warning" title="Missing Metric">
                {`No dataset returned for metric ${name}.`}
              </Placeholder>
            );
          } else {
            cell = (
              <MetricPanel
                job={job}
                metric={metric}
                presetScopes={scopes}
                counts={props.counts}
                settings={settings}
                resampling={props.resampling}
                refresh={tick}
              />
            );
          }
          return <div key={name} class="col">{cell}</div>;
        })}
      </div>
    );
  }

  return (
    <div class="card mb-3">
      <div class="card-header d-flex align-items-center gap-2">
        <button
          type="button"
          class="btn btn-outline-primary btn-sm"
          onClick={() => setChoosing(true)}
        >
          <i class="bi bi-graph-up me-1" aria-hidden="true"></i>
          Select Metrics (Selected {selected.length} of {props.metrics.length} available)
        </button>
        {refreshesMetrics(job) && (
          <div class="ms-auto">
            <Refresher onRefresh={() => setTick((t) => t + 1)} />
          </div>
        )}
      </div>
      <div class="card-body">
        {body}
        {missingHosts.length > 0 && (
          <div class="alert alert-secondary mt-3 mb-0 small">
            <b>Hosts without data:</b>
            <ul class="mb-0">
              {missingHosts.map((m) => <li key={m.metric}>{m.metric}: {m.hosts.join(", ")}</li>)}
            </ul>
          </div>
        )}
      </div>
      {choosing && (
        <MetricSelection
          available={props.metrics.map((m) => m.name)}
          selected={selected}
          configKey={`metricConfig_jobViewPlotMetrics:${job.cluster}:${job.subCluster}`}
          onApply={(list) => {
            setSelected(list);
            setChoosing(false);
          }}
          onClose={() => setChoosing(false)}
        />
      )}
    </div>
  );
}
