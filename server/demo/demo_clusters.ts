/**
 * The two clusters of the demo site: `fritz`, a CPU cluster, and `alex`, a GPU
 * cluster. Both are modelled on the NHR@FAU systems of the same names that
 * appear in cc-backend's test archive, but with far fewer nodes so that a demo
 * archive stays small.
 *
 * @module
 */

import type { Accelerator, Cluster, MetricConfig, SubCluster, Unit } from "../archive/types.ts";
import { buildTopology } from "./build_topology.ts";
import { parseNodeList } from "../archive/nodelist.ts";

/** The host names of a subcluster, expanded from its `nodes` expression. */
export function subClusterHosts(subCluster: SubCluster): string[] {
  return parseNodeList(subCluster.nodes).expand();
}

/**
 * The metrics of one subcluster after applying the per-subcluster overrides
 * the way cc-backend does: `remove` drops the metric, any other override
 * replaces all thresholds, footprint, energy and lowerIsBetter at once.
 */
export function subClusterMetrics(cluster: Cluster, subClusterName: string): MetricConfig[] {
  const result: MetricConfig[] = [];
  for (const { subClusters, ...metric } of cluster.metricConfig) {
    const override = subClusters?.find((o) => o.name === subClusterName);
    if (override?.remove) continue;
    if (!override) {
      result.push(metric);
      continue;
    }
    const { peak = 0, normal = 0, caution = 0, alert = 0 } = override;
    const { footprint: _f, energy: _e, lowerIsBetter: _l, restrict: _r, ...base } = metric;
    const copy: MetricConfig = { ...base, peak, normal, caution, alert };
    if (override.footprint) copy.footprint = override.footprint;
    if (override.energy) copy.energy = override.energy;
    if (override.lowerIsBetter !== undefined) copy.lowerIsBetter = override.lowerIsBetter;
    if (override.restrict !== undefined) copy.restrict = override.restrict;
    result.push(copy);
  }
  return result;
}

/** Fresh copies of the demo clusters (`fritz`, `alex`); safe to mutate. */
export function demoClusters(): Cluster[] {
  return [fritz(), alex()];
}

const G = (base: string): Unit => ({ base, prefix: "G" });
const M = (base: string): Unit => ({ base, prefix: "M" });
const flops = (value: number) => ({ unit: G("F/s"), value });
const bandwidth = (value: number) => ({ unit: G("B/s"), value });
const limits = (peak: number, normal: number, caution: number, alert: number) => ({
  peak,
  normal,
  caution,
  alert,
});

function metric(name: string, spec: Omit<MetricConfig, "name" | "timestep">): MetricConfig {
  return { name, ...spec, timestep: 60 };
}

/** Metrics both clusters share; `load` holds the cpu_load thresholds. */
function cpuMetrics(load: ReturnType<typeof limits>): MetricConfig[] {
  return [
    metric("cpu_load", {
      unit: { base: "" },
      scope: "node",
      aggregation: "avg",
      footprint: "avg",
      ...load,
    }),
    metric("cpu_user", {
      unit: { base: "" },
      scope: "hwthread",
      aggregation: "avg",
      ...limits(100, 50, 20, 10),
    }),
    metric("clock", {
      unit: M("Hz"),
      scope: "hwthread",
      aggregation: "avg",
      ...limits(3000, 2400, 1800, 1200),
    }),
    metric("ipc", {
      unit: { base: "IPC" },
      scope: "hwthread",
      aggregation: "avg",
      ...limits(4, 2, 1, 0.5),
    }),
    metric("cpu_power", {
      unit: { base: "W" },
      scope: "socket",
      aggregation: "sum",
      energy: "power",
      ...limits(500, 250, 100, 50),
    }),
    metric("net_bw", {
      unit: M("B/s"),
      scope: "node",
      aggregation: "sum",
      ...limits(12500, 5000, 500, 50),
    }),
  ];
}

function fritz(): Cluster {
  const [load, user, clock, ipc, cpuPower, net] = cpuMetrics(limits(72, 72, 36, 20));
  load.subClusters = [{ name: "spr1tb", footprint: "avg", ...limits(104, 104, 52, 20) }];
  const metricConfig: MetricConfig[] = [
    load,
    user,
    metric("mem_used", {
      unit: G("B"),
      scope: "node",
      aggregation: "sum",
      footprint: "max",
      lowerIsBetter: true,
      ...limits(256, 128, 200, 240),
      subClusters: [{
        name: "spr1tb",
        footprint: "max",
        lowerIsBetter: true,
        ...limits(1024, 512, 900, 1000),
      }],
    }),
    metric("flops_any", {
      unit: G("F/s"),
      scope: "hwthread",
      aggregation: "sum",
      footprint: "avg",
      ...limits(5600, 1000, 200, 50),
      subClusters: [{ name: "spr1tb", footprint: "avg", ...limits(6656, 1500, 400, 50) }],
    }),
    metric("mem_bw", {
      unit: G("B/s"),
      scope: "socket",
      aggregation: "sum",
      footprint: "avg",
      ...limits(350, 100, 50, 10),
      subClusters: [{ name: "spr1tb", footprint: "avg", ...limits(549, 200, 100, 20) }],
    }),
    clock,
    ipc,
    cpuPower,
    metric("mem_power", {
      unit: { base: "W" },
      scope: "socket",
      aggregation: "sum",
      energy: "power",
      ...limits(100, 50, 20, 10),
      // Sapphire Rapids nodes do not report DRAM power.
      subClusters: [{ name: "spr1tb", remove: true }],
    }),
    net,
  ];
  const subClusters: SubCluster[] = [
    {
      name: "main",
      nodes: "f[0101-0124,0201-0224]",
      processorType: "Intel Icelake",
      socketsPerNode: 2,
      coresPerSocket: 36,
      threadsPerCore: 1,
      flopRateScalar: flops(432),
      flopRateSimd: flops(9216),
      memoryBandwidth: bandwidth(350),
      topology: buildTopology({
        sockets: 2,
        coresPerSocket: 36,
        threadsPerCore: 1,
        domainsPerSocket: 2,
      }),
    },
    {
      name: "spr1tb",
      nodes: "f[2157-2164,2257-2264]",
      processorType: "Intel(R) Xeon(R) Platinum 8470",
      socketsPerNode: 2,
      coresPerSocket: 52,
      threadsPerCore: 1,
      flopRateScalar: flops(695),
      flopRateSimd: flops(9216),
      memoryBandwidth: bandwidth(549),
      topology: buildTopology({
        sockets: 2,
        coresPerSocket: 52,
        threadsPerCore: 1,
        domainsPerSocket: 4,
      }),
    },
  ];
  return { name: "fritz", metricConfig, subClusters };
}

function gpus(model: string, ids: string[]): Accelerator[] {
  return ids.map((id) => ({ id: `00000000:${id}:00.0`, type: "Nvidia GPU", model }));
}

function alex(): Cluster {
  const [load, user, clock, ipc, cpuPower, net] = cpuMetrics(limits(128, 128, 10, 5));
  const metricConfig: MetricConfig[] = [
    load,
    user,
    metric("mem_used", {
      unit: G("B"),
      scope: "node",
      aggregation: "sum",
      footprint: "max",
      lowerIsBetter: true,
      ...limits(512, 128, 200, 240),
    }),
    metric("flops_any", {
      unit: G("F/s"),
      scope: "hwthread",
      aggregation: "sum",
      footprint: "avg",
      ...limits(9216, 1000, 200, 50),
    }),
    metric("mem_bw", {
      unit: G("B/s"),
      scope: "socket",
      aggregation: "sum",
      footprint: "avg",
      ...limits(350, 100, 50, 10),
    }),
    clock,
    ipc,
    cpuPower,
    net,
    metric("acc_utilization", {
      unit: { base: "" },
      scope: "accelerator",
      aggregation: "avg",
      footprint: "avg",
      ...limits(100, 80, 50, 20),
    }),
    metric("acc_mem_used", {
      unit: G("B"),
      scope: "accelerator",
      aggregation: "sum",
      ...limits(40, 20, 10, 5),
      subClusters: [{ name: "a40", ...limits(48, 24, 10, 5) }],
    }),
    metric("acc_power", {
      unit: { base: "W" },
      scope: "accelerator",
      aggregation: "sum",
      energy: "power",
      ...limits(400, 200, 50, 20),
      subClusters: [{ name: "a40", energy: "power", ...limits(300, 150, 50, 20) }],
    }),
  ];
  const milan = (accelerators: Accelerator[]) => ({
    processorType: "AMD Milan",
    socketsPerNode: 2,
    coresPerSocket: 64,
    threadsPerCore: 1,
    flopRateScalar: flops(432),
    flopRateSimd: flops(9216),
    memoryBandwidth: bandwidth(400),
    topology: buildTopology({
      sockets: 2,
      coresPerSocket: 64,
      threadsPerCore: 1,
      domainsPerSocket: 4,
      accelerators,
    }),
  });
  const subClusters: SubCluster[] = [
    {
      name: "a40",
      nodes: "a[0121-0128]",
      ...milan(gpus("A40", ["01", "25", "41", "61", "81", "A1", "C1", "E1"])),
    },
    {
      name: "a100",
      nodes: "a[0601-0604,0701-0704]",
      ...milan(gpus("A100", ["0E", "13", "49", "4F", "90", "96", "CC", "D1"])),
    },
  ];
  return { name: "alex", metricConfig, subClusters };
}
