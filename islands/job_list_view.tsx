/**
 * The job list island of `/monitoring/jobs/` and `/monitoring/user/:id`:
 * toolbar and filter dialogs, sorting, paging or infinite scroll, one row
 * per job with its metric plots, and on the user view the statistics
 * header. Every change of filters or sorting is a history entry (the URL
 * is cc-backend's filter query), so links are bookmarkable and the back
 * button restores the previous list.
 *
 * @module
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { gql } from "./lib/graphql.ts";
import type { FilterKind } from "./lib/filter_pills.ts";
import {
  addSortParams,
  filterToGraphql,
  filterToParams,
  type JobFilterItem,
  type JobFilterState,
  type JobSort,
  parseFilterParams,
  parseSortParams,
} from "./lib/job_filters.ts";
import {
  configKey,
  histogramMetrics,
  listMetrics,
  metricsOn,
  pagingOf,
  plotSettings,
  showFootprint,
  slimJob,
} from "./lib/job_list_config.ts";
import { M_CONFIG, Q_JOBLIST, Q_USERSTATS } from "./lib/job_queries.ts";
import type { JobListViewProps, JobPage, UserStatistics } from "./lib/job_list_types.ts";
import { unitText } from "./lib/plot_units.ts";
import { FilterBar } from "./job_list/filter_bar.tsx";
import { FilterDialog } from "./job_list/filter_dialogs.tsx";
import { JobRow, Note } from "./job_list/job_row.tsx";
import { MetricChooser } from "./job_list/metric_chooser.tsx";
import { Pager } from "./job_list/pager.tsx";
import { SortDialog } from "./job_list/sort_dialog.tsx";
import { UserStats } from "./job_list/user_stats.tsx";

interface View {
  filter: JobFilterState;
  sort: JobSort;
  page: number;
  itemsPerPage: number;
}

type Dialog = FilterKind | "sort" | "metrics" | "histograms";

const DURATION_BINS = ["1m", "10m", "1h", "6h", "12h"];

/** The island. */
export default function JobListView(props: JobListViewProps) {
  const [view, setView] = useState<View>({
    filter: props.filter,
    sort: props.sort,
    page: props.page,
    itemsPerPage: props.itemsPerPage,
  });
  const [list, setList] = useState<JobPage>(props.list);
  const [error, setError] = useState(props.error ?? "");
  const [loading, setLoading] = useState(false);
  const [config, setConfig] = useState(props.config);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [stats, setStats] = useState<UserStatistics | null | undefined>(props.stats);
  const [statsError, setStatsError] = useState(props.statsError ?? "");
  const [bins, setBins] = useState({ duration: "1h", metric: 10 });
  const [selected, setSelected] = useState<string[]>([]);
  const generation = useRef(0);
  const latest = useRef({ view, list, loading });
  latest.current = { view, list, loading };
  const sentinel = useRef<HTMLTableRowElement>(null);

  const { usePaging } = pagingOf(config);
  const cluster = view.filter.cluster;
  const metrics = listMetrics(config, cluster, view.filter.partition);
  const footprint = showFootprint(config, cluster);
  const shortJobs = Number(config.jobList_hideShortRunningJobs) || 0;
  const settings = useMemo(() => plotSettings(config), [config]);

  const graphqlFilters = (f: JobFilterState): JobFilterItem[] => {
    const items = filterToGraphql(f);
    if (props.user) items.push({ user: { eq: props.user.username } });
    return items;
  };

  async function loadList(v: View, append: boolean) {
    const id = ++generation.current;
    setLoading(true);
    try {
      const data = await gql<{ jobs: JobPage }>(Q_JOBLIST, {
        filter: graphqlFilters(v.filter),
        sorting: v.sort,
        paging: { itemsPerPage: v.itemsPerPage, page: v.page },
      });
      if (id !== generation.current) return;
      const items = data.jobs.items.map(slimJob);
      setList((old) => ({ ...data.jobs, items: append ? [...old.items, ...items] : items }));
      setError("");
    } catch (e) {
      if (id === generation.current) setError((e as Error).message);
    } finally {
      if (id === generation.current) setLoading(false);
    }
  }

  async function loadStats(v: View, cfg = config, b = bins) {
    if (!props.user) return;
    try {
      const data = await gql<{ jobsStatistics: UserStatistics[] }>(Q_USERSTATS, {
        jobFilters: graphqlFilters(v.filter),
        selectedHistograms: histogramMetrics(cfg, v.filter.cluster),
        numDurationBins: b.duration,
        numMetricBins: b.metric,
      });
      setStats(data.jobsStatistics[0] ?? null);
      setStatsError("");
    } catch (e) {
      setStatsError((e as Error).message);
    }
  }

  function urlOf(v: View): string {
    const params = addSortParams(filterToParams(v.filter), v.sort);
    if (usePaging && v.page > 1) params.set("page", String(v.page));
    const query = params.toString();
    return `${location.pathname}${query ? `?${query}` : ""}`;
  }

  /** Shows `next`: a history entry, the list from page 1 (or `next.page`), the statistics. */
  function go(next: Partial<View>) {
    const v = { ...view, page: 1, ...next };
    setView(v);
    history.pushState(null, "", urlOf(v));
    loadList(v, false);
    if (next.filter) loadStats(v);
  }

  useEffect(() => {
    const onPop = () => {
      const params = new URLSearchParams(location.search);
      const v = {
        ...latest.current.view,
        filter: parseFilterParams(params),
        sort: parseSortParams(params),
        page: Number(params.get("page")) || 1,
      };
      setView(v);
      loadList(v, false);
      loadStats(v);
    };
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);

  // Infinite scroll: the next page when the end of the table comes within 100 px.
  useEffect(() => {
    const row = sentinel.current;
    if (!row || usePaging) return;
    const observer = new IntersectionObserver((entries) => {
      const { view: v, list: l, loading: busy } = latest.current;
      if (!entries.some((e) => e.isIntersecting) || busy || !l.hasNextPage) return;
      const more = { ...v, page: v.page + 1 };
      setView(more);
      loadList(more, true);
    }, { rootMargin: "100px" });
    observer.observe(row);
    return () => observer.disconnect();
  }, [usePaging, list.hasNextPage, list.items.length, loading]);

  function save(name: string, value: unknown) {
    setConfig((c) => ({ ...c, [name]: value }));
    gql(M_CONFIG, { name, value: JSON.stringify(value) }).catch((e: Error) =>
      setError(`cannot save setting ${name}: ${e.message}`)
    );
  }

  const onRefresh = () => {
    setRefresh((n) => n + 1);
    loadList({
      ...view,
      page: 1,
      itemsPerPage: usePaging ? view.itemsPerPage : list.items.length || view.itemsPerPage,
    }, false);
    loadStats(view);
  };

  const unitOf = (name: string) => {
    const unit = unitText(props.globalMetrics.find((m) => m.name === name)?.unit);
    return unit ? ` (${unit})` : "";
  };
  const columns = 1 + (footprint ? 1 : 0) + Math.max(1, metrics.length);
  const close = () => setDialog(null);
  const available = metricsOn(props.globalMetrics, cluster);

  return (
    <div class="cc-job-list-view">
      {props.user && (
        <UserStats
          user={props.user}
          stats={stats}
          error={statsError}
          shortJobs={shortJobs}
          histograms={histogramMetrics(config, cluster)}
          metricBins={bins.metric}
          onMetricBins={(metric) => {
            const b = { ...bins, metric };
            setBins(b);
            loadStats(view, config, b);
          }}
          onChooseHistograms={() => setDialog("histograms")}
        />
      )}
      <FilterBar
        filter={view.filter}
        tags={props.tags}
        count={list.count}
        loading={loading}
        userSearch={props.canFilterUsers && !props.user}
        shortJobs={shortJobs}
        onFilter={(filter) => go({ filter })}
        onDialog={setDialog}
        onRefresh={onRefresh}
      >
        {selected.length > 0 && (
          <div class="btn-group">
            <a
              class="btn btn-primary"
              href={`/monitoring/jobs/compare?${selected.map((id) => `dbId=${id}`).join("&")}`}
            >
              Compare {selected.length} Jobs
            </a>
            <button type="button" class="btn btn-outline-primary" onClick={() => setSelected([])}>
              Clear
            </button>
          </div>
        )}
        {props.user && (
          <div class="input-group w-auto">
            <label class="input-group-text" for="duration-bins">Duration Bin Size</label>
            <select
              id="duration-bins"
              class="form-select"
              value={bins.duration}
              onChange={(e) => {
                const b = { ...bins, duration: (e.target as HTMLSelectElement).value };
                setBins(b);
                loadStats(view, config, b);
              }}
            >
              {DURATION_BINS.map((d) => <option key={d} value={d}>{d}</option>)}
            </select>
          </div>
        )}
      </FilterBar>
      {error && <Note color="danger" text={error} />}
      <table class="table table-bordered cc-job-table mt-2">
        <thead class="table-light">
          <tr>
            <th class="cc-info-col" scope="col">
              Job Info
              {loading && <span class="spinner-border spinner-border-sm ms-2" role="status"></span>}
            </th>
            {footprint && <th class="cc-footprint-col" scope="col">Job Footprint</th>}
            {metrics.length === 0
              ? <th scope="col">Metrics</th>
              : metrics.map((m) => <th key={m} class="cc-metric-col" scope="col">{m}{unitOf(m)}
              </th>)}
          </tr>
        </thead>
        <tbody>
          {list.items.length === 0 && !loading && (
            <tr>
              <td colSpan={columns}>
                <div class="alert alert-info mb-0">No jobs found</div>
              </td>
            </tr>
          )}
          {list.items.map((job) => (
            <JobRow
              key={job.id}
              job={job}
              metrics={metrics}
              showFootprint={footprint}
              clusters={props.clusters}
              globalMetrics={props.globalMetrics}
              settings={settings}
              resampling={props.resampling}
              refresh={refresh}
              selected={selected.includes(job.id)}
              onSelect={(id) =>
                setSelected(
                  selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id],
                )}
            />
          ))}
          {!usePaging && list.hasNextPage && (
            <tr ref={sentinel}>
              <td colSpan={columns} class="text-center text-body-secondary">
                {loading ? "Loading more jobs ..." : "More jobs follow"}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {usePaging && (
        <Pager
          page={view.page}
          itemsPerPage={view.itemsPerPage}
          total={list.count ?? 0}
          onPage={(page) => go({ page })}
          onSize={(itemsPerPage) => {
            save("jobList_jobsPerPage", itemsPerPage);
            go({ itemsPerPage });
          }}
        />
      )}
      {dialog === "sort" && (
        <SortDialog
          sort={view.sort}
          metrics={available}
          onApply={(sort) => {
            close();
            go({ sort });
          }}
          onClose={close}
        />
      )}
      {dialog === "metrics" && (
        <MetricChooser
          title="Configure columns (Metric availability shown)"
          metrics={available}
          selected={metrics}
          footprint={footprint}
          onApply={(selected, foot) => {
            close();
            save(
              configKey("metricConfig_jobListMetrics", cluster, view.filter.partition),
              selected,
            );
            save(configKey("jobList_showFootprint", cluster), foot);
          }}
          onClose={close}
        />
      )}
      {dialog === "histograms" && (
        <MetricChooser
          title="Select metrics presented in histograms"
          metrics={available.filter((m) => m.footprint)}
          selected={histogramMetrics(config, cluster)}
          onApply={(selected) => {
            close();
            const key = configKey("userView_histogramMetrics", cluster);
            save(key, selected);
            loadStats(view, { ...config, [key]: selected });
          }}
          onClose={close}
        />
      )}
      {dialog && !["sort", "metrics", "histograms"].includes(dialog) && (
        <FilterDialog
          kind={dialog as FilterKind}
          filter={view.filter}
          clusters={props.clusters}
          tags={props.tags}
          globalMetrics={props.globalMetrics}
          onApply={(patch) => {
            close();
            const filter = { ...view.filter, ...patch };
            for (const [k, v] of Object.entries(patch)) {
              if (v === undefined) delete filter[k as keyof JobFilterState];
            }
            go({ filter });
          }}
          onClose={close}
        />
      )}
    </div>
  );
}
