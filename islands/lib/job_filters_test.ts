import assert from "node:assert/strict";
import {
  addSortParams,
  DEFAULT_SORT,
  filterToGraphql,
  filterToParams,
  JOB_STATES,
  type JobFilterState,
  parseFilterParams,
  parseSortParams,
} from "./job_filters.ts";

const parse = (query: string) => parseFilterParams(new URLSearchParams(query));

Deno.test("parseFilterParams() builds cc-backend's presets from the URL", async (t) => {
  await t.step("plain values and the project's implied eq", () => {
    assert.deepEqual(parse("cluster=fritz&subCluster=main&partition=work&project=p1&jobName=sim"), {
      cluster: "fritz",
      subCluster: "main",
      partition: "work",
      project: "p1",
      projectMatch: "eq",
      jobName: "sim",
    });
  });

  await t.step("one user contains, several users in", () => {
    assert.deepEqual(parse("user=alice"), { user: ["alice"], userMatch: "contains" });
    assert.deepEqual(parse("user=alice&user=bob"), { user: ["alice", "bob"], userMatch: "in" });
  });

  await t.step("one jobId eq, several in", () => {
    assert.deepEqual(parse("jobId=12"), { jobId: ["12"], jobIdMatch: "eq" });
    assert.deepEqual(parse("jobId=1&jobId=2"), { jobId: ["1", "2"], jobIdMatch: "in" });
  });

  await t.step("repeated states (unknown ones dropped), tags (non-integers become -1)", () => {
    assert.deepEqual(parse("state=running&state=bogus&state=failed"), {
      state: ["running", "failed"],
    });
    assert.deepEqual(parse("tag=3&tag=x"), { tags: [3, -1] });
  });

  await t.step("shared and schedule only with known values", () => {
    assert.deepEqual(parse("shared=multi_user&schedule=batch"), {
      shared: "multi_user",
      schedule: "batch",
    });
    assert.deepEqual(parse("shared=nope&schedule=nope"), {});
  });

  await t.step("duration: less than, more than, between", () => {
    assert.deepEqual(parse("duration=lessthan-300").duration, { lessThan: 300 });
    assert.deepEqual(parse("duration=morethan-3600").duration, { moreThan: 3600 });
    assert.deepEqual(parse("duration=60-7200").duration, { from: 60, to: 7200 });
    assert.equal(parse("duration=garbage").duration, undefined);
  });

  await t.step("count and energy ranges", () => {
    assert.deepEqual(parse("numNodes=lessthan-4").numNodes, { from: 0, to: 4 });
    assert.deepEqual(parse("numHWThreads=morethan-8").numHWThreads, { from: 8, to: 0 });
    assert.deepEqual(parse("numAccelerators=1-4").numAccelerators, { from: 1, to: 4 });
    assert.deepEqual(parse("energy=0.5-12.5").energy, { from: 0.5, to: 12.5 });
  });

  await t.step("start time: unix range or a named range", () => {
    assert.deepEqual(parse("startTime=1700000000-1700086400").startTime, {
      from: 1700000000,
      to: 1700086400,
    });
    assert.deepEqual(parse("startTime=last24h").startTime, { range: "last24h" });
  });

  await t.step("footprint statistics", () => {
    assert.deepEqual(
      parse("stat=flops_any_avg-10-100&stat=mem_bw_avg-lessthan-50&stat=cpu_load_avg-morethan-1")
        .stats,
      [
        { field: "flops_any_avg", from: 10, to: 100 },
        { field: "mem_bw_avg", from: 0, to: 50 },
        { field: "cpu_load_avg", from: 1, to: 0 },
      ],
    );
  });

  await t.step("node, dbId and arrayJobId", () => {
    assert.deepEqual(parse("node=f0101&dbId=5&dbId=6&arrayJobId=77"), {
      node: "f0101",
      nodeMatch: "eq",
      dbId: ["5", "6"],
      arrayJobId: 77,
    });
    assert.equal(parse("arrayJobId=x").arrayJobId, undefined);
  });

  await t.step("our match modes are read back", () => {
    assert.deepEqual(parse("project=p&projectMatch=contains"), {
      project: "p",
      projectMatch: "contains",
    });
    assert.deepEqual(parse("user=al&userMatch=eq"), { user: ["al"], userMatch: "eq" });
    assert.deepEqual(parse("node=f01&nodeMatch=contains"), { node: "f01", nodeMatch: "contains" });
    assert.equal(parse("project=p&projectMatch=drop").projectMatch, "eq");
  });

  await t.step("empty values are ignored", () => {
    assert.deepEqual(parse("cluster=&user=&state="), {});
  });
});

Deno.test("filterToParams() writes what parseFilterParams() reads", async (t) => {
  const full: JobFilterState = {
    dbId: ["3"],
    cluster: "fritz",
    subCluster: "main",
    partition: "work",
    state: ["running", "completed"],
    shared: "none",
    project: "p<1>",
    projectMatch: "contains",
    user: ["alice", "bob"],
    userMatch: "in",
    numNodes: { from: 2, to: 0 },
    numAccelerators: { from: 0, to: 4 },
    numHWThreads: { from: 4, to: 64 },
    arrayJobId: 99,
    tags: [1, 2],
    startTime: { from: 1700000000, to: 1700090000 },
    duration: { moreThan: 600 },
    energy: { from: 1, to: 10 },
    jobId: ["123"],
    jobIdMatch: "eq",
    stats: [{ field: "flops_any_avg", from: 0, to: 10 }],
    node: "f01",
    nodeMatch: "contains",
    jobName: "a b&c",
    schedule: "interactive",
  };

  await t.step("round trip of every condition", () => {
    assert.deepEqual(parseFilterParams(filterToParams(full)), full);
  });

  await t.step("cc-backend's syntax", () => {
    const text = filterToParams(full).toString();
    assert.match(text, /numNodes=morethan-2/);
    assert.match(text, /numAccelerators=lessthan-4/);
    assert.match(text, /numHWThreads=4-64/);
    assert.match(text, /startTime=1700000000-1700090000/);
    assert.match(text, /duration=morethan-600/);
    assert.match(text, /stat=flops_any_avg-lessthan-10/);
    assert.match(text, /state=running&state=completed/);
    assert.match(text, /project=p%3C1%3E&projectMatch=contains/);
    assert.match(text, /jobName=a\+b%26c/);
  });

  await t.step("defaults are not written", () => {
    const text = filterToParams({
      project: "p",
      projectMatch: "eq",
      user: ["u"],
      userMatch: "contains",
    })
      .toString();
    assert.equal(text, "project=p&user=u");
  });

  await t.step("named start range and duration between", () => {
    const f: JobFilterState = { startTime: { range: "last7d" }, duration: { from: 60, to: 120 } };
    assert.equal(filterToParams(f).toString(), "startTime=last7d&duration=60-120");
    assert.deepEqual(parseFilterParams(filterToParams(f)), f);
  });

  await t.step("empty state, empty query", () => {
    assert.equal(filterToParams({}).toString(), "");
  });
});

Deno.test("filterToGraphql() emits the UI's JobFilter list in its fixed order", async (t) => {
  await t.step("every condition", () => {
    const items = filterToGraphql({
      jobName: "sim",
      schedule: "batch",
      node: "f0101",
      stats: [{ field: "flops_any_avg", from: 1, to: 0 }, { field: "mem_bw_avg", from: 0, to: 0 }],
      jobId: ["1", "2"],
      jobIdMatch: "in",
      energy: { from: 0, to: 5 },
      duration: { lessThan: 300 },
      startTime: { from: 1700000000, to: 1700003600 },
      tags: [4],
      arrayJobId: 8,
      numHWThreads: { from: 2, to: 8 },
      numAccelerators: { from: 1, to: 0 },
      numNodes: { from: 0, to: 0 },
      user: ["al"],
      userMatch: "contains",
      project: "p1",
      projectMatch: "eq",
      shared: "none",
      state: ["running"],
      partition: "work",
      subCluster: "main",
      cluster: "fritz",
      dbId: ["9"],
    });
    assert.deepEqual(items, [
      { dbId: ["9"] },
      { cluster: { eq: "fritz" } },
      { subCluster: { eq: "main" } },
      { partition: { eq: "work" } },
      { state: ["running"] },
      { shared: "none" },
      { project: { eq: "p1" } },
      { user: { contains: "al" } },
      { numAccelerators: { from: 1, to: 0 } },
      { numHWThreads: { from: 2, to: 8 } },
      { arrayJobId: 8 },
      { tags: [4] },
      { startTime: { from: "2023-11-14T22:13:20.000Z", to: "2023-11-14T23:13:20.000Z" } },
      { duration: { from: 0, to: 300 } },
      { energy: { from: 0, to: 5 } },
      { jobId: { in: ["1", "2"] } },
      { metricStats: [{ metricName: "flops_any_avg", range: { from: 1, to: 0 } }] },
      { node: { eq: "f0101" } },
      { jobName: { contains: "sim" } },
      { schedule: "batch" },
    ]);
  });

  await t.step("all states selected: no state condition", () => {
    assert.deepEqual(filterToGraphql({ state: [...JOB_STATES] }), []);
  });

  await t.step("duration more than and between, named start range, open end", () => {
    assert.deepEqual(filterToGraphql({ duration: { moreThan: 60 } }), [
      { duration: { from: 60, to: 0 } },
    ]);
    assert.deepEqual(filterToGraphql({ duration: { from: 60, to: 120 } }), [
      { duration: { from: 60, to: 120 } },
    ]);
    assert.deepEqual(filterToGraphql({ startTime: { range: "last6h" } }), [
      { startTime: { range: "last6h" } },
    ]);
    assert.deepEqual(filterToGraphql({ startTime: { from: 1700000000 } }), [
      { startTime: { from: "2023-11-14T22:13:20.000Z", to: null } },
    ]);
  });

  await t.step("project and user default to contains; several users are `in`", () => {
    assert.deepEqual(filterToGraphql({ project: "p", user: ["a", "b"] }), [
      { project: { contains: "p" } },
      { user: { in: ["a", "b"] } },
    ]);
  });

  await t.step("no filters", () => {
    assert.deepEqual(filterToGraphql({}), []);
  });
});

Deno.test("parseSortParams() and addSortParams() keep the sort order in the URL", () => {
  const params = (q: string) => new URLSearchParams(q);
  assert.deepEqual(parseSortParams(params("")), DEFAULT_SORT);
  assert.deepEqual(parseSortParams(params("sortBy=numNodes&sortOrder=ASC")), {
    field: "numNodes",
    type: "col",
    order: "ASC",
  });
  assert.deepEqual(parseSortParams(params("sortBy=flops_any_avg")), {
    field: "flops_any_avg",
    type: "foot",
    order: "DESC",
  });
  assert.deepEqual(parseSortParams(params("sortBy=job.id;drop")), DEFAULT_SORT);
  assert.equal(addSortParams(params("a=1"), DEFAULT_SORT).toString(), "a=1");
  assert.equal(
    addSortParams(params(""), { field: "energy", type: "col", order: "ASC" }).toString(),
    "sortBy=energy&sortOrder=ASC",
  );
});
