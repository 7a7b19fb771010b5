import assert from "node:assert/strict";
import { METRIC_SCOPES, type Topology } from "../archive/types.ts";
import { buildTopology } from "./build_topology.ts";
import { demoClusters, subClusterHosts, subClusterMetrics } from "./demo_clusters.ts";
import { nodeListContains } from "./test_util.ts";

/** Asserts that each list covers every hwthread of the node exactly once. */
function assertPartition(lists: number[][], node: number[], label: string): void {
  const flat = lists.flat().sort((a, b) => a - b);
  assert.deepEqual(flat, [...node].sort((a, b) => a - b), `${label} covers the node once`);
}

function assertTopology(topology: Topology, shape: number[], label: string): void {
  const [sockets, coresPerSocket, threadsPerCore] = shape;
  const threads = sockets * coresPerSocket * threadsPerCore;
  assert.deepEqual(topology.node, Array.from({ length: threads }, (_, i) => i), label);
  assert.equal(topology.socket.length, sockets, `${label} sockets`);
  assert.equal(topology.core?.length, sockets * coresPerSocket, `${label} cores`);
  assertPartition(topology.socket, topology.node, `${label} socket`);
  assertPartition(topology.memoryDomain, topology.node, `${label} memoryDomain`);
  assertPartition(topology.core ?? [], topology.node, `${label} core`);
  // Every memory domain and core lies within one socket.
  for (const unit of [...topology.memoryDomain, ...(topology.core ?? [])]) {
    const owners = new Set(unit.map((t) => topology.socket.findIndex((s) => s.includes(t))));
    assert.equal(owners.size, 1, `${label}: ${unit} spans sockets`);
  }
}

Deno.test("demo clusters have complete, consistent topologies", () => {
  for (const cluster of demoClusters()) {
    for (const sc of cluster.subClusters) {
      const label = `${cluster.name}/${sc.name}`;
      assertTopology(sc.topology, [sc.socketsPerNode, sc.coresPerSocket, sc.threadsPerCore], label);
    }
  }
  const alex = demoClusters()[1];
  for (const sc of alex.subClusters) {
    const accs = sc.topology.accelerators ?? [];
    assert.equal(accs.length, 8);
    assert.equal(new Set(accs.map((a) => a.id)).size, 8);
    for (const a of accs) {
      assert.match(a.id, /^[0-9A-F]{8}:[0-9A-F]{2}:00\.0$/);
      assert.equal(a.type, "Nvidia GPU");
      assert.equal(a.model, sc.name.toUpperCase());
    }
  }
});

Deno.test("buildTopology() numbers SMT threads after all cores", () => {
  const t = buildTopology({
    sockets: 2,
    coresPerSocket: 2,
    threadsPerCore: 2,
    domainsPerSocket: 1,
  });
  assert.deepEqual(t.core, [[0, 4], [1, 5], [2, 6], [3, 7]]);
  assert.deepEqual(t.socket, [[0, 4, 1, 5], [2, 6, 3, 7]]);
  assertTopology(t, [2, 2, 2], "smt");
  assert.throws(
    () => buildTopology({ sockets: 1, coresPerSocket: 6, threadsPerCore: 1, domainsPerSocket: 4 }),
    RangeError,
  );
});

Deno.test("demo clusters are small, with disjoint host lists inside their expressions", () => {
  const sizes: Record<string, number> = {};
  const seen = new Set<string>();
  for (const cluster of demoClusters()) {
    for (const sc of cluster.subClusters) {
      const hosts = subClusterHosts(sc);
      sizes[`${cluster.name}/${sc.name}`] = hosts.length;
      for (const host of hosts) {
        assert.ok(nodeListContains(sc.nodes, host), `${host} in ${sc.nodes}`);
        assert.ok(!seen.has(host), `${host} appears twice`);
        seen.add(host);
      }
    }
  }
  assert.deepEqual(sizes, { "fritz/main": 48, "fritz/spr1tb": 16, "alex/a40": 8, "alex/a100": 8 });
});

Deno.test("demo metric configs are valid and close to the real clusters", () => {
  for (const cluster of demoClusters()) {
    const names = cluster.metricConfig.map((m) => m.name);
    assert.equal(new Set(names).size, names.length, `${cluster.name}: duplicate metric`);
    for (const m of cluster.metricConfig) {
      assert.ok(METRIC_SCOPES.includes(m.scope), `${m.name} scope`);
      assert.ok(m.aggregation === "sum" || m.aggregation === "avg");
      assert.equal(m.timestep, 60);
      assert.ok(m.peak > 0 && m.normal > 0 && m.caution > 0 && m.alert > 0, m.name);
    }
    for (const required of ["cpu_load", "cpu_user", "mem_used", "flops_any", "mem_bw"]) {
      assert.ok(names.includes(required), `${cluster.name} lacks ${required}`);
    }
    const footprint = cluster.metricConfig.filter((m) => m.footprint).map((m) => m.name);
    assert.ok(footprint.includes("cpu_load") && footprint.includes("mem_used"));
  }
  const [fritz, alex] = demoClusters();
  assert.equal(fritz.metricConfig.find((m) => m.name === "mem_power")?.energy, "power");
  assert.deepEqual(
    alex.metricConfig.filter((m) => m.scope === "accelerator").map((m) => m.name),
    ["acc_utilization", "acc_mem_used", "acc_power"],
  );
});

Deno.test("subClusterMetrics() applies overrides like cc-backend", () => {
  const [fritz, alex] = demoClusters();
  const main = subClusterMetrics(fritz, "main");
  const spr = subClusterMetrics(fritz, "spr1tb");
  assert.ok(main.some((m) => m.name === "mem_power"));
  assert.ok(!spr.some((m) => m.name === "mem_power"), "removed on spr1tb");
  const load = spr.find((m) => m.name === "cpu_load");
  assert.deepEqual([load?.peak, load?.normal, load?.footprint], [104, 104, "avg"]);
  assert.equal(spr.find((m) => m.name === "mem_used")?.lowerIsBetter, true);
  assert.ok(spr.every((m) => m.subClusters === undefined));
  // An override without energy drops it; the a40 override keeps it explicitly.
  const a40Power = subClusterMetrics(alex, "a40").find((m) => m.name === "acc_power");
  assert.deepEqual([a40Power?.peak, a40Power?.energy], [300, "power"]);
  const a40Mem = subClusterMetrics(alex, "a40").find((m) => m.name === "acc_mem_used");
  assert.equal(a40Mem?.peak, 48);
});

Deno.test("demoClusters() returns fresh copies", () => {
  const a = demoClusters();
  a[0].subClusters[0].topology.node.push(999);
  assert.deepEqual(demoClusters(), demoClusters());
  assert.notDeepEqual(a, demoClusters());
});
