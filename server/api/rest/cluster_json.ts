/**
 * A loaded cluster config as cc-backend's API shows it: cc-lib's
 * `schema.Cluster` in Go field order, with the per-subcluster metric
 * configs, footprint and energy-footprint lists derived at load time, and
 * Go's non-omitempty fields (`energy: ""`, `restrict: false`, ...) present.
 * (Writing cluster.json files is `encodeCluster`'s job, which leaves those
 * out.)
 *
 * @module
 */
import type {
  ClusterInfo,
  MetricConfig,
  MetricSubClusterOverride,
  SubClusterInfo,
  SubClusterMetricConfig,
  Unit,
} from "../../archive/mod.ts";
import { metricValueJson, topologyJson, unitJson } from "../../archive/cluster_codec.ts";

const unit = unitJson;

function override(o: MetricSubClusterOverride): Record<string, unknown> {
  return {
    name: o.name,
    unit: unit((o as { unit?: Unit }).unit),
    peak: o.peak ?? 0,
    normal: o.normal ?? 0,
    caution: o.caution ?? 0,
    alert: o.alert ?? 0,
    footprint: o.footprint || undefined,
    energy: o.energy ?? "",
    lowerIsBetter: o.lowerIsBetter ?? false,
    restrict: o.restrict ?? false,
    remove: o.remove ?? false,
  };
}

function metric(mc: MetricConfig | SubClusterMetricConfig): Record<string, unknown> {
  const overrides = (mc as MetricConfig).subClusters;
  return {
    name: mc.name,
    unit: unit(mc.unit),
    peak: mc.peak ?? 0,
    normal: mc.normal ?? 0,
    caution: mc.caution ?? 0,
    alert: mc.alert ?? 0,
    energy: mc.energy ?? "",
    scope: mc.scope,
    aggregation: mc.aggregation ?? "",
    footprint: mc.footprint || undefined,
    subClusters: overrides?.length ? overrides.map(override) : undefined,
    timestep: mc.timestep,
    restrict: mc.restrict ?? false,
    lowerIsBetter: mc.lowerIsBetter ?? false,
  };
}

function subCluster(sc: SubClusterInfo): Record<string, unknown> {
  return {
    name: sc.name,
    nodes: sc.nodes,
    processorType: sc.processorType ?? "",
    topology: topologyJson(sc.topology),
    flopRateScalar: metricValueJson(sc.flopRateScalar),
    flopRateSimd: metricValueJson(sc.flopRateSimd),
    memoryBandwidth: metricValueJson(sc.memoryBandwidth),
    metricConfig: sc.metricConfig.length ? sc.metricConfig.map(metric) : undefined,
    footprint: sc.footprint.length ? sc.footprint : undefined,
    energyFootprint: sc.energyFootprint.length ? sc.energyFootprint : undefined,
    socketsPerNode: sc.socketsPerNode ?? 0,
    coresPerSocket: sc.coresPerSocket ?? 0,
    threadsPerCore: sc.threadsPerCore ?? 0,
  };
}

/** The API object of one loaded cluster, keys in Go order (undefined keys are dropped by JSON). */
export function clusterApiObject(cluster: ClusterInfo): Record<string, unknown> {
  return {
    name: cluster.name,
    metricConfig: cluster.metricConfig.map(metric),
    subClusters: cluster.subClusters.map(subCluster),
  };
}
