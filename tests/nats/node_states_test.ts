import assert from "node:assert/strict";
import { NodeRepository } from "../../server/db/mod.ts";
import { NEEDS_NATS } from "./nats_server.ts";
import { NODE_SUBJECT, nodeStateEvent, waitFor, withNatsSite } from "./nats_site.ts";

Deno.test({
  name: "NATS node states are stored; bad ones are logged and counted",
  ...NEEDS_NATS,
  fn: () =>
    withNatsSite(async ({ db, api, publish, log }) => {
      const nodes = new NodeRepository(db);
      await publish(
        NODE_SUBJECT,
        nodeStateEvent({
          cluster: "fritz",
          nodes: [
            { hostname: "f0101", states: ["allocated"], cpusAllocated: 8, jobsRunning: 1 },
            { hostname: "f0102", states: ["IDLE"], memoryAllocated: 0 },
            { hostname: "f2157", states: ["idle", "down"] },
          ],
        }),
      );
      const stored = await waitFor("three node states", () => {
        const latest = nodes.latestStates({ cluster: "fritz" });
        return latest.length === 3 && latest;
      });
      assert.deepEqual(
        stored.map((n) => [n.hostname, n.subCluster, n.state.nodeState, n.state.healthState]),
        [
          ["f0101", "main", "allocated", "failed"],
          ["f0102", "main", "idle", "failed"],
          ["f2157", "spr1tb", "down", "full"],
        ],
      );
      await publish(
        NODE_SUBJECT,
        nodeStateEvent({ cluster: "nosuch", nodes: [{ hostname: "n1" }] }),
      );
      await publish(NODE_SUBJECT, nodeStateEvent({ cluster: "fritz", nodes: "not an array" }));
      await publish(NODE_SUBJECT, `job event="{}" 1`);
      await publish(NODE_SUBJECT, "invalid line protocol format");
      await waitFor("four rejections", () => api.stats().subjects[1].rejected === 4);
      const rejected = log.filter((l) => l.includes(`on "${NODE_SUBJECT}" rejected`)).join("\n");
      assert.match(rejected, /unknown cluster "nosuch"/);
      assert.match(rejected, /nodestate: parsing event failed: json: field "nodes"/);
      assert.match(rejected, /measurement "job" is not "nodestate"/);
      assert.match(rejected, /line 1: field "line" has no value/);
      assert.equal(api.stats().subjects[1].accepted, 1);
    }),
});
