import assert from "node:assert/strict";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { JobRepository, TagRepository } from "../db/mod.ts";
import { initDb } from "./init_db.ts";
import { IMPORTER_FIXTURES, readJson, withSite, writeJson } from "./test_helpers.ts";

const EMMY_JOBS = [
  { jobId: 1403244, cluster: "emmy", startTime: 1608923076, dir: "emmy/1403/244/1608923076" },
  { jobId: 1404397, cluster: "emmy", startTime: 1609300556, dir: "emmy/1404/397/1609300556" },
];

/** Fills the tables initDb must empty: a job, a tag and the link between them. */
function addOldRows(db: DatabaseSync): void {
  const jobs = new JobRepository(db);
  const tags = new TagRepository(db);
  const id = jobs.insertJob({
    jobId: 42,
    user: "old",
    project: "old",
    cluster: "emmy",
    subCluster: "haswell",
    numNodes: 1,
    shared: "none",
    jobState: "running",
    startTime: 1600000000,
    duration: 0,
    resources: [{ hostname: "e0101" }],
  });
  tags.addTagToJob(id, tags.getOrCreateTag({ type: "old", name: "stale" }).id);
}

function count(db: DatabaseSync, table: "job" | "tag" | "jobtag"): number {
  return Number(db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n);
}

/** Rewrites `<root>/<dir>/meta.json` with `change` applied. */
async function changeMeta(
  root: string,
  dir: string,
  change: (meta: Record<string, unknown>) => void,
): Promise<void> {
  const path = join(root, dir, "meta.json");
  const meta = await readJson(path);
  change(meta);
  await writeJson(path, meta);
}

/** A valid emmy meta.json (the first fixture job) with another job id. */
async function emmyMeta(root: string, jobId: number): Promise<Record<string, unknown>> {
  const meta = await readJson(join(root, EMMY_JOBS[0].dir, "meta.json"));
  meta.jobId = jobId;
  return meta;
}

Deno.test("initDb() replaces all jobs and tags by the archive's jobs", async () => {
  await withSite(async ({ db, archive }) => {
    addOldRows(db);
    const summary = await initDb(db, archive);
    assert.equal(summary.imported, 2);
    assert.deepEqual(summary.failed, []);
    assert.ok(summary.seconds >= 0);

    const jobs = new JobRepository(db);
    assert.equal(jobs.countJobs(), 2);
    assert.equal(jobs.find(42), null);
    assert.equal(count(db, "tag"), 0);
    assert.equal(count(db, "jobtag"), 0);
    for (const key of EMMY_JOBS) {
      const job = jobs.find(key.jobId, { cluster: key.cluster, startTime: key.startTime });
      assert.ok(job, `job ${key.jobId} missing`);
      assert.equal(job.monitoringStatus, 3);
      assert.equal(job.subCluster, "haswell");
      assert.equal(job.numNodes, 32);
      assert.equal(job.resources.length, 32);
    }
    assert.equal(jobs.find(1403244)?.duration, 86486);
    assert.equal(jobs.find(1404397)?.duration, 86525);
    // emmy marks no footprint or energy metric: empty JSON objects, energy 0.
    const rows = db.prepare(
      "SELECT footprint, energy_footprint, energy, monitoring_status FROM job ORDER BY job_id",
    ).all();
    for (const row of rows) {
      assert.equal(row.footprint, "{}");
      assert.equal(row.energy_footprint, "{}");
      assert.equal(row.energy, 0);
      assert.equal(row.monitoring_status, 3);
    }
  }, { archive: "fixture" });
});

Deno.test("initDb() turns meta.json tags into tag and jobtag rows", async () => {
  await withSite(async ({ db, archive }) => {
    addOldRows(db);
    const summary = await initDb(db, archive);
    assert.equal(summary.imported, 2);
    const jobs = new JobRepository(db);
    const tags = new TagRepository(db);
    assert.deepEqual(
      tags.listTags().map(({ type, name, scope }) => ({ type, name, scope })),
      [
        { type: "app", name: "vasp", scope: "global" },
        { type: "jobClass", name: "lowload", scope: "global" },
      ],
    );
    assert.equal(count(db, "jobtag"), 3);
    const first = jobs.find(1403244)!;
    const second = jobs.find(1404397)!;
    assert.deepEqual(tags.tagsOfJob(first.id!).map((t) => t.name), ["vasp", "lowload"]);
    assert.deepEqual(tags.tagsOfJob(second.id!).map((t) => t.name), ["vasp"]);
  }, {
    archive: "fixture",
    prepare: async (root) => {
      await changeMeta(root, EMMY_JOBS[0].dir, (m) => {
        m.tags = [
          { id: 7, type: "app", name: "vasp", scope: "global" },
          { id: 8, type: "jobClass", name: "lowload" },
        ];
      });
      await changeMeta(root, EMMY_JOBS[1].dir, (m) => {
        m.tags = [{ id: 7, type: "app", name: "vasp", scope: "global" }];
      });
    },
  });
});

Deno.test("initDb() stores footprint and energy from the cluster config", async () => {
  // The fixture archive's fritz config flags cpu_power and mem_power as power metrics.
  await withSite(async ({ db, archive }) => {
    const summary = await initDb(db, archive);
    assert.equal(summary.imported, 3);
    const job = new JobRepository(db).find(398955, { cluster: "fritz" });
    assert.ok(job);
    assert.equal(job.monitoringStatus, 3);
    assert.deepEqual(job.footprint, {
      cpu_load_avg: 52.72,
      mem_used_max: 27.613,
      flops_any_avg: 635.672,
      mem_bw_avg: 79.565,
    });
    // cpu_power 407.767 W × 260 s → 0.02945 kWh → 0.03; mem_power 24.692 W → 0.00178 → 0.
    assert.deepEqual(job.energyFootprint, { cpu_power: 0.03, mem_power: 0 });
    assert.equal(job.energy, 0.03);
  }, {
    archive: "fixture",
    prepare: async (root) => {
      const meta = await readJson(join(IMPORTER_FIXTURES, "meta-fritzError.input"));
      await writeJson(join(root, "fritz/398/955/1675956725/meta.json"), meta);
    },
  });
});

Deno.test("initDb() reports broken job directories and imports the others", async () => {
  const broken: Record<string, RegExp> = {
    // truncated meta.json
    "emmy/1/001/1600000001": /JSON|Unexpected end/i,
    // jobId is not a number
    "emmy/1/002/1600000002": /"jobId"/,
    // the cluster named in meta.json is unknown
    "emmy/1/003/1600000003": /"nosuch": unknown cluster/,
    // numNodes does not match the resources
    "emmy/1/004/1600000004": /numNodes is 3 but 32 resources are listed/,
    // no meta.json at all
    "emmy/1/005/1600000005": /meta\.json is missing/,
  };
  await withSite(async ({ db, archive, archiveRoot }) => {
    const progress: [number, number][] = [];
    const summary = await initDb(db, archive, {
      batchSize: 1,
      onProgress: (imported, failed) => progress.push([imported, failed]),
    });
    assert.equal(summary.imported, 2);
    assert.equal(new JobRepository(db).countJobs(), 2);
    assert.deepEqual(
      summary.failed.map((f) => f.path).sort(),
      Object.keys(broken).map((d) => join(archiveRoot, d)).sort(),
    );
    for (const failure of summary.failed) {
      const dir = failure.path.slice(archiveRoot.length + 1);
      assert.match(failure.error, broken[dir], `${dir}: ${failure.error}`);
    }
    for (const key of EMMY_JOBS) assert.ok(new JobRepository(db).find(key.jobId));
    // One call per batch (of one job each); the last one carries the final totals.
    assert.ok(progress.length >= 2, `onProgress called ${progress.length} times`);
    assert.deepEqual(progress.at(-1), [2, 5]);
    for (let i = 1; i < progress.length; i++) {
      assert.ok(progress[i][0] >= progress[i - 1][0] && progress[i][1] >= progress[i - 1][1]);
    }
  }, {
    archive: "fixture",
    prepare: async (root) => {
      const truncated = join(root, "emmy/1/001/1600000001");
      await Deno.mkdir(truncated, { recursive: true });
      const text = await Deno.readTextFile(join(root, EMMY_JOBS[0].dir, "meta.json"));
      await Deno.writeTextFile(join(truncated, "meta.json"), text.slice(0, 200));

      const badId = await emmyMeta(root, 1002);
      badId.jobId = "abc";
      badId.startTime = 1600000002;
      await writeJson(join(root, "emmy/1/002/1600000002/meta.json"), badId);

      const unknownCluster = await emmyMeta(root, 1003);
      unknownCluster.cluster = "nosuch";
      unknownCluster.startTime = 1600000003;
      await writeJson(join(root, "emmy/1/003/1600000003/meta.json"), unknownCluster);

      const mismatch = await emmyMeta(root, 1004);
      mismatch.numNodes = 3;
      mismatch.startTime = 1600000004;
      await writeJson(join(root, "emmy/1/004/1600000004/meta.json"), mismatch);

      await Deno.mkdir(join(root, "emmy/1/005/1600000005"), { recursive: true });
    },
  });
});

Deno.test("initDb() rolls back a job whose tag fails and keeps later jobs' tags", async () => {
  await withSite(async ({ db, archive, archiveRoot }) => {
    const summary = await initDb(db, archive);
    assert.equal(summary.imported, 2);
    assert.deepEqual(summary.failed.map((f) => f.path), [
      join(archiveRoot, "emmy/1/001/1600000001"),
    ]);
    assert.match(summary.failed[0].error, /tag/);
    const jobs = new JobRepository(db);
    assert.equal(jobs.find(1001), null);
    // The tag the failed job created first was rolled back with it; the next job that
    // uses the same tag must still get a valid one.
    const tags = new TagRepository(db);
    const later = jobs.find(1403244)!;
    assert.deepEqual(tags.tagsOfJob(later.id!).map((t) => t.name), ["vasp"]);
    assert.equal(count(db, "jobtag"), 1);
  }, {
    archive: "fixture",
    prepare: async (root) => {
      const meta = await emmyMeta(root, 1001);
      meta.startTime = 1600000001;
      meta.tags = [{ type: "app", name: "vasp" }, { type: "app", name: "" }];
      await writeJson(join(root, "emmy/1/001/1600000001/meta.json"), meta);
      await changeMeta(root, EMMY_JOBS[0].dir, (m) => {
        m.tags = [{ type: "app", name: "vasp" }];
      });
    },
  });
});

Deno.test("initDb() calls onProgress once per batch", async () => {
  await withSite(async ({ db, archive }) => {
    const calls: [number, number][] = [];
    await initDb(db, archive, { onProgress: (i, f) => calls.push([i, f]) });
    assert.deepEqual(calls, [[2, 0]]);
  }, { archive: "fixture" });
});

Deno.test("initDb() empties the tables of an archive without jobs", async () => {
  await withSite(async ({ db, archive }) => {
    addOldRows(db);
    const summary = await initDb(db, archive);
    assert.equal(summary.imported, 0);
    assert.deepEqual(summary.failed, []);
    assert.equal(count(db, "job"), 0);
    assert.equal(count(db, "tag"), 0);
  });
});
