/**
 * Metric data of nodes from the built-in metric store, for administrators
 * and support staff: `nodeMetrics` (node-level series per host),
 * `nodeMetricsList` (a page of hosts with scoped series, the systems view)
 * and `clusterMetrics` (per metric the sum over all hosts, in tera units).
 *
 * @module
 */
import {
  type ClusterInfo,
  nodeListOf,
  subClusterByNode,
  type SubClusterInfo,
} from "../../../archive/mod.ts";
import type { JobMetric, MetricScope, Series } from "../../../archive/types.ts";
import { AppError } from "../../../errors.ts";
import { addStatisticsSeries, STATISTICS_SERIES_MIN } from "../../../jobs/prepare_job_data.ts";
import { fetchData } from "../../../metricstore/fetch_data.ts";
import type { MemoryStore } from "../../../metricstore/memory_store.ts";
import type { APIMetricData, APIQuery } from "../../../metricstore/query_types.ts";
import { buildScopeQueries } from "../../../metricstore/scope_queries.ts";
import { limitOffset } from "../../../db/job_query.ts";
import { type GraphqlContext, requireStaff } from "../graphql_context.ts";
import type { PageInput } from "../job_filter_input.ts";
import { defaultResolution, type NamedMetric } from "../metric_data.ts";
import { round2 } from "../scalars.ts";
import type { ResolverMap } from "./resolver_types.ts";

/** SI prefix factors for converting cluster sums to tera units. */
const PREFIX_FACTORS: Readonly<Record<string, number>> = {
  "": 1,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

function storeOf(ctx: GraphqlContext, cluster: string): MemoryStore {
  const store = ctx.services.deps.metricStore?.store;
  if (!store) {
    throw new AppError(
      500,
      `cannot load metrics of cluster ${JSON.stringify(cluster)}: no metric store is configured`,
    );
  }
  return store;
}

/** The requested metric names known on the cluster (all of them when none are requested). */
function clusterMetricNames(
  cluster: ClusterInfo,
  requested: string[] | null | undefined,
): string[] {
  const known = cluster.metricConfig.map((m) => m.name);
  return requested ? requested.filter((m) => known.includes(m)) : known;
}

function toSeries(host: string, entry: APIMetricData, id: string | null): Series {
  return {
    hostname: host,
    id: id ?? undefined,
    statistics: { avg: round2(entry.avg), min: round2(entry.min), max: round2(entry.max) },
    data: Array.from(entry.data ?? []),
  };
}

function window(args: { from: number; to: number }): { from: number; to: number } {
  const from = Math.floor(args.from);
  const to = Math.floor(args.to);
  if (from > to) {
    throw new AppError(400, `invalid time range: 'from' (${from}) is after 'to' (${to})`);
  }
  return { from, to };
}

/** Node-level series of `metrics` for `hosts`, by host then metric. */
function nodeLevel(
  store: MemoryStore,
  cluster: ClusterInfo,
  hosts: readonly string[],
  metrics: readonly string[],
  range: { from: number; to: number },
): Map<string, Map<string, APIMetricData>> {
  const queries: APIQuery[] = hosts.flatMap((host) => metrics.map((metric) => ({ metric, host })));
  const response = fetchData(store, { cluster: cluster.name, queries, ...range });
  const out = new Map<string, Map<string, APIMetricData>>();
  queries.forEach((q, i) => {
    const entry = response.results[i]?.[0];
    if (!entry || entry.error) return;
    let perHost = out.get(q.host);
    if (!perHost) out.set(q.host, perHost = new Map());
    perHost.set(q.metric, entry);
  });
  return out;
}

interface NodeMetricsArgs {
  cluster: string;
  nodes?: string[] | null;
  scopes?: MetricScope[] | null;
  metrics?: string[] | null;
  from: number;
  to: number;
}

function nodeMetrics(ctx: GraphqlContext, args: NodeMetricsArgs) {
  requireStaff(ctx);
  const cluster = ctx.services.cluster(args.cluster);
  const store = storeOf(ctx, cluster.name);
  const metrics = clusterMetricNames(cluster, args.metrics);
  const hosts = args.nodes ?? store.hosts(cluster.name);
  const data = nodeLevel(store, cluster, hosts, metrics, window(args));
  const states = ctx.services.nodes.latestByHost(cluster.name);
  const configs = new Map(cluster.metricConfig.map((m) => [m.name, m]));
  return hosts.filter((host) => data.has(host)).map((host) => ({
    host,
    nodeState: states.get(host)?.state ?? "",
    metricHealth: states.get(host)?.health ?? "",
    subCluster: subClusterByNode(cluster, host)?.name ?? "",
    metrics: [...data.get(host)!].map(([name, entry]): NamedMetric => ({
      name,
      scope: "node",
      metric: {
        unit: configs.get(name)!.unit,
        timestep: entry.resolution || configs.get(name)!.timestep,
        series: [toSeries(host, entry, null)],
      },
    })),
  }));
}

interface NodeListArgs extends NodeMetricsArgs {
  subCluster: string;
  stateFilter: string;
  nodeFilter: string;
  page?: PageInput | null;
  resolution?: number | null;
}

/** Hosts of the cluster config's node lists (of one subcluster, when given), sorted. */
function configuredHosts(cluster: ClusterInfo, subCluster: string): string[] {
  const hosts = new Set<string>();
  for (const sc of cluster.subClusters) {
    if (subCluster && sc.name !== subCluster) continue;
    const list = nodeListOf(sc);
    // A wildcard list ("*") names no hosts.
    if (!list.wildcard) { for (const host of list.expand()) hosts.add(host); }
  }
  return [...hosts].sort();
}

/** The host page of `nodeMetricsList` (cc-backend's `GetNodesForList`). */
function hostPage(ctx: GraphqlContext, cluster: ClusterInfo, args: NodeListArgs) {
  if (!args.page) throw new AppError(400, "nodeMetricsList needs a page");
  const paging = limitOffset(args.page);
  const page = paging ? { limit: Number(paging[0]), offset: Number(paging[1]) } : null;
  const slice = (hosts: string[]) =>
    page ? hosts.slice(page.offset, page.offset + page.limit) : hosts;
  const fromConfig = () => {
    const hosts = configuredHosts(cluster, args.subCluster)
      .filter((h) => !args.nodeFilter || h.includes(args.nodeFilter));
    return { hosts: slice(hosts), total: hosts.length };
  };
  if (args.stateFilter === "notindb") {
    const inDb = ctx.services.nodes.hostsOf(cluster.name);
    const hosts = configuredHosts(cluster, args.subCluster)
      .filter((h) => !inDb.has(h) && (!args.nodeFilter || h.includes(args.nodeFilter)));
    return { hosts: slice(hosts), total: hosts.length };
  }
  const found = ctx.services.nodes.hostPage({
    cluster: cluster.name,
    subCluster: args.subCluster,
    contains: args.nodeFilter,
    state: args.stateFilter === "all" ? undefined : args.stateFilter,
  }, page);
  // Without a populated node table, "all" lists the hosts of the cluster config.
  if (args.stateFilter === "all" && found.total === 0) return fromConfig();
  return found;
}

function nodeMetricsList(ctx: GraphqlContext, args: NodeListArgs) {
  requireStaff(ctx);
  const cluster = ctx.services.cluster(args.cluster);
  const store = storeOf(ctx, cluster.name);
  const { hosts, total } = hostPage(ctx, cluster, args);
  const metrics = clusterMetricNames(cluster, args.metrics);
  const scopes = args.scopes ?? ["node"];
  const resolution = args.resolution ?? defaultResolution(ctx);
  const states = ctx.services.nodes.latestByHost(cluster.name);
  const plan: { host: string; metric: string; scope: MetricScope; id?: string; query: APIQuery }[] =
    [];
  const subClusters = new Map<string, SubClusterInfo | undefined>();
  for (const host of hosts) {
    const sc = subClusterByNode(cluster, host);
    subClusters.set(host, sc);
    if (!sc) continue;
    for (const metric of metrics) {
      const mc = sc.metricConfig.find((m) => m.name === metric);
      if (!mc) continue;
      for (
        const q of buildScopeQueries({ host, topology: sc.topology }, mc, { scopes, resolution })
      ) {
        plan.push({ host, metric, scope: q.scope, id: q.id, query: q.query });
      }
    }
  }
  const response = fetchData(store, {
    cluster: cluster.name,
    queries: plan.map((p) => p.query),
    ...window(args),
  });
  const byHost = new Map<string, Map<string, JobMetric>>();
  plan.forEach((p, i) => {
    const entries = (response.results[i] ?? []).filter((e) => !e.error);
    if (entries.length === 0) return;
    let perHost = byHost.get(p.host);
    if (!perHost) byHost.set(p.host, perHost = new Map());
    const key = `${p.metric}\u0000${p.scope}`;
    let metric = perHost.get(key);
    if (!metric) {
      const mc = cluster.metricConfig.find((m) => m.name === p.metric)!;
      metric = { unit: mc.unit, timestep: entries[0].resolution || mc.timestep, series: [] };
      perHost.set(key, metric);
    }
    for (const e of entries) metric.series.push(toSeries(p.host, e, e.id ?? p.id ?? null));
  });
  const items = hosts.map((host) => ({
    host,
    nodeState: states.get(host)?.state ?? (args.stateFilter === "notindb" ? "notindb" : ""),
    metricHealth: states.get(host)?.health ?? "",
    subCluster: subClusters.get(host)?.name ?? "",
    metrics: [...byHost.get(host) ?? []].map(([key, metric]) => {
      if (metric.series.length >= STATISTICS_SERIES_MIN) addStatisticsSeries(metric);
      const [name, scope] = key.split("\u0000");
      return { name, scope, metric };
    }),
  }));
  const itemsPerPage = args.page!.itemsPerPage;
  return {
    items,
    totalNodes: total,
    hasNextPage: itemsPerPage === -1 ? false : Math.max(args.page!.page, 1) * itemsPerPage < total,
    offset: null,
    limit: null,
    count: null,
  };
}

function clusterMetrics(
  ctx: GraphqlContext,
  args: { cluster: string; metrics?: string[] | null; from: number; to: number },
) {
  requireStaff(ctx);
  const cluster = ctx.services.cluster(args.cluster);
  const store = storeOf(ctx, cluster.name);
  const metrics = clusterMetricNames(cluster, args.metrics);
  const data = nodeLevel(store, cluster, store.hosts(cluster.name), metrics, window(args));
  const out = metrics.flatMap((name) => {
    const mc = cluster.metricConfig.find((m) => m.name === name)!;
    let sums: Float64Array | null = null;
    let timestep = mc.timestep;
    for (const perHost of data.values()) {
      const values = perHost.get(name)?.data;
      if (!values || values.length === 0) continue;
      if (!sums) {
        sums = new Float64Array(values.length);
        timestep = perHost.get(name)!.resolution || timestep;
      }
      // Series of another length are left out (cc-backend's rule); NaN adds nothing.
      if (values.length !== sums.length) continue;
      for (let i = 0; i < values.length; i++) if (values[i] === values[i]) sums[i] += values[i];
    }
    if (!sums) return [];
    const factor = (PREFIX_FACTORS[mc.unit.prefix ?? ""] ?? 1) / 1e12;
    return [{
      name,
      unit: { base: mc.unit.base, prefix: "T" },
      timestep,
      data: Array.from(sums, (v) => round2(v * factor)),
    }];
  });
  return { nodeCount: data.size, metrics: out };
}

/** Resolvers of the node metric queries. */
export const nodeMetricResolvers: ResolverMap = {
  Query: {
    nodeMetrics: (_: unknown, args: NodeMetricsArgs, ctx: GraphqlContext) => nodeMetrics(ctx, args),
    nodeMetricsList: (_: unknown, args: NodeListArgs, ctx: GraphqlContext) =>
      nodeMetricsList(ctx, args),
    clusterMetrics: (
      _: unknown,
      args: { cluster: string; metrics?: string[] | null; from: number; to: number },
      ctx: GraphqlContext,
    ) => clusterMetrics(ctx, args),
  },
};
