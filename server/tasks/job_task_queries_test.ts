import assert from "node:assert/strict";
import { TagRepository } from "../db/mod.ts";
import {
  deleteRowsById,
  failJobsExceedingWalltime,
  findFinishedJobs,
  storeFootprints,
  updateRunningDurations,
} from "./job_task_queries.ts";
import { addJob, fritzJob, withTaskSite } from "./test_site.ts";

const NOW = 1_700_100_000;

Deno.test("updateRunningDurations() sets now - start of running jobs only", async () => {
  await withTaskSite(async (site) => {
    const running = await addJob(
      site,
      fritzJob({
        jobId: 1,
        jobState: "running",
        startTime: NOW - 1234,
        duration: 0,
      }),
      { archived: false },
    );
    const done = await addJob(site, fritzJob({ jobId: 2, startTime: NOW - 5000, duration: 60 }));
    assert.equal(updateRunningDurations(site.db, NOW), 1);
    assert.equal(site.jobs.findById(running.id!)!.duration, 1234);
    assert.equal(site.jobs.findById(done.id!)!.duration, 60);
  });
});

Deno.test("failJobsExceedingWalltime() fails running jobs past walltime + grace", async () => {
  await withTaskSite(async (site) => {
    const grace = 3600;
    const job = (jobId: number, startTime: number, walltime: number) =>
      addJob(
        site,
        fritzJob({ jobId, jobState: "running", startTime, walltime, duration: 0 }),
        { archived: false },
      );
    const over = await job(1, NOW - 7200 - grace - 1, 7200); // one second too long
    const edge = await job(2, NOW - 7200 - grace, 7200); // exactly at the limit: kept
    const noWalltime = await job(3, NOW - 1_000_000, 0);
    const finished = await addJob(site, fritzJob({ jobId: 4, startTime: NOW - 1_000_000 }));
    assert.equal(failJobsExceedingWalltime(site.db, { now: NOW, seconds: grace }), 1);
    const failed = site.jobs.findById(over.id!)!;
    assert.deepEqual([failed.jobState, failed.monitoringStatus, failed.duration], ["failed", 2, 0]);
    assert.equal(site.jobs.findById(edge.id!)!.jobState, "running");
    assert.equal(site.jobs.findById(noWalltime.id!)!.jobState, "running");
    assert.equal(site.jobs.findById(finished.id!)!.jobState, "completed");
  });
});

Deno.test("findFinishedJobs() selects by start time and omit-tagged", async () => {
  await withTaskSite(async (site) => {
    const tags = new TagRepository(site.db);
    const plain = await addJob(site, fritzJob({ jobId: 1, startTime: 1000 }));
    const appTagged = await addJob(site, fritzJob({ jobId: 2, startTime: 2000 }));
    const userTagged = await addJob(site, fritzJob({ jobId: 3, startTime: 3000 }));
    await addJob(site, fritzJob({ jobId: 4, startTime: 3500, jobState: "running" }));
    await addJob(site, fritzJob({ jobId: 5, startTime: 9000 }));
    tags.addTagToJob(appTagged.id!, tags.getOrCreateTag({ type: "app", name: "vasp" }).id);
    tags.addTagToJob(userTagged.id!, tags.getOrCreateTag({ type: "review", name: "keep" }).id);
    const ids = (omitTagged: "none" | "all" | "user") =>
      findFinishedJobs(site.db, { before: 5000, omitTagged }).map((j) => j.jobId);
    assert.deepEqual(ids("none"), [1, 2, 3]);
    assert.deepEqual(ids("all"), [1]);
    assert.deepEqual(ids("user"), [1, 2]);
    assert.deepEqual(
      findFinishedJobs(site.db, { from: 2000, before: 3000 }),
      [{ id: appTagged.id, jobId: 2, cluster: "fritz", startTime: 2000 }],
    );
    assert.throws(
      () => findFinishedJobs(site.db, { before: 1, omitTagged: "some" as "all" }),
      /invalid omit-tagged "some"/,
    );
    assert.equal(
      deleteRowsById(site.db, { table: "job", ids: [plain.id!, userTagged.id!, 999_999] }),
      2,
    );
    assert.equal(site.jobs.countJobs(), 3);
    // Tag links go with their jobs.
    const links = site.db.prepare("SELECT COUNT(*) AS n FROM jobtag").get()!;
    assert.equal(Number(links.n), 1);
  });
});

Deno.test("storeFootprints() writes all updates in one transaction", async () => {
  await withTaskSite(async (site) => {
    const a = await addJob(site, fritzJob({ jobId: 1 }), { archived: false });
    const b = await addJob(site, fritzJob({ jobId: 2 }), { archived: false });
    assert.equal(
      storeFootprints(site.db, [
        { id: a.id!, footprint: { cpu_load_avg: 2 } },
        { id: b.id!, footprint: { cpu_load_avg: 3, mem_used_max: 4.5 } },
      ]),
      2,
    );
    assert.deepEqual(site.jobs.findById(b.id!)!.footprint, { cpu_load_avg: 3, mem_used_max: 4.5 });
    assert.equal(storeFootprints(site.db, []), 0);
  });
});
