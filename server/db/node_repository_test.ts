import assert from "node:assert/strict";
import { AppError } from "../errors.ts";
import { NodeRepository, type NodeStateSpec } from "./node_repository.ts";
import { withTempDb } from "./test_db.ts";

const IDLE: NodeStateSpec = { timeStamp: 100, nodeState: "idle", healthState: "full" };

Deno.test("upsertNode() creates once and updates subcluster and metadata", async () => {
  await withTempDb((db) => {
    const nodes = new NodeRepository(db);
    const id = nodes.upsertNode({ hostname: "f0101", cluster: "fritz", subCluster: "main" });
    assert.equal(
      nodes.upsertNode({
        hostname: "f0101",
        cluster: "fritz",
        subCluster: "spr",
        metaData: { rack: "1" },
      }),
      id,
    );
    assert.equal(nodes.upsertNode({ hostname: "f0101", cluster: "fritz", subCluster: "spr" }), id);
    assert.deepEqual(nodes.findNode("f0101", "fritz"), {
      id,
      hostname: "f0101",
      cluster: "fritz",
      subCluster: "spr",
      metaData: { rack: "1" },
    });
    const other = nodes.upsertNode({ hostname: "f0101", cluster: "alex", subCluster: "a40" });
    assert.notEqual(other, id);
    assert.deepEqual(nodes.listNodes({ cluster: "alex" }).map((n) => n.id), [other]);
    assert.equal(nodes.listNodes().length, 2);
    assert.throws(
      () => nodes.upsertNode({ hostname: "x", cluster: "", subCluster: "s" }),
      /empty cluster/,
    );
  });
});

Deno.test("latestStates() returns each node's newest state", async () => {
  await withTempDb((db) => {
    const nodes = new NodeRepository(db);
    const a = nodes.upsertNode({ hostname: "a", cluster: "c", subCluster: "s" });
    const b = nodes.upsertNode({ hostname: "b", cluster: "c", subCluster: "s" });
    nodes.upsertNode({ hostname: "never", cluster: "c", subCluster: "s" });
    nodes.insertNodeState(a, { ...IDLE, timeStamp: 300 });
    const newest = nodes.insertNodeState(a, {
      timeStamp: 400,
      nodeState: "allocated",
      healthState: "partial",
      jobsRunning: 2,
      cpusAllocated: 64,
      memoryAllocated: 512,
      gpusAllocated: 1,
      healthMetrics: { missing: ["mem_used"], degraded: ["it's"] },
    });
    nodes.insertNodeState(a, { ...IDLE, timeStamp: 200 });
    nodes.insertNodeState(b, IDLE);
    const latest = nodes.latestStates({ cluster: "c" });
    assert.deepEqual(latest.map((n) => n.hostname), ["a", "b"]);
    assert.deepEqual(latest[0].state, {
      id: newest,
      nodeId: a,
      timeStamp: 400,
      nodeState: "allocated",
      healthState: "partial",
      jobsRunning: 2,
      cpusAllocated: 64,
      memoryAllocated: 512,
      gpusAllocated: 1,
      healthMetrics: { missing: ["mem_used"], degraded: ["it's"] },
    });
    assert.equal(latest[1].state.nodeState, "idle");
    assert.equal(nodes.latestStates({ cluster: "other" }).length, 0);
  });
});

Deno.test("latestStates() reads the migrated fixture", async () => {
  await withTempDb((db) => {
    const [node] = new NodeRepository(db).latestStates();
    assert.equal(node.hostname, "host124");
    assert.equal(node.state.nodeState, "allocated");
    assert.equal(node.state.cpusAllocated, 72);
    assert.equal(node.state.healthMetrics, undefined);
  }, { fixture: true });
});

Deno.test("insertNodeState() rejects states outside the CHECK lists and unknown nodes", async () => {
  await withTempDb((db) => {
    const nodes = new NodeRepository(db);
    const id = nodes.upsertNode({ hostname: "a", cluster: "c", subCluster: "s" });
    const bad = { ...IDLE, nodeState: "drained" } as unknown as NodeStateSpec;
    assert.throws(() => nodes.insertNodeState(id, bad), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.status, 400);
      assert.match(error.message, /cannot store state of node \d+: invalid nodeState "drained"/);
      return true;
    });
    const sick = { ...IDLE, healthState: "ill" } as unknown as NodeStateSpec;
    assert.throws(() => nodes.insertNodeState(id, sick), /invalid healthState "ill"/);
    assert.throws(
      () => nodes.insertNodeState(999, IDLE),
      /node 999: a referenced row does not exist/,
    );
  });
});

Deno.test("ensureNode() creates unknown nodes only with a subcluster and keeps existing ones", async () => {
  await withTempDb((db) => {
    const nodes = new NodeRepository(db);
    assert.equal(nodes.ensureNode("f0101", "fritz", undefined), null);
    assert.equal(nodes.listNodes().length, 0);
    const id = nodes.ensureNode("f0101", "fritz", "main");
    assert.ok(id);
    assert.equal(nodes.ensureNode("f0101", "fritz", "spr"), id);
    assert.equal(nodes.ensureNode("f0101", "fritz", undefined), id);
    assert.equal(nodes.findNode("f0101", "fritz")?.subCluster, "main");
  });
});

Deno.test("latestStates() ignores health_metrics that are not the object form", async () => {
  await withTempDb((db) => {
    const nodes = new NodeRepository(db);
    const id = nodes.upsertNode({ hostname: "a", cluster: "c", subCluster: "s" });
    const state = nodes.insertNodeState(id, IDLE);
    db.prepare("UPDATE node_state SET health_metrics = ? WHERE id = ?").run('["x"]', state);
    assert.equal(nodes.latestStates()[0].state.healthMetrics, undefined);
    db.prepare("UPDATE node_state SET health_metrics = ? WHERE id = ?").run("", state);
    assert.equal(nodes.latestStates()[0].state.healthMetrics, undefined);
  });
});
