import assert from "node:assert/strict";
import { filterPills, removePill } from "./filter_pills.ts";
import { JOB_STATES } from "./job_filters.ts";

Deno.test("filterPills() labels every active filter with its dialog", () => {
  const pills = filterPills({
    cluster: "fritz",
    partition: "work",
    state: ["running"],
    shared: "none",
    startTime: { range: "last24h" },
    duration: { lessThan: 300 },
    tags: [1, 9],
    numNodes: { from: 2, to: 4 },
    node: "f01",
    nodeMatch: "contains",
    energy: { from: 0, to: 10 },
    stats: [{ field: "flops_any_avg", from: 5, to: 0 }],
    project: "p1",
    projectMatch: "eq",
    user: ["al"],
    jobName: "sim",
    arrayJobId: 5,
  }, [{ id: "1", type: "app", name: "gromacs", scope: "global" }]);
  assert.deepEqual(pills.map((p) => [p.kind, p.label]), [
    ["cluster", "Cluster: fritz (work)"],
    ["state", "States: running"],
    ["state", "Sharing: Exclusive"],
    ["startTime", "Start: Last 24 hrs"],
    ["duration", "Duration < 0:05:00"],
    ["tags", "Tags: app: gromacs, #9"],
    ["resources", "Nodes: 2 - 4"],
    ["resources", "Node ~ f01"],
    ["energy", "Energy: ≤ 10 kWh"],
    ["stats", "flops_any_avg: ≥ 5"],
    ["text", "Project = p1"],
    ["text", "User: al"],
    ["text", "Job Name ~ sim"],
    ["text", "Array Job: 5"],
  ]);
});

Deno.test("filterPills() leaves out what does not filter", () => {
  assert.deepEqual(filterPills({}), []);
  assert.deepEqual(filterPills({ state: [...JOB_STATES], numNodes: { from: 0, to: 0 } }), []);
});

Deno.test("removePill() clears the pill's keys, one statistic at a time", () => {
  const f = {
    cluster: "fritz",
    subCluster: "main",
    stats: [{ field: "a_avg", from: 1, to: 0 }, { field: "b_avg", from: 2, to: 0 }],
  };
  const pills = filterPills(f);
  assert.deepEqual(removePill(f, pills[0]), { stats: f.stats });
  assert.deepEqual(removePill(f, pills[1]).stats, [{ field: "b_avg", from: 2, to: 0 }]);
  assert.equal(
    removePill({ stats: [f.stats[0]] }, filterPills({ stats: [f.stats[0]] })[0]).stats,
    undefined,
  );
});
