/**
 * Load-time validation and derivation of cluster.json: scope defaults, per-subcluster
 * metric configs with overrides, footprint lists, node lists and subcluster assignment.
 *
 * @module
 */

import { AppError } from "../errors.ts";
import { log } from "../log/logger.ts";
import { type NodeList, parseNodeList } from "./nodelist.ts";
import {
  type Cluster,
  type Job,
  METRIC_SCOPES,
  type MetricConfig,
  type MetricScope,
  type SubCluster,
  type Unit,
} from "./types.ts";

/** A metric config as it applies to one subcluster (overrides applied, no `subClusters`). */
export type SubClusterMetricConfig = Omit<MetricConfig, "subClusters">;

/** A subcluster with the data cc-backend derives at load time. */
export interface SubClusterInfo extends SubCluster {
  /** The metrics available on this subcluster, in cluster.json order. */
  metricConfig: SubClusterMetricConfig[];
  /** Names of the metrics with a `footprint` statistic on this subcluster. */
  footprint: string[];
  /** Names of the metrics with an `energy` kind on this subcluster. */
  energyFootprint: string[];
}

/** A loaded cluster.json plus the derived per-subcluster data. */
export interface ClusterInfo extends Cluster {
  subClusters: SubClusterInfo[];
}

/** One entry of the global metric list (metric name → where it is available). */
export interface GlobalMetricListItem {
  name: string;
  unit: Unit;
  scope: MetricScope;
  footprint?: string;
  availability: { cluster: string; subclusters: string[] }[];
}

// Parsed node lists live beside the info objects so that ClusterInfo stays plain JSON.
const nodeLists = new WeakMap<SubClusterInfo, NodeList>();

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Validates a parsed cluster.json and derives per-subcluster metric configs, footprint and
 * energy-footprint lists. `source` (e.g. the file path) prefixes error messages.
 */
export function loadClusterConfig(raw: unknown, options: { source?: string } = {}): ClusterInfo {
  const where = options.source ?? "cluster.json";
  const bad = (msg: string): never => {
    throw new Error(`invalid cluster config ${where}: ${msg}`);
  };
  if (!isObject(raw)) bad("not a JSON object");
  const c = raw as Record<string, unknown>;
  if (typeof c.name !== "string" || c.name === "") bad("name must be a non-empty string");
  if (!Array.isArray(c.metricConfig) || c.metricConfig.length === 0) {
    bad("metricConfig must be a non-empty array");
  }
  if (!Array.isArray(c.subClusters) || c.subClusters.length === 0) {
    bad("subClusters must be a non-empty array");
  }
  const cluster = structuredClone(raw) as unknown as Cluster;
  const metricNames = new Set<string>();
  cluster.metricConfig.forEach((mc, i) => {
    const at = `metricConfig[${i}]`;
    if (!isObject(mc)) bad(`${at} is not an object`);
    if (typeof mc.name !== "string" || mc.name === "") bad(`${at}.name must not be empty`);
    if (metricNames.has(mc.name)) bad(`${at}: metric "${mc.name}" is defined twice`);
    metricNames.add(mc.name);
    if (!Number.isInteger(mc.timestep) || mc.timestep < 1) {
      bad(`${at} ("${mc.name}"): timestep must be an integer >= 1 (got ${mc.timestep})`);
    }
    // Older cluster.json files have no scope; cc-backend treats them as node metrics.
    if (mc.scope === undefined || (mc.scope as string) === "") mc.scope = "node";
    if (!METRIC_SCOPES.includes(mc.scope)) {
      bad(`${at} ("${mc.name}"): scope "${mc.scope}" is not one of ${METRIC_SCOPES.join(", ")}`);
    }
    mc.unit ??= { base: "" };
    if (mc.subClusters !== undefined && !Array.isArray(mc.subClusters)) {
      bad(`${at} ("${mc.name}"): subClusters must be an array`);
    }
    mc.subClusters?.forEach((o, j) => {
      if (!isObject(o) || typeof o.name !== "string") {
        bad(`${at}.subClusters[${j}] ("${mc.name}"): an override needs a subcluster name`);
      }
    });
  });
  const scNames = new Set<string>();
  const subClusters = cluster.subClusters.map((sc, i) => {
    const at = `subClusters[${i}]`;
    if (!isObject(sc)) bad(`${at} is not an object`);
    if (typeof sc.name !== "string" || sc.name === "") bad(`${at}.name must not be empty`);
    if (scNames.has(sc.name)) bad(`${at}: subcluster "${sc.name}" is defined twice`);
    scNames.add(sc.name);
    if (typeof sc.nodes !== "string") bad(`${at} ("${sc.name}"): nodes must be a string`);
    let nl: NodeList;
    try {
      nl = parseNodeList(sc.nodes);
    } catch (e) {
      return bad(`${at} ("${sc.name}"): ${(e as Error).message}`);
    }
    const info: SubClusterInfo = { ...sc, metricConfig: [], footprint: [], energyFootprint: [] };
    nodeLists.set(info, nl);
    return info;
  });
  for (const mc of cluster.metricConfig) {
    for (const o of mc.subClusters ?? []) {
      if (!scNames.has(o.name)) {
        log.warn(`${where}: metric "${mc.name}" overrides unknown subcluster "${o.name}"`);
      }
    }
    for (const sc of subClusters) {
      const derived = deriveMetric(mc, sc.name);
      if (!derived) continue;
      sc.metricConfig.push(derived);
      if (derived.footprint) sc.footprint.push(derived.name);
      if (derived.energy) sc.energyFootprint.push(derived.name);
    }
  }
  return { ...cluster, subClusters };
}

/** The per-subcluster copy of a metric, or undefined when the subcluster removes it. */
function deriveMetric(mc: MetricConfig, subCluster: string): SubClusterMetricConfig | undefined {
  const { subClusters: overrides, ...base } = mc;
  const o = overrides?.find((x) => x.name === subCluster);
  if (!o) return { ...base };
  if (o.remove) return undefined;
  // An override replaces all of these fields, even the ones it leaves unset (cc-backend rule).
  const out: SubClusterMetricConfig = {
    ...base,
    peak: o.peak ?? 0,
    normal: o.normal ?? 0,
    caution: o.caution ?? 0,
    alert: o.alert ?? 0,
  };
  delete out.footprint;
  delete out.energy;
  delete out.lowerIsBetter;
  delete out.restrict;
  if (o.footprint) out.footprint = o.footprint;
  if (o.energy) out.energy = o.energy;
  if (o.lowerIsBetter) out.lowerIsBetter = true;
  if (o.restrict) out.restrict = true;
  return out;
}

/** The parsed node list of a subcluster loaded by {@link loadClusterConfig}. */
export function nodeListOf(sc: SubClusterInfo): NodeList {
  let nl = nodeLists.get(sc);
  if (!nl) {
    nl = parseNodeList(sc.nodes);
    nodeLists.set(sc, nl);
  }
  return nl;
}

/**
 * The subcluster whose node list contains `hostname`; subclusters with `*` only serve as
 * fallback when they come first. Undefined when no subcluster fits.
 */
export function subClusterByNode(
  cluster: ClusterInfo,
  hostname: string,
): SubClusterInfo | undefined {
  for (const sc of cluster.subClusters) {
    const nl = nodeListOf(sc);
    if (!nl.wildcard && nl.contains(hostname)) return sc;
  }
  const first = cluster.subClusters[0];
  return first.nodes === "*" || first.nodes === "" ? first : undefined;
}

/**
 * Checks or sets `job.subCluster`: an existing value must name a subcluster of the job's
 * cluster; otherwise the first resource's hostname decides ({@link subClusterByNode}).
 * Returns the subcluster; throws an AppError (400) when none fits.
 */
export function assignSubCluster(
  clusters: readonly ClusterInfo[],
  job: Pick<Job, "jobId" | "cluster" | "subCluster" | "resources">,
): SubClusterInfo {
  const what = `cannot assign a subcluster to job ${job.jobId} on "${job.cluster}"`;
  const cluster = clusters.find((c) => c.name === job.cluster);
  if (!cluster) throw new AppError(400, `${what}: unknown cluster`);
  if (job.subCluster) {
    const sc = cluster.subClusters.find((s) => s.name === job.subCluster);
    if (!sc) throw new AppError(400, `${what}: unknown subcluster "${job.subCluster}"`);
    return sc;
  }
  const host = job.resources?.[0]?.hostname;
  if (typeof host !== "string") throw new AppError(400, `${what}: job has no resources`);
  const sc = subClusterByNode(cluster, host);
  if (!sc) throw new AppError(400, `${what}: no subcluster lists host "${host}"`);
  job.subCluster = sc.name;
  return sc;
}

/**
 * One entry per metric name across all clusters, with the subclusters where it is
 * available. With `userOnly`, subclusters where the metric is `restrict`ed are left out.
 * `footprint` is the last non-empty per-subcluster footprint seen.
 */
export function globalMetricList(
  clusters: readonly ClusterInfo[],
  options: { userOnly?: boolean } = {},
): GlobalMetricListItem[] {
  const byName = new Map<string, GlobalMetricListItem>();
  for (const cluster of clusters) {
    for (const mc of cluster.metricConfig) {
      let item = byName.get(mc.name);
      if (!item) {
        item = { name: mc.name, unit: mc.unit, scope: mc.scope, availability: [] };
        if (mc.footprint) item.footprint = mc.footprint;
        byName.set(mc.name, item);
      }
      const subclusters: string[] = [];
      for (const sc of cluster.subClusters) {
        const m = sc.metricConfig.find((x) => x.name === mc.name);
        if (!m || (options.userOnly && m.restrict)) continue;
        subclusters.push(sc.name);
        if (m.footprint) item.footprint = m.footprint;
      }
      item.availability.push({ cluster: cluster.name, subclusters });
    }
  }
  return [...byName.values()];
}
