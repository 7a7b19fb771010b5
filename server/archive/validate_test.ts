import assert from "node:assert/strict";
import { fixtureClusterJson } from "./test_helpers.ts";
import { schemaErrors, validateDocument } from "./validate.ts";

const STAT = { unit: { base: "" }, avg: 1, min: 0, max: 2 };

function validMeta(): Record<string, unknown> {
  return {
    jobId: 1,
    user: "u",
    project: "p",
    cluster: "c",
    subCluster: "s",
    numNodes: 1,
    shared: "none",
    startTime: 1,
    jobState: "completed",
    duration: 1,
    resources: [{ hostname: "h" }],
    statistics: Object.fromEntries(
      ["cpu_user", "cpu_load", "mem_used", "flops_any", "mem_bw"].map((m) => [m, STAT]),
    ),
  };
}

function validData(): Record<string, unknown> {
  const metric = () => ({
    node: {
      unit: { base: "" },
      timestep: 60,
      series: [{ hostname: "h", statistics: { avg: 1, min: 0, max: 2 }, data: [0, null, 2] }],
    },
  });
  const data: Record<string, unknown> = Object.fromEntries(
    ["cpu_user", "cpu_load", "mem_used", "flops_any", "mem_bw", "net_bw"].map((m) => [m, metric()]),
  );
  data.filesystems = [{ name: "home", type: "nfs", read_bw: metric(), write_bw: metric() }];
  return data;
}

Deno.test("schemaErrors() accepts schema-conforming documents", () => {
  assert.deepEqual(schemaErrors("meta", validMeta()), []);
  assert.deepEqual(schemaErrors("data", validData()), []);
  assert.deepEqual(schemaErrors("cluster", fixtureClusterJson("emmy")), []);
});

Deno.test("schemaErrors() names missing and wrong fields", () => {
  const meta = validMeta();
  delete meta.user;
  meta.jobState = "exploded";
  const errors = schemaErrors("meta", meta);
  assert.ok(errors.includes('(root): required field "user" is missing'), errors.join("\n"));
  assert.ok(errors.some((e) => e.startsWith('/jobState is "exploded", must be one of')));

  const data = validData();
  (data.cpu_load as { node: { timestep: unknown } }).node.timestep = "60";
  assert.deepEqual(schemaErrors("data", data), ["/cpu_load/node/timestep must be integer"]);
});

Deno.test("schemaErrors() flags the deviations of real archives", () => {
  // The reference archive is readable without validation but not schema-clean.
  const alex = schemaErrors("cluster", fixtureClusterJson("alex"));
  assert.match(alex[0], /^\/metricConfig\/3\/unit\/base is "Flops\/s", must be one of/);
  assert.equal(schemaErrors("meta", {}, { limit: 3 }).length, 3);
});

Deno.test("validateDocument() throws naming the source", () => {
  const meta = validMeta();
  delete meta.cluster;
  assert.throws(
    () => validateDocument("meta", meta, { source: "x/meta.json" }),
    /^Error: x\/meta\.json does not match the meta\.json schema: \(root\): required field "cluster" is missing$/,
  );
  validateDocument("meta", validMeta());
});
