/**
 * Writing cluster.json in the field order of cc-lib's `schema.Cluster`. Unlike cc-backend,
 * unset optional fields (`energy: ""`, `restrict: false`, the override's empty `unit`, ...)
 * are left out, so that the file we write still satisfies cluster.schema.json and reads back
 * unchanged. Derived subcluster data (metricConfig, footprint, energyFootprint) is not written.
 *
 * @module
 */

import { escapeGoJson } from "./go_json.ts";
import type {
  Cluster,
  MetricConfig,
  MetricSubClusterOverride,
  MetricValue,
  SubCluster,
  Topology,
  Unit,
} from "./types.ts";

/** A unit in Go's field order, `prefix` only when set. */
export function unitJson(u: Unit | undefined): Unit {
  return u?.prefix ? { base: u.base ?? "", prefix: u.prefix } : { base: u?.base ?? "" };
}

const unit = unitJson;

function override(o: MetricSubClusterOverride): Record<string, unknown> {
  return {
    name: o.name,
    peak: o.peak,
    normal: o.normal,
    caution: o.caution,
    alert: o.alert,
    footprint: o.footprint || undefined,
    energy: o.energy || undefined,
    lowerIsBetter: o.lowerIsBetter || undefined,
    restrict: o.restrict || undefined,
    remove: o.remove || undefined,
  };
}

function metric(mc: MetricConfig): Record<string, unknown> {
  return {
    name: mc.name,
    unit: unit(mc.unit),
    peak: mc.peak ?? 0,
    normal: mc.normal ?? 0,
    caution: mc.caution ?? 0,
    alert: mc.alert ?? 0,
    energy: mc.energy || undefined,
    scope: mc.scope,
    aggregation: mc.aggregation,
    footprint: mc.footprint || undefined,
    subClusters: mc.subClusters?.length ? mc.subClusters.map(override) : undefined,
    timestep: mc.timestep,
    restrict: mc.restrict || undefined,
    lowerIsBetter: mc.lowerIsBetter || undefined,
  };
}

/** A `{unit, value}` pair (flop rates, bandwidth) in Go's field order. */
export function metricValueJson(v: MetricValue | undefined): Record<string, unknown> {
  return { unit: unit(v?.unit), value: v?.value ?? 0 };
}

/** A node topology in Go's field order, optional lists only when non-empty. */
export function topologyJson(t: Topology | undefined): Record<string, unknown> {
  return {
    node: t?.node ?? null,
    socket: t?.socket ?? null,
    memoryDomain: t?.memoryDomain ?? null,
    die: t?.die?.length ? t.die : undefined,
    core: t?.core ?? null,
    accelerators: t?.accelerators?.length
      ? t.accelerators.map((a) => ({ id: a.id, type: a.type, model: a.model }))
      : undefined,
  };
}

function subCluster(sc: SubCluster): Record<string, unknown> {
  return {
    name: sc.name,
    nodes: sc.nodes,
    processorType: sc.processorType ?? "",
    topology: topologyJson(sc.topology),
    flopRateScalar: metricValueJson(sc.flopRateScalar),
    flopRateSimd: metricValueJson(sc.flopRateSimd),
    memoryBandwidth: metricValueJson(sc.memoryBandwidth),
    socketsPerNode: sc.socketsPerNode ?? 0,
    coresPerSocket: sc.coresPerSocket ?? 0,
    threadsPerCore: sc.threadsPerCore ?? 0,
  };
}

/**
 * Serializes a cluster config as cc-backend writes cluster.json (no trailing newline).
 * Derived per-subcluster fields (metricConfig, footprint, energyFootprint) are not written.
 */
export function encodeCluster(cluster: Cluster): string {
  const out = {
    name: cluster.name,
    metricConfig: cluster.metricConfig.map(metric),
    subClusters: cluster.subClusters.map(subCluster),
  };
  return escapeGoJson(JSON.stringify(out));
}
