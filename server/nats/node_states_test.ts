import assert from "node:assert/strict";
import { NodeRepository } from "../db/mod.ts";
import { withSite } from "../importer/test_helpers.ts";
import { setLogSink } from "../log/logger.ts";
import { quoteFieldString } from "./event_line.ts";
import { NodeStateHandler } from "./node_states.ts";

const encoder = new TextEncoder();

function message(payload: unknown, ts = "1234567890000000000"): Uint8Array {
  const json = typeof payload === "string" ? payload : JSON.stringify(payload);
  return encoder.encode(`nodestate event=${quoteFieldString(json)} ${ts}`);
}

Deno.test("NodeStateHandler stores node states (TestNatsHandleNodeState)", async (t) => {
  const log: string[] = [];
  const previous = setLogSink((l) => log.push(l));
  try {
    await withSite(async ({ db, archive }) => {
      const h = new NodeStateHandler({
        subject: "cc.node.state",
        db,
        clusters: archive,
        now: () => 1700000000,
      });
      const nodes = new NodeRepository(db);
      await t.step("one node, allocated", async () => {
        await h.handle(message({
          cluster: "fritz",
          nodes: [{
            hostname: "f0101",
            states: ["allocated"],
            cpusAllocated: 8,
            memoryAllocated: 16384,
            gpusAllocated: 0,
            jobsRunning: 1,
          }],
        }));
        const [node] = nodes.latestStates({ cluster: "fritz" });
        assert.equal(node.hostname, "f0101");
        assert.equal(node.state.nodeState, "allocated");
        assert.equal(node.state.cpusAllocated, 8);
        assert.equal(node.state.timeStamp, 1700000000);
      });
      await t.step("two nodes; idle+down is down", async () => {
        await h.handle(message({
          cluster: "fritz",
          nodes: [
            { hostname: "f0101", states: ["idle", "down"] },
            { hostname: "f0102", states: ["allocated"], cpusAllocated: 4, jobsRunning: 1 },
          ],
        }));
        const states = nodes.latestStates({ cluster: "fritz" }).map((n) => n.state.nodeState);
        assert.deepEqual(states, ["down", "allocated"]);
      });
      await t.step("an empty node list is a no-op", async () => {
        await h.handle(message({ nodes: [] }));
        assert.equal(h.counter.stats.accepted, 3);
      });
      await t.step("malformed payloads are rejected", async () => {
        await h.handle(message({ cluster: "fritz", nodes: "not an array" }));
        assert.match(log.at(-1)!, /nodestate: parsing event failed: json: field "nodes"/);
        await h.handle(message({ cluster: "fritz", nodes: [], extra: 1 }));
        assert.match(log.at(-1)!, /json: unknown field "extra"/);
        await h.handle(encoder.encode("invalid line protocol format"));
        assert.match(log.at(-1)!, /line 1: /);
        await h.handle(new Uint8Array());
        assert.match(log.at(-1)!, /received empty message/);
        await h.handle(encoder.encode('nodestate event="{"nodes":[]}" 1'));
        assert.match(log.at(-1)!, /not escaped/);
        await h.handle(encoder.encode(`other event="{}" 1`));
        assert.match(log.at(-1)!, /measurement "other" is not "nodestate"/);
      });
      await t.step("an unknown cluster or host stores nothing and is rejected", async () => {
        await h.handle(
          message({ cluster: "nosuch", nodes: [{ hostname: "x1", states: ["idle"] }] }),
        );
        assert.match(log.at(-1)!, /none of 1 node\(s\) stored: unknown cluster "nosuch"/);
        await h.handle(message({ cluster: "fritz", nodes: [{ hostname: "host-ñ123" }] }));
        assert.match(log.at(-1)!, /none of 1 node\(s\) stored: no subcluster/);
      });
      await t.step("a timestamp of 1e18 is fine", async () => {
        await h.handle(message({ cluster: "fritz", nodes: [] }, "1000000000000000000"));
        assert.equal(h.counter.stats.accepted, 4);
      });
      assert.equal(h.counter.stats.rejected, 8);
    }, { archive: "fixture" });
  } finally {
    setLogSink(previous);
  }
});
