/**
 * The statistics table of the job view: per host and chosen metric the
 * min/avg/max of the series (cc-backend's `scopedJobStats` query), at the
 * scope chosen per metric (finer scopes as a nested table per host),
 * sortable by value at node scope, with its own metric chooser
 * (`metricConfig_jobViewTableMetrics`).
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { gql } from "./lib/graphql.ts";
import { MetricSelection } from "./lib/job_metric_selection.tsx";
import { type JobRef, type MetricInfo, withoutMetricData } from "./lib/job_types.ts";
import { roundTwoDigits, unitText } from "./lib/plot_units.ts";

/** Props of {@link JobStatsTable}. */
export interface JobStatsTableProps {
  job: JobRef;
  metrics: MetricInfo[];
  /** The viewer's choice (`metricConfig_jobViewTableMetrics`). */
  selected: string[];
}

/** The GraphQL operation, as cc-backend's UI sends it. */
export const STATS_QUERY =
  `query ($dbid: ID!, $selectedMetrics: [String!]!, $selectedScopes: [MetricScope!]!) {
  scopedJobStats(id: $dbid, metrics: $selectedMetrics, scopes: $selectedScopes) {
    name
    scope
    stats { hostname id data { min avg max } }
  }
}`;

type Stat = "min" | "avg" | "max";

/** One series' statistics. */
export interface StatRow {
  hostname: string;
  id?: string | null;
  data: { min: number; avg: number; max: number } | null;
}

interface StatsEntry {
  name: string;
  scope: string;
  stats: StatRow[];
}

const ALL_SCOPES = ["node", "socket", "core", "hwthread", "accelerator"];
const PREFERENCE = ["accelerator", "core", "socket", "node"];

/** The scopes the table asks for first. */
export function tableScopes(
  job: Pick<JobRef, "numNodes">,
  chosen: readonly MetricInfo[],
): string[] {
  const scopes = ["node"];
  if (job.numNodes === 1) scopes.push("socket", "core", "hwthread");
  if (chosen.some((m) => m.scope === "accelerator")) scopes.push("accelerator");
  return scopes;
}

/** The scope shown first: accelerator, else core, else socket, else node (when available). */
export function preferredScope(available: readonly string[]): string {
  return PREFERENCE.find((s) => available.includes(s)) ?? available[0] ?? "node";
}

/** Ids in natural order (`2` before `10`). */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

const fmt = (v: number | undefined) => (v === undefined || v === null ? "-" : roundTwoDigits(v));

function Nested(props: { rows: StatRow[] }) {
  const rows = [...props.rows].sort((a, b) =>
    naturalCompare(String(a.id ?? ""), String(b.id ?? ""))
  );
  return (
    <table class="table table-sm mb-0 cc-nested-stats">
      <tbody>
        {rows.map((r) => (
          <tr key={r.id ?? r.hostname}>
            <td>{r.id}</td>
            <td>{fmt(r.data?.min)}</td>
            <td>{fmt(r.data?.avg)}</td>
            <td>{fmt(r.data?.max)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The table tab. */
export default function JobStatsTable(props: JobStatsTableProps) {
  const { job } = props;
  const [selected, setSelected] = useState(props.selected);
  const [entries, setEntries] = useState<StatsEntry[] | null>(null);
  const [allScopes, setAllScopes] = useState(false);
  const [scopeOf, setScopeOf] = useState<Record<string, string>>({});
  const [sort, setSort] = useState<{ metric: string; stat: Stat; desc: boolean } | null>(null);
  const [error, setError] = useState("");
  const [choosing, setChoosing] = useState(false);
  const chosen = selected.flatMap((m) => props.metrics.find((x) => x.name === m) ?? []);

  useEffect(() => {
    if (withoutMetricData(job) || chosen.length === 0) {
      setEntries([]);
      return;
    }
    setEntries(null);
    gql<{ scopedJobStats: StatsEntry[] }>(STATS_QUERY, {
      dbid: job.id,
      selectedMetrics: chosen.map((m) => m.name),
      selectedScopes: allScopes ? ALL_SCOPES : tableScopes(job, chosen),
    }).then((data) => {
      setError("");
      setEntries(data.scopedJobStats);
    }).catch((e: Error) => setError(e.message));
  }, [selected, allScopes]);

  const scopesOf = (m: string) => (entries ?? []).filter((e) => e.name === m).map((e) => e.scope);
  const shownScope = (m: string) => scopeOf[m] ?? preferredScope(scopesOf(m));
  const rowsOf = (m: string, host: string) =>
    entries?.find((e) => e.name === m && e.scope === shownScope(m))?.stats.filter((s) =>
      s.hostname === host
    ) ?? [];

  let hosts = [...job.hosts].sort();
  if (sort && shownScope(sort.metric) === "node") {
    const value = (h: string) => rowsOf(sort.metric, h)[0]?.data?.[sort.stat] ?? -Infinity;
    hosts = hosts.sort((a, b) => (value(a) - value(b)) * (sort.desc ? -1 : 1));
  }
  const sortButton = (m: string, stat: Stat) => {
    const active = sort?.metric === m && sort.stat === stat;
    return (
      <button
        type="button"
        class="btn btn-link btn-sm p-0 text-reset text-decoration-none"
        aria-label={`Sort by ${m} ${stat}`}
        onClick={() => setSort({ metric: m, stat, desc: active ? !sort!.desc : true })}
      >
        {stat}{" "}
        <i
          class={`bi bi-caret-${active && !sort!.desc ? "up" : "down"}-fill small`}
          aria-hidden="true"
        >
        </i>
      </button>
    );
  };

  if (withoutMetricData(job)) {
    return (
      <p class="m-2 text-body-secondary">
        Not monitored or archiving failed: there are no statistics for this job.
      </p>
    );
  }
  return (
    <div class="p-2">
      <div class="d-flex flex-wrap gap-2 mb-2">
        <button
          type="button"
          class="btn btn-outline-primary btn-sm"
          onClick={() => setChoosing(true)}
        >
          Select Metrics (Selected {selected.length} of {props.metrics.length} available)
        </button>
        {job.state === "running" && job.numNodes > 1 && !allScopes && (
          <button
            type="button"
            class="btn btn-outline-secondary btn-sm"
            onClick={() => setAllScopes(true)}
          >
            Add More Scopes
          </button>
        )}
      </div>
      {error && (
        <div class="alert alert-danger py-1" role="alert">Cannot load statistics: {error}</div>
      )}
      {!entries && !error && <p class="text-body-secondary" role="status">Loading statistics…</p>}
      {entries && chosen.length === 0 && <p class="text-body-secondary">No metrics selected.</p>}
      {entries && chosen.length > 0 && (
        <div class="table-responsive">
          <table class="table table-sm table-hover cc-stats-table">
            <thead>
              <tr>
                <th></th>
                {chosen.map((m) => {
                  const scopes = scopesOf(m.name);
                  return (
                    <th
                      key={m.name}
                      colSpan={shownScope(m.name) === "node" ? 3 : 1}
                      scope="colgroup"
                    >
                      {scopes.length === 0
                        ? `Missing Metric: ${m.name}`
                        : (
                          <div class="input-group input-group-sm flex-nowrap">
                            <span class="input-group-text">
                              {m.name}
                              {unitText(m.unit) && ` (${unitText(m.unit)})`}
                            </span>
                            <select
                              class="form-select"
                              aria-label={`Scope of ${m.name} statistics`}
                              value={shownScope(m.name)}
                              onChange={(e) =>
                                setScopeOf({
                                  ...scopeOf,
                                  [m.name]: (e.target as HTMLSelectElement).value,
                                })}
                            >
                              {scopes.map((s) => <option key={s} value={s}>{s}</option>)}
                            </select>
                          </div>
                        )}
                    </th>
                  );
                })}
              </tr>
              <tr>
                <th scope="col">Node</th>
                {chosen.map((m) =>
                  shownScope(m.name) === "node"
                    ? (["min", "avg", "max"] as Stat[]).map((stat) => (
                      <th key={`${m.name}${stat}`} scope="col">{sortButton(m.name, stat)}</th>
                    ))
                    : <th key={m.name} scope="col">Id / Min / Avg / Max</th>
                )}
              </tr>
            </thead>
            <tbody>
              {hosts.map((h) => (
                <tr key={h}>
                  <th scope="row">{h}</th>
                  {chosen.map((m) => {
                    const rows = rowsOf(m.name, h);
                    if (scopesOf(m.name).length === 0 || rows.length === 0) {
                      return (
                        <td
                          key={m.name}
                          colSpan={shownScope(m.name) === "node" ? 3 : 1}
                          class="text-body-secondary"
                        >
                          No dataset(s) returned for {m.name}
                        </td>
                      );
                    }
                    if (shownScope(m.name) !== "node") {
                      return (
                        <td key={m.name}>
                          <Nested rows={rows} />
                        </td>
                      );
                    }
                    const d = rows[0].data;
                    return [
                      <td key={`${m.name}min`}>{fmt(d?.min)}</td>,
                      <td key={`${m.name}avg`}>{fmt(d?.avg)}</td>,
                      <td key={`${m.name}max`}>{fmt(d?.max)}</td>,
                    ];
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {choosing && (
        <MetricSelection
          available={props.metrics.map((m) => m.name)}
          selected={selected}
          configKey={`metricConfig_jobViewTableMetrics:${job.cluster}:${job.subCluster}`}
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
