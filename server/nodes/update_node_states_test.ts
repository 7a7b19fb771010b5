import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { type ClusterInfo, loadClusterConfig } from "../archive/mod.ts";
import { migrateUp, NodeRepository, openDatabase } from "../db/mod.ts";
import { setLogSink } from "../log/logger.ts";
import type { NodeHealth, NodeHealthChecker, NodeHealthQuery } from "./node_health.ts";
import { updateNodeStates } from "./update_node_states.ts";

const TOPOLOGY = { node: [0, 1], socket: [[0, 1]], memoryDomain: [[0, 1]], core: [[0], [1]] };
const VALUE = { unit: { base: "F/s" }, value: 1 };

/** A cluster with metrics cpu_load and mem_bw (the latter removed on subcluster `b` if present). */
function cluster(name: string, subClusters: [string, string][]): ClusterInfo {
  const hasB = subClusters.some(([scName]) => scName === "b");
  return loadClusterConfig({
    name,
    metricConfig: [
      { name: "cpu_load", unit: { base: "" }, scope: "node", aggregation: "avg", timestep: 60 },
      {
        name: "mem_bw",
        unit: { base: "B/s" },
        scope: "socket",
        aggregation: "sum",
        timestep: 60,
        subClusters: hasB ? [{ name: "b", remove: true }] : undefined,
      },
    ],
    subClusters: subClusters.map(([scName, nodes]) => ({
      name: scName,
      nodes,
      processorType: "x",
      socketsPerNode: 1,
      coresPerSocket: 2,
      threadsPerCore: 1,
      flopRateScalar: VALUE,
      flopRateSimd: VALUE,
      memoryBandwidth: VALUE,
      topology: TOPOLOGY,
    })),
  });
}

const CLUSTERS = new Map<string, ClusterInfo>([
  ["c1", cluster("c1", [["a", "n[01-04]"], ["b", "m[1-2]"]])],
  ["star", cluster("star", [["any", "*"], ["gpu", "g[1-2]"]])],
  ["blank", cluster("blank", [["any", ""]])],
]);
const clusters = { cluster: (name: string) => CLUSTERS.get(name) };

/** A checker that answers from `answers` and records its queries. */
function fakeHealth(answers: Record<string, NodeHealth>) {
  const queries: NodeHealthQuery[] = [];
  const checker: NodeHealthChecker = {
    check(query) {
      queries.push(query);
      const found = query.hostnames.filter((h) => h in answers).map((h) =>
        [h, answers[h]] as const
      );
      return Promise.resolve(new Map(found));
    },
  };
  return { checker, queries };
}

async function withDb(fn: (db: DatabaseSync) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cc-nodes-test-" });
  const db = openDatabase(`${dir}/job.db`);
  try {
    migrateUp(db);
    await fn(db);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function captureLog(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  return { lines, restore: () => setLogSink(previous) };
}

Deno.test("updateNodeStates() stores states, creates nodes and asks for health per subcluster", async () => {
  await withDb(async (db) => {
    const { checker, queries } = fakeHealth({
      n01: { state: "partial", metrics: { missing: ["mem_bw"], degraded: [] } },
      m1: { state: "full", metrics: { missing: [], degraded: [] } },
    });
    const result = await updateNodeStates({
      cluster: "c1",
      nodes: [
        {
          hostname: "n01",
          states: ["ALLOCATED"],
          cpusAllocated: 2,
          memoryAllocated: 128000,
          gpusAllocated: 1,
          jobsRunning: 1,
        },
        { hostname: "n02", states: ["idle", "drain"] },
        { hostname: "n03", states: ["down"] },
        { hostname: "m1", states: ["mixed"] },
      ],
    }, { db, clusters, health: checker, now: () => 1700000000.7 });
    assert.deepEqual(result, { cluster: "c1", stored: 4, skipped: [], reason: "" });
    assert.deepEqual(queries, [
      {
        cluster: "c1",
        subCluster: "a",
        hostnames: ["n01", "n02"],
        metrics: ["cpu_load", "mem_bw"],
      },
      { cluster: "c1", subCluster: "b", hostnames: ["m1"], metrics: ["cpu_load"] },
    ]);
    const states = new NodeRepository(db).latestStates({ cluster: "c1" });
    const by = Object.fromEntries(states.map((s) => [s.hostname, s]));
    assert.deepEqual(Object.keys(by), ["m1", "n01", "n02", "n03"]);
    assert.equal(by.n01.subCluster, "a");
    assert.equal(by.m1.subCluster, "b");
    assert.deepEqual({ ...by.n01.state, id: 0, nodeId: 0 }, {
      id: 0,
      nodeId: 0,
      timeStamp: 1700000000,
      nodeState: "allocated",
      healthState: "partial",
      healthMetrics: { missing: ["mem_bw"], degraded: [] },
      cpusAllocated: 2,
      memoryAllocated: 128000,
      gpusAllocated: 1,
      jobsRunning: 1,
    });
    // Not in the checker's answer: failed. Down: full, never checked.
    assert.equal(by.n02.state.nodeState, "idle");
    assert.equal(by.n02.state.healthState, "failed");
    assert.equal(by.n03.state.nodeState, "down");
    assert.equal(by.n03.state.healthState, "full");
    assert.equal(by.n03.state.healthMetrics, undefined);
    assert.equal(by.m1.state.jobsRunning, 0);
  });
});

Deno.test("updateNodeStates() without a metric store records full health, unchecked", async () => {
  await withDb(async (db) => {
    await updateNodeStates({ cluster: "c1", nodes: [{ hostname: "n04", states: ["idle"] }] }, {
      db,
      clusters,
    });
    const row = db.prepare("SELECT health_state, health_metrics, time_stamp FROM node_state").get();
    assert.equal(row?.health_state, "full");
    assert.equal(row?.health_metrics, null);
    assert.ok(Math.abs(Number(row?.time_stamp) - Date.now() / 1000) < 60);
  });
});

Deno.test("updateNodeStates() reports and logs nodes it cannot place", async (t) => {
  await withDb(async (db) => {
    const log = captureLog();
    try {
      await t.step("hosts in no node list are skipped, the rest stored", async () => {
        const result = await updateNodeStates({
          cluster: "c1",
          nodes: [
            { hostname: "n01", states: ["idle"] },
            { hostname: "x9" },
            { hostname: "host-ñ123" },
            { hostname: "" },
          ],
        }, { db, clusters });
        assert.deepEqual(result, {
          cluster: "c1",
          stored: 1,
          skipped: ["x9", "host-ñ123", ""],
          reason: 'no subcluster of cluster "c1" lists them',
        });
        assert.equal(new NodeRepository(db).listNodes().length, 1);
        assert.equal(log.lines.length, 1);
        assert.match(log.lines[0], /WARNING/);
        assert.match(
          log.lines[0],
          /not stored for 3 node\(s\), no subcluster .*"x9", "host-ñ123", ""/,
        );
      });

      await t.step("a node already in the database is stored with its subcluster", async () => {
        new NodeRepository(db).upsertNode({ hostname: "old1", cluster: "c1", subCluster: "b" });
        const { checker, queries } = fakeHealth({ old1: { state: "full" } });
        const result = await updateNodeStates({
          cluster: "c1",
          nodes: [{ hostname: "old1", states: ["allocated"] }],
        }, { db, clusters, health: checker });
        assert.equal(result.stored, 1);
        assert.deepEqual(queries[0].metrics, ["cpu_load"]);
      });

      await t.step("an unknown cluster stores nothing and says so", async () => {
        log.lines.length = 0;
        const hosts = Array.from({ length: 25 }, (_, i) => ({ hostname: `h${i}` }));
        const result = await updateNodeStates({ cluster: "nope", nodes: hosts }, { db, clusters });
        assert.equal(result.stored, 0);
        assert.equal(result.skipped.length, 25);
        assert.equal(result.reason, 'unknown cluster "nope"');
        assert.match(log.lines[0], /"h19" and 5 more$/);
      });

      await t.step("no nodes, no cluster: nothing to do, nothing logged", async () => {
        log.lines.length = 0;
        assert.deepEqual(await updateNodeStates({}, { db, clusters }), {
          cluster: "",
          stored: 0,
          skipped: [],
          reason: "",
        });
        assert.deepEqual(log.lines, []);
      });
    } finally {
      log.restore();
    }
  });
});

Deno.test("updateNodeStates() uses a first subcluster listing `*` or nothing as fallback", async () => {
  await withDb(async (db) => {
    const nodes = [{ hostname: "anything" }, { hostname: "g2" }];
    assert.equal((await updateNodeStates({ cluster: "star", nodes }, { db, clusters })).stored, 2);
    assert.equal((await updateNodeStates({ cluster: "blank", nodes }, { db, clusters })).stored, 2);
    const repo = new NodeRepository(db);
    assert.equal(repo.findNode("anything", "star")?.subCluster, "any");
    assert.equal(repo.findNode("g2", "star")?.subCluster, "gpu");
    assert.equal(repo.findNode("g2", "blank")?.subCluster, "any");
  });
});

Deno.test("updateNodeStates() stores all nodes or none", async () => {
  await withDb(async (db) => {
    const { checker } = fakeHealth({
      n01: { state: "full" },
      n02: { state: "ill" as NodeHealth["state"] },
    });
    await assert.rejects(
      () =>
        updateNodeStates({ cluster: "c1", nodes: [{ hostname: "n01" }, { hostname: "n02" }] }, {
          db,
          clusters,
          health: checker,
        }),
      /invalid healthState "ill"/,
    );
    assert.equal(Number(db.prepare("SELECT count(*) AS n FROM node_state").get()?.n), 0);
    assert.equal(Number(db.prepare("SELECT count(*) AS n FROM node").get()?.n), 0);
  });
});
