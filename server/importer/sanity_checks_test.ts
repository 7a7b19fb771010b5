import assert from "node:assert/strict";
import { join } from "node:path";
import { type ClusterInfo, type Job, loadClusterConfig } from "../archive/mod.ts";
import { AppError } from "../errors.ts";
import { sanityCheck } from "./sanity_checks.ts";
import { IMPORTER_FIXTURES } from "./test_helpers.ts";

const clusters: readonly ClusterInfo[] = [
  loadClusterConfig(
    JSON.parse(Deno.readTextFileSync(join(IMPORTER_FIXTURES, "cluster-fritz.json"))),
  ),
];

function job(overrides: Partial<Job> = {}): Job {
  return {
    jobId: 398764,
    user: "k106eb10",
    project: "k106eb",
    cluster: "fritz",
    subCluster: "main",
    numNodes: 1,
    numHwthreads: 72,
    numAcc: 0,
    shared: "none",
    jobState: "completed",
    startTime: 1675954353,
    duration: 177,
    resources: [{ hostname: "f0649" }],
    ...overrides,
  };
}

/** Asserts that sanityCheck rejects `j` with a 400 whose message matches `message`. */
function assertRejects(j: Job, message: RegExp): void {
  assert.throws(() => sanityCheck(clusters, j), (error: unknown) => {
    assert.ok(error instanceof AppError, `expected an AppError, got ${error}`);
    assert.equal(error.status, 400);
    assert.match(error.message, message);
    return true;
  });
}

Deno.test("sanityCheck() accepts a valid job and returns its subcluster", () => {
  const sc = sanityCheck(clusters, job());
  assert.equal(sc.name, "main");
  assert.deepEqual(sc.footprint, ["cpu_load", "mem_used", "flops_any", "mem_bw"]);
  assert.deepEqual(sc.energyFootprint, []);
});

Deno.test("sanityCheck() assigns the subcluster from the first host when it is empty", () => {
  const j = job({ subCluster: "" });
  assert.equal(sanityCheck(clusters, j).name, "main");
  assert.equal(j.subCluster, "main");
  // f03xx is listed twice in the node list of cluster-fritz.json; that must not matter.
  const k = job({ subCluster: "", resources: [{ hostname: "f0317" }] });
  assert.equal(sanityCheck(clusters, k).name, "main");
});

Deno.test("sanityCheck() names each failed check", async (t) => {
  await t.step("unknown cluster", () => {
    assertRejects(job({ cluster: "nosuch" }), /^job 398764 on "nosuch": unknown cluster$/);
  });
  await t.step("unknown subcluster", () => {
    assertRejects(job({ subCluster: "gpu" }), /unknown subcluster "gpu"/);
  });
  await t.step("no subcluster lists the host", () => {
    assertRejects(
      job({ subCluster: "", resources: [{ hostname: "x0001" }] }),
      /no subcluster lists host "x0001"/,
    );
  });
  await t.step("no resources to assign a subcluster from", () => {
    assertRejects(job({ subCluster: "", resources: [] }), /job has no resources/);
  });
  await t.step("invalid job state", () => {
    assertRejects(
      job({ jobState: "finished" as Job["jobState"] }),
      /^job 398764 on "fritz": invalid job state "finished"$/,
    );
  });
  await t.step("empty resources", () => {
    assertRejects(job({ resources: [] }), /^job 398764 on "fritz": resources are empty$/);
  });
  await t.step("empty user", () => {
    assertRejects(job({ user: "" }), /^job 398764 on "fritz": user is empty$/);
  });
  await t.step("negative numAcc", () => {
    assertRejects(job({ numAcc: -1 }), /numAcc must not be negative, found -1$/);
  });
  await t.step("negative numHwthreads", () => {
    assertRejects(job({ numHwthreads: -2 }), /numHwthreads must not be negative, found -2$/);
  });
  await t.step("numNodes below 1", () => {
    assertRejects(job({ numNodes: 0 }), /numNodes must be at least 1, found 0$/);
  });
  await t.step("numNodes does not match the resources", () => {
    assertRejects(
      job({ numNodes: 2 }),
      /^job 398764 on "fritz": numNodes is 2 but 1 resources are listed$/,
    );
    assertRejects(
      job({ resources: [{ hostname: "f0649" }, { hostname: "f0650" }] }),
      /numNodes is 1 but 2 resources are listed$/,
    );
  });
});

Deno.test("sanityCheck() treats absent numAcc and numHwthreads as 0", () => {
  const j = job();
  delete j.numAcc;
  delete j.numHwthreads;
  assert.equal(sanityCheck(clusters, j).name, "main");
});

Deno.test("sanityCheck() speaks cc-backend's words for the start_job API", async (t) => {
  const cases: [string, Partial<Job>, string][] = [
    ["unknown cluster", { cluster: "nosuch" }, "no such cluster: nosuch"],
    [
      "unknown subcluster",
      { subCluster: "gpu" },
      "ARCHIVE/CLUSTERCONFIG > already assigned subcluster gpu unkown (cluster: fritz)",
    ],
    [
      "no resources",
      { subCluster: "", resources: [] },
      "ARCHIVE/CLUSTERCONFIG > job without any resources/hosts",
    ],
    [
      "no subcluster for the host",
      { subCluster: "", resources: [{ hostname: "x1" }] },
      "ARCHIVE/CLUSTERCONFIG > no subcluster found for cluster fritz and host x1",
    ],
    ["invalid state", { jobState: "done" as Job["jobState"] }, 'not a valid job state: "done"'],
    ["empty resources", { resources: [] }, "'resources' and 'user' should not be empty"],
    ["empty user", { user: "" }, "'resources' and 'user' should not be empty"],
    ["negative numAcc", { numAcc: -1 }, "'numNodes', 'numAcc' or 'numHWThreads' invalid"],
    ["numNodes 0", { numNodes: 0 }, "'numNodes', 'numAcc' or 'numHWThreads' invalid"],
    ["count mismatch", { numNodes: 3 }, "len(resources) does not equal numNodes (1 vs 3)"],
  ];
  for (const [name, overrides, message] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => sanityCheck(clusters, job(overrides), { wording: "cc-backend" }),
        (e: unknown) => e instanceof AppError && e.status === 400 && e.message === message,
      );
    });
  }
});
