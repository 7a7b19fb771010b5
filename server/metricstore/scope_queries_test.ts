import { deepEqual, equal, ok } from "node:assert/strict";
import type { MetricScope } from "../archive/types.ts";
import { buildScopeQueries, maxScope } from "./scope_queries.ts";
import { smallTopology } from "./test_helpers.ts";

const target = { host: "node001", topology: smallTopology(), accelerators: ["gpu0", "gpu1"] };

function build(native: MetricScope, requested: MetricScope, t: object = target) {
  return buildScopeQueries({ ...target, ...t }, { name: "test_metric", scope: native }, {
    scopes: [requested],
  });
}

function summary(native: MetricScope, requested: MetricScope) {
  const qs = build(native, requested);
  return qs.map((
    q,
  ) => [q.scope, q.query.type ?? null, q.query["type-ids"] ?? null, q.query.aggreg, q.id ?? null]);
}

Deno.test("buildScopeQueries() follows the scope table", async (t) => {
  await t.step("same scope: one non-aggregated query", () => {
    deepEqual(summary("hwthread", "hwthread"), [[
      "hwthread",
      "hwthread",
      ["0", "1", "2", "3", "4", "5", "6", "7"],
      false,
      null,
    ]]);
    deepEqual(summary("core", "core"), [["core", "core", ["0", "1", "2", "3"], false, null]]);
    deepEqual(summary("socket", "socket"), [["socket", "socket", ["0", "1"], false, null]]);
    deepEqual(summary("memoryDomain", "memoryDomain"), [[
      "memoryDomain",
      "memoryDomain",
      ["0", "1"],
      false,
      null,
    ]]);
    deepEqual(summary("node", "node"), [["node", null, null, false, null]]);
    deepEqual(summary("accelerator", "accelerator"), [[
      "accelerator",
      "accelerator",
      ["gpu0", "gpu1"],
      false,
      null,
    ]]);
  });
  await t.step("hwthread to coarser scopes: one aggregated query per unit", () => {
    deepEqual(summary("hwthread", "core"), [
      ["core", "hwthread", ["0", "1"], true, "0"],
      ["core", "hwthread", ["2", "3"], true, "1"],
      ["core", "hwthread", ["4", "5"], true, "2"],
      ["core", "hwthread", ["6", "7"], true, "3"],
    ]);
    deepEqual(summary("hwthread", "socket"), [
      ["socket", "hwthread", ["0", "1", "2", "3"], true, "0"],
      ["socket", "hwthread", ["4", "5", "6", "7"], true, "1"],
    ]);
    deepEqual(summary("hwthread", "node"), [[
      "node",
      "hwthread",
      ["0", "1", "2", "3", "4", "5", "6", "7"],
      true,
      null,
    ]]);
  });
  await t.step("core to socket uses core ids (fixing the original's hwthread ids)", () => {
    deepEqual(summary("core", "socket"), [
      ["socket", "core", ["0", "1"], true, "0"],
      ["socket", "core", ["2", "3"], true, "1"],
    ]);
    deepEqual(summary("core", "node"), [["node", "core", ["0", "1", "2", "3"], true, null]]);
  });
  await t.step("memory domains and sockets", () => {
    deepEqual(summary("memoryDomain", "socket"), [
      ["socket", "memoryDomain", ["0"], true, "0"],
      ["socket", "memoryDomain", ["1"], true, "1"],
    ]);
    deepEqual(summary("memoryDomain", "node"), [["node", "memoryDomain", ["0", "1"], true, null]]);
    deepEqual(summary("socket", "node"), [["node", "socket", ["0", "1"], true, null]]);
  });
  await t.step("hwthread and core to memoryDomain (unsupported in the original)", () => {
    deepEqual(summary("hwthread", "memoryDomain"), [
      ["memoryDomain", "hwthread", ["0", "1", "2", "3"], true, "0"],
      ["memoryDomain", "hwthread", ["4", "5", "6", "7"], true, "1"],
    ]);
    deepEqual(summary("core", "memoryDomain"), [
      ["memoryDomain", "core", ["0", "1"], true, "0"],
      ["memoryDomain", "core", ["2", "3"], true, "1"],
    ]);
  });
  await t.step("accelerators", () => {
    deepEqual(summary("accelerator", "node"), [[
      "node",
      "accelerator",
      ["gpu0", "gpu1"],
      true,
      null,
    ]]);
    deepEqual(summary("accelerator", "core"), []);
    deepEqual(build("accelerator", "node", { accelerators: [] }), []);
  });
  await t.step("never finer than native", () => {
    deepEqual(summary("socket", "hwthread"), summary("socket", "socket"));
    deepEqual(summary("node", "core"), summary("node", "node"));
  });
});

Deno.test("buildScopeQueries() uses only the job's hardware threads", () => {
  const qs = build("hwthread", "core", { hwthreads: [2, 3, 4] });
  deepEqual(qs.map((q) => q.id), ["1", "2"]);
  deepEqual(qs[1].query["type-ids"], ["4", "5"], "a touched unit is aggregated whole");
  deepEqual(build("hwthread", "node", { hwthreads: [2, 3, 4] })[0].query["type-ids"], [
    "2",
    "3",
    "4",
  ]);
  deepEqual(build("core", "core", { hwthreads: [0, 1, 7] })[0].query["type-ids"], ["0", "3"]);
});

Deno.test("buildScopeQueries() handles every combination and deduplicates", () => {
  const scopes: MetricScope[] = [
    "hwthread",
    "core",
    "socket",
    "memoryDomain",
    "node",
    "accelerator",
  ];
  for (const native of scopes) {
    for (const requested of scopes) {
      const qs = build(native, requested);
      ok(Array.isArray(qs));
      for (const q of qs) {
        equal(q.query.metric, "test_metric");
        equal(q.query.host, "node001");
      }
    }
  }
  const both = buildScopeQueries(target, { name: "m", scope: "socket" }, {
    scopes: ["hwthread", "core", "socket", "node"],
    resolution: 60,
  });
  deepEqual(both.map((q) => q.scope), ["socket", "node"]);
  equal(both[0].query.resolution, 60);
  equal(maxScope("accelerator", "hwthread"), "hwthread");
});
