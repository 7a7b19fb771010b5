import assert from "node:assert/strict";
import { JobRepository } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import { withSite } from "../importer/test_helpers.ts";
import { editJobMeta } from "./edit_job_meta.ts";

Deno.test("editJobMeta() on an archived job whose meta.json is missing is a clear 500", async () => {
  await withSite(async ({ db, archive }) => {
    const jobs = new JobRepository(db);
    const id = jobs.insertJob({
      jobId: 7,
      user: "u",
      project: "p",
      cluster: "fritz",
      subCluster: "main",
      numNodes: 1,
      shared: "none",
      jobState: "completed",
      monitoringStatus: 3,
      startTime: 100,
      duration: 10,
      resources: [{ hostname: "f0101" }],
    });
    await assert.rejects(
      editJobMeta(jobs.findById(id)!, { key: "k", value: "v" }, { db, archive, now: () => 200 }),
      (e: unknown) =>
        e instanceof AppError && e.status === 500 &&
        /^updating metadata failed: the database is updated, but the archive of job 7 on "fritz" \(start 100\) is not: .*not found/
          .test(e.message),
    );
    assert.deepEqual(jobs.metadataOf(id), { k: "v" });
  }, { archive: "fixture" });
});

Deno.test("editJobMeta() reports a running job's duration from the injected clock", async () => {
  await withSite(async ({ db, archive }) => {
    const jobs = new JobRepository(db);
    const id = jobs.insertJob({
      jobId: 8,
      user: "u",
      project: "",
      cluster: "fritz",
      subCluster: "main",
      numNodes: 1,
      shared: "none",
      jobState: "running",
      startTime: 1000,
      duration: 0,
      resources: [{ hostname: "f0101" }],
    });
    const job = await editJobMeta(jobs.findById(id)!, { key: "k", value: "" }, {
      db,
      archive,
      now: () => 1500,
    });
    assert.equal(job.duration, 500);
    assert.deepEqual(job.metaData, { k: "" });
  }, { archive: "fixture" });
});
