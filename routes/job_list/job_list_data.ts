/**
 * What the job list pages (`/monitoring/jobs/`, `/monitoring/user/:id`)
 * hand their island: the filters and sort order of the URL, the first page
 * of jobs and (user view) the statistics, read with the same GraphQL
 * operations the island sends later, run in-process with the viewer's
 * rights, plus the slice of the cluster configuration and of the viewer's
 * UI settings the list needs.
 *
 * @module
 */
import { hasAnyRole } from "../../server/auth/auth_user.ts";
import { AppError } from "../../server/errors.ts";
import type { PageRequest } from "../../server/render/define_page.ts";
import { runPageQuery } from "../../server/render/page_graphql.ts";
import { userUiConfig } from "../../server/render/ui_config.ts";
import {
  DEFAULT_SORT,
  filterToGraphql,
  type JobFilterItem,
  type JobSort,
  parseFilterParams,
  parseSortParams,
} from "../../islands/lib/job_filters.ts";
import { histogramMetrics, pagingOf, slimJob } from "../../islands/lib/job_list_config.ts";
import type {
  ClusterInfo,
  GlobalMetric,
  JobListViewProps,
  JobPage,
  TagInfo,
  UserHeader,
  UserStatistics,
} from "../../islands/lib/job_list_types.ts";
import { Q_JOBLIST, Q_USERSTATS } from "../../islands/lib/job_queries.ts";

/** The cluster configuration the list needs (a trimmed version of the UI's init query). */
export const Q_LIST_INIT =
  "query{clusters{name partitions subClusters{name numberOfNodes topology{node socket memoryDomain core accelerators{id}} metricConfig{name unit{base prefix} scope aggregation timestep peak normal caution alert lowerIsBetter}}} tags{id name type scope} globalMetrics{name scope footprint unit{base prefix} availability{cluster subClusters}}}";

interface InitAnswer {
  clusters: {
    name: string;
    partitions: string[];
    subClusters: {
      name: string;
      numberOfNodes: number;
      topology: {
        node?: number[] | null;
        socket?: number[][] | null;
        memoryDomain?: number[][] | null;
        core?: number[][] | null;
        accelerators?: { id: string }[] | null;
      };
      metricConfig:
        (Omit<ClusterInfo["subClusters"][number]["metrics"][number], "lowerIsBetter"> & {
          lowerIsBetter?: boolean | null;
        })[];
    }[];
  }[];
  tags: TagInfo[];
  globalMetrics: GlobalMetric[];
}

function toClusters(answer: InitAnswer): ClusterInfo[] {
  return answer.clusters.map((c) => ({
    name: c.name,
    partitions: c.partitions ?? [],
    subClusters: c.subClusters.map((sc) => ({
      name: sc.name,
      numberOfNodes: sc.numberOfNodes,
      scopeCounts: {
        hwthread: sc.topology.node?.length ?? 0,
        core: sc.topology.core?.length ?? 0,
        socket: sc.topology.socket?.length ?? 0,
        memoryDomain: sc.topology.memoryDomain?.length ?? 0,
        accelerator: sc.topology.accelerators?.length ?? 0,
      },
      metrics: sc.metricConfig.map(({ lowerIsBetter, ...m }) => ({
        ...m,
        unit: { base: m.unit?.base ?? "", prefix: m.unit?.prefix ?? "" },
        ...(lowerIsBetter ? { lowerIsBetter: true } : {}),
      })),
    })),
  }));
}

/** What differs between the two list pages. */
export interface JobListOptions {
  /** The user view: every filter gets `{user: {eq: username}}`. */
  user?: UserHeader;
}

/** The footprint sort keys of `metrics`; other `foot` sorts fall back to the default. */
function checkedSort(sort: JobSort, metrics: readonly GlobalMetric[]): JobSort {
  if (sort.type !== "foot") return sort;
  const known = metrics.some((m) => m.footprint && `${m.name}_${m.footprint}` === sort.field);
  return known ? sort : DEFAULT_SORT;
}

function message(error: unknown): string {
  if (error instanceof AppError) return error.message;
  throw error;
}

/** Loads the island props of a list page for the request's URL and viewer. */
export async function loadJobList(
  { c, user, deps }: PageRequest,
  options: JobListOptions = {},
): Promise<JobListViewProps> {
  const params = new URL(c.req.url).searchParams;
  const init = await runPageQuery<InitAnswer>(deps, user, { query: Q_LIST_INIT });
  const config = userUiConfig(deps, user);
  const filter = parseFilterParams(params);
  const sort = checkedSort(parseSortParams(params), init.globalMetrics);
  const { usePaging, itemsPerPage } = pagingOf(config);
  const page = usePaging ? Math.max(1, Math.floor(Number(params.get("page"))) || 1) : 1;
  const filters: JobFilterItem[] = filterToGraphql(filter);
  if (options.user) filters.push({ user: { eq: options.user.username } });

  let list: JobPage = { items: [], count: 0, hasNextPage: false };
  let error: string | undefined;
  try {
    const answer = await runPageQuery<{ jobs: JobPage }>(deps, user, {
      query: Q_JOBLIST,
      variables: { filter: filters, sorting: sort, paging: { itemsPerPage, page } },
    });
    list = { ...answer.jobs, items: answer.jobs.items.map(slimJob) };
  } catch (e) {
    error = message(e);
  }

  let stats: UserStatistics | null | undefined;
  let statsError: string | undefined;
  if (options.user) {
    try {
      const answer = await runPageQuery<{ jobsStatistics: UserStatistics[] }>(deps, user, {
        query: Q_USERSTATS,
        variables: {
          jobFilters: filters,
          selectedHistograms: histogramMetrics(config, filter.cluster),
          numDurationBins: "1h",
          numMetricBins: 10,
        },
      });
      stats = answer.jobsStatistics[0] ?? null;
    } catch (e) {
      statsError = message(e);
    }
  }

  const resampling = deps.config.main.resampling;
  return {
    ...(options.user ? { user: options.user, stats, statsError } : {}),
    filter,
    sort,
    page,
    itemsPerPage,
    list,
    ...(error ? { error } : {}),
    clusters: toClusters(init),
    globalMetrics: init.globalMetrics,
    tags: init.tags,
    config: listConfig(config),
    resampling: resampling?.resolutions?.length
      ? { resolutions: resampling.resolutions, trigger: resampling.trigger }
      : null,
    canFilterUsers: hasAnyRole(user, ["manager", "support", "admin"]),
  };
}

const LIST_KEYS =
  /^(jobList_|metricConfig_jobListMetrics|userView_histogramMetrics|plotConfiguration_)/;

/** The settings the list reads (the island gets nothing else of the viewer's configuration). */
function listConfig(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([key]) => LIST_KEYS.test(key)));
}
