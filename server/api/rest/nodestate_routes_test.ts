import assert from "node:assert/strict";
import { NodeRepository } from "../../db/mod.ts";
import { setLogSink } from "../../log/logger.ts";
import { createTestSite } from "./test_app.ts";

const FRITZ = {
  cluster: "fritz",
  nodes: [
    {
      hostname: "f0101",
      states: ["allocated"],
      cpusAllocated: 72,
      memoryAllocated: 128000,
      gpusAllocated: 0,
      jobsRunning: 1,
    },
    { hostname: "f2157", states: ["idle"] },
  ],
};

Deno.test("POST|PUT /api/nodestate/ and POST /api/healthcheck store node states", async (t) => {
  const site = await createTestSite({ now: () => 1700000123 });
  const previousSink = setLogSink(() => {});
  try {
    const repo = new NodeRepository(site.db);

    await t.step("POST stores each node and answers a JSON summary", async () => {
      const res = await site.call("POST", "/api/nodestate/", { body: FRITZ });
      const text = await res.text();
      assert.equal(res.status, 200, text);
      assert.equal(res.headers.get("content-type"), "application/json");
      assert.equal(
        text,
        JSON.stringify({
          msg: 'stored the states of 2 of 2 node(s) of cluster "fritz"',
          stored: 2,
          skipped: [],
        }) + "\n",
      );
      const latest = repo.latestStates({ cluster: "fritz" });
      assert.deepEqual(latest.map((n) => [n.hostname, n.subCluster]), [
        ["f0101", "main"],
        ["f2157", "spr1tb"],
      ]);
      assert.equal(latest[0].state.timeStamp, 1700000123);
      assert.equal(latest[0].state.nodeState, "allocated");
      assert.equal(latest[0].state.memoryAllocated, 128000);
      assert.equal(latest[0].state.healthState, "full");
      assert.equal(latest[1].state.nodeState, "idle");
    });

    await t.step("PUT works the same", async () => {
      const res = await site.call("PUT", "/api/nodestate/", {
        body: { cluster: "fritz", nodes: [{ hostname: "f0101", states: ["down"] }] },
      });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).stored, 1);
      assert.equal(repo.findNode("f0101", "fritz") !== null, true);
      const [f0101] = repo.latestStates({ cluster: "fritz" });
      assert.equal(f0101.state.nodeState, "down");
    });

    await t.step("nodes in no node list are named in the answer", async () => {
      const res = await site.call("POST", "/api/nodestate/", {
        body: { cluster: "fritz", nodes: [{ hostname: "f0102" }, { hostname: "x'; DROP--" }] },
      });
      assert.deepEqual(await res.json(), {
        msg: 'stored the states of 1 of 2 node(s) of cluster "fritz"; 1 not stored: ' +
          'no subcluster of cluster "fritz" lists them',
        stored: 1,
        skipped: ["x'; DROP--"],
      });
      const unknown = await site.call("POST", "/api/nodestate/", {
        body: { cluster: "nope", nodes: [{ hostname: "f0101" }] },
      });
      assert.match((await unknown.json()).msg, /1 not stored: unknown cluster "nope"$/);
      const empty = await site.call("POST", "/api/nodestate/", { body: { nodes: [] } });
      assert.deepEqual(await empty.json(), {
        msg: 'stored the states of 0 of 0 node(s) of cluster ""',
        stored: 0,
        skipped: [],
      });
    });

    await t.step("/api/healthcheck[/] take the metric-store guard", async () => {
      for (const path of ["/api/healthcheck", "/api/healthcheck/"]) {
        const ok = await site.call("POST", path, { body: FRITZ, roles: ["api", "user"] });
        assert.equal(ok.status, 200, path);
        assert.equal((await ok.json()).stored, 2);
        const support = await site.call("POST", path, { body: FRITZ, roles: ["api", "support"] });
        assert.equal(support.status, 401, path);
        await support.body?.cancel();
      }
      const refused = await site.call("POST", "/api/nodestate/", {
        body: FRITZ,
        roles: ["api", "user"],
      });
      assert.equal(refused.status, 401);
      await refused.body?.cancel();
    });

    await t.step("other methods are 405 with Allow", async () => {
      const get = await site.call("GET", "/api/nodestate/");
      assert.equal(get.status, 405);
      assert.equal(get.headers.get("allow"), "POST, PUT");
      const put = await site.call("PUT", "/api/healthcheck");
      assert.equal(put.status, 405);
      assert.equal(put.headers.get("allow"), "POST");
    });

    await t.step("bad bodies are 400s naming the field", async () => {
      const cases: [unknown, string][] = [
        ["", "EOF"],
        [{ cluster: "fritz", extra: 1 }, 'json: unknown field "extra"'],
        [{ nodes: [{ hostname: "f0101", cpus: 1 }] }, 'json: unknown field "nodes.0.cpus"'],
        [{ nodes: "not an array" }, 'json: field "nodes": expected array, found string'],
        [
          { nodes: [{ hostname: "f0101", states: "idle" }] },
          'json: field "nodes.0.states": expected array, found string',
        ],
        [
          { nodes: [{ hostname: "f0101", states: [1] }] },
          'json: field "nodes.0.states.0": expected string, found number',
        ],
        [
          { nodes: [{ hostname: "f0101", cpusAllocated: 1.5 }] },
          'json: field "nodes.0.cpusAllocated": expected integer, found number',
        ],
        [
          { nodes: [{ hostname: "f0101", memoryAllocated: "1" }] },
          'json: field "nodes.0.memoryAllocated": expected integer, found string',
        ],
        [{ cluster: 7 }, 'json: field "cluster": expected string, found number'],
        [[FRITZ], "json: field: expected object, found array"],
      ];
      for (const [body, error] of cases) {
        const res = await site.call("POST", "/api/nodestate/", { body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.deepEqual(await res.json(), {
          status: "Bad Request",
          error: `parsing request body failed: ${error}`,
        });
      }
      const huge = await site.call("POST", "/api/nodestate/", {
        body: `{"cluster":"${"x".repeat(9 * 1024 * 1024)}"}`,
      });
      assert.equal(huge.status, 413);
      await huge.body?.cancel();
    });

    await t.step("no token is a 401 and nothing is stored", async () => {
      const before = Number(site.db.prepare("SELECT count(*) AS n FROM node_state").get()?.n);
      const res = await site.call("POST", "/api/nodestate/", { body: FRITZ, roles: null });
      assert.equal(res.status, 401);
      await res.body?.cancel();
      const after = Number(site.db.prepare("SELECT count(*) AS n FROM node_state").get()?.n);
      assert.equal(after, before);
    });
  } finally {
    setLogSink(previousSink);
    await site.close();
  }
});
