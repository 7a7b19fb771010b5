import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { NodeRepository } from "./node_repository.ts";
import { NodeStateQuery } from "./node_state_query.ts";
import { withTempDb } from "./test_db.ts";

function seed(db: DatabaseSync): void {
  const nodes = new NodeRepository(db);
  const spec = [["n1", "c1", "s1"], ["n2", "c1", "s2"], ["n3", "c2", "s1"], ["n4", "c1", "s1"]];
  for (const [hostname, cluster, subCluster] of spec) {
    const id = nodes.upsertNode({ hostname, cluster, subCluster, metaData: { rack: hostname } });
    if (hostname === "n4") continue; // a node without any state
    nodes.insertNodeState(id, { timeStamp: 100, nodeState: "idle", healthState: "full" });
    nodes.insertNodeState(id, {
      timeStamp: 200,
      nodeState: hostname === "n1" ? "allocated" : "idle",
      healthState: hostname === "n2" ? "failed" : "full",
      healthMetrics: hostname === "n2" ? { missing: ["load"] } : undefined,
    });
  }
}

async function withNodes(fn: (q: NodeStateQuery) => void): Promise<void> {
  await withTempDb((db) => {
    seed(db);
    fn(new NodeStateQuery(db));
  });
}

Deno.test("NodeStateQuery.latest() filters on the latest state and sorts by allow-listed fields", async () => {
  await withNodes((q) => {
    const hosts = (...args: Parameters<NodeStateQuery["latest"]>) =>
      q.latest(...args).map((n) => n.hostname);
    assert.deepEqual(hosts([]), ["n1", "n2", "n3"]);
    assert.deepEqual(hosts([{ cluster: { eq: "c1" } }]), ["n1", "n2"]);
    assert.deepEqual(hosts([{ schedulerState: "idle" }]), ["n2", "n3"]);
    assert.deepEqual(hosts([{ healthState: "failed" }, { hostname: { startsWith: "n" } }]), ["n2"]);
    assert.deepEqual(hosts([], { field: "hostname", order: "DESC" }), ["n3", "n2", "n1"]);
    assert.deepEqual(
      hosts([], { field: "startTime", order: "DESC" }),
      ["n1", "n2", "n3"],
      "unknown: hostname ASC",
    );
    const n2 = q.latest([{ hostname: { eq: "n2" } }])[0];
    assert.deepEqual(n2.healthData, { missing: ["load"] });
    assert.deepEqual(n2.metaData, { rack: "n2" });
  });
});

Deno.test("NodeStateQuery counts latest states and states over time", async () => {
  await withNodes((q) => {
    assert.deepEqual(q.stateCounts([], "node"), [{ state: "allocated", count: 1 }, {
      state: "idle",
      count: 2,
    }]);
    assert.deepEqual(q.stateCounts([{ cluster: { eq: "c1" } }], "health"), [
      { state: "failed", count: 1 },
      { state: "full", count: 1 },
    ]);
    assert.deepEqual(q.timedCounts([{ cluster: { eq: "c1" } }], "node"), [
      { state: "allocated", times: [200], counts: [1] },
      { state: "idle", times: [100, 200], counts: [2, 1] },
    ]);
    assert.deepEqual(q.timedCounts([{ timeStart: 150 }], "health"), [
      { state: "failed", times: [200], counts: [1] },
      { state: "full", times: [200], counts: [2] },
    ]);
  });
});

Deno.test("NodeStateQuery host pages and look-ups", async () => {
  await withNodes((q) => {
    assert.deepEqual(q.hostPage({ cluster: "c1" }, { limit: 2, offset: 1 }), {
      hosts: ["n2", "n4"],
      total: 3,
    });
    assert.deepEqual(q.hostPage({ cluster: "c1", state: "idle" }, null), {
      hosts: ["n2"],
      total: 1,
    });
    assert.deepEqual(q.hostPage({ cluster: "c1", subCluster: "s1", contains: "4" }, null), {
      hosts: ["n4"],
      total: 1,
    });
    assert.deepEqual([...q.hostsOf("c2")], ["n3"]);
    assert.deepEqual(q.latestByHost("c1").get("n1"), { state: "allocated", health: "full" });
    assert.equal(q.findById(4)?.schedulerState, "", "a node without state has empty state fields");
    assert.equal(q.findById(99), null);
  });
});
