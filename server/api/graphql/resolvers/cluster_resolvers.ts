/**
 * `clusters` and `globalMetrics`: the archive's cluster configs as the UI's
 * init query reads them (per-subcluster metric configs with overrides
 * applied, footprint lists, node counts), partitions seen in the job table,
 * and the merged metric catalogue with restricted metrics hidden from plain
 * users and managers.
 *
 * @module
 */
import {
  type ClusterInfo,
  globalMetricList,
  type MetricConfig,
  type MetricValue,
  nodeListOf,
  type SubClusterInfo,
} from "../../../archive/mod.ts";
import { hasAnyRole, isApiOnly } from "../../../auth/auth_user.ts";
import { AppError } from "../../../errors.ts";
import type { GraphqlContext } from "../graphql_context.ts";
import type { ResolverMap } from "./resolver_types.ts";

/** How long a cluster's partition list is reused (cc-backend caches it for an hour). */
const PARTITION_TTL_SECONDS = 3600;

function partitions(cluster: ClusterInfo, ctx: GraphqlContext): string[] {
  const services = ctx.services;
  const now = services.now();
  const cached = services.partitions.get(cluster.name);
  if (cached && now - cached.at < PARTITION_TTL_SECONDS) return cached.names;
  const rows = services.deps.db.prepare(
    "SELECT DISTINCT cluster_partition AS p FROM job WHERE cluster = ? " +
      "AND cluster_partition IS NOT NULL AND cluster_partition != '' ORDER BY cluster_partition",
  ).all(cluster.name);
  const names = rows.map((r) => String(r.p));
  services.partitions.set(cluster.name, { at: now, names });
  return names;
}

/**
 * Whether the viewer gets the catalogue without restricted metrics: users
 * and managers without administrator or support role (cc-backend hides them
 * from anyone holding user or manager, even administrators).
 */
function restrictedViewer(ctx: GraphqlContext): boolean {
  const viewer = ctx.viewer;
  if (!viewer || isApiOnly(viewer) || hasAnyRole(viewer, ["admin", "support"])) return false;
  return hasAnyRole(viewer, ["user", "manager"]);
}

/** Resolvers of `clusters`, `globalMetrics` and the cluster types. */
export const clusterResolvers: ResolverMap = {
  Query: {
    clusters: (_: unknown, __: unknown, ctx: GraphqlContext) => ctx.services.clusters(),
    globalMetrics: (_: unknown, __: unknown, ctx: GraphqlContext) => {
      const userOnly = restrictedViewer(ctx);
      return globalMetricList(ctx.services.clusters(), { userOnly })
        .map((item) => ({
          ...item,
          footprint: item.footprint ?? "",
          availability: item.availability
            .filter((a) => !userOnly || a.subclusters.length > 0)
            .map((a) => ({ cluster: a.cluster, subClusters: a.subclusters })),
        }))
        .filter((item) => item.availability.length > 0);
    },
  },
  Cluster: {
    partitions: (cluster: ClusterInfo, _: unknown, ctx: GraphqlContext) => partitions(cluster, ctx),
  },
  SubCluster: {
    numberOfNodes: (sc: SubClusterInfo) => {
      try {
        return nodeListOf(sc).count();
      } catch (error) {
        throw new AppError(
          500,
          `cannot count the nodes of subcluster ${JSON.stringify(sc.name)}: ${
            (error as Error).message
          }`,
        );
      }
    },
    footprint: (sc: SubClusterInfo) => sc.footprint,
  },
  MetricValue: {
    // cc-backend declares the field but cannot answer it; there is no name to give.
    name: (_: MetricValue) => null,
  },
  Unit: {
    prefix: (unit: { prefix?: string }) => unit.prefix ?? "",
  },
  Topology: {
    die: (t: { die?: number[][] }) => t.die ?? null,
    core: (t: { core?: number[][] }) => t.core ?? null,
    accelerators: (t: { accelerators?: unknown[] }) => t.accelerators ?? null,
  },
  MetricConfig: {
    aggregation: (mc: MetricConfig) => mc.aggregation ?? "",
    peak: (mc: MetricConfig) => mc.peak ?? 0,
    normal: (mc: MetricConfig) => mc.normal ?? 0,
    caution: (mc: MetricConfig) => mc.caution ?? 0,
    alert: (mc: MetricConfig) => mc.alert ?? 0,
    lowerIsBetter: (mc: MetricConfig) => mc.lowerIsBetter ?? false,
    // Per-subcluster copies carry no overrides of their own.
    subClusters: (mc: MetricConfig) => mc.subClusters ?? [],
  },
};
