import assert from "node:assert/strict";
import type { ClusterInfo } from "../archive/cluster_config.ts";
import type { Job, JobData } from "../archive/types.ts";
import { JobRepository } from "../db/job_repository.ts";
import { TagRepository } from "../db/tag_repository.ts";
import { sampleJob, withTempDb } from "../db/test_db.ts";
import { JobHooks } from "../jobs/job_hooks.ts";
import { setLogSink } from "../log/logger.ts";
import { Archiver } from "./archiver.ts";

const CLUSTER = {
  name: "fritz",
  metricConfig: [{ name: "cpu_load", unit: { base: "" } }],
  subClusters: [{ name: "main", metricConfig: [], footprint: [], energyFootprint: [] }],
} as unknown as ClusterInfo;

function setup(db: Parameters<Parameters<typeof withTempDb>[0]>[0]) {
  const order: number[] = [];
  const archived: Job[] = [];
  const hooks = new JobHooks();
  hooks.onJobArchived((job) => void archived.push(job));
  const archiver = new Archiver({
    db,
    hooks,
    archive: {
      cluster: (name) => (name === "fritz" ? CLUSTER : undefined),
      writeJob: (meta: Job, _data: JobData) => {
        order.push(meta.jobId);
        return Promise.resolve();
      },
    },
    reader: { load: () => ({ data: {}, errors: [] }) },
  });
  return { archiver, order, archived, jobs: new JobRepository(db) };
}

Deno.test("Archiver archives queued jobs in order, once, and announces them", async () => {
  await withTempDb(async (db) => {
    const { archiver, order, archived, jobs } = setup(db);
    const ids = [1, 2, 3].map((jobId) => jobs.insertJob(sampleJob({ jobId })));
    const tags = new TagRepository(db);
    tags.addTagToJob(ids[0], tags.getOrCreateTag({ type: "app", name: "vasp" }).id);
    for (const id of ids) assert.equal(archiver.enqueue({ ...jobs.findById(id)! }), true);
    // A second stop event for a queued job is ignored.
    assert.equal(archiver.enqueue(jobs.findById(ids[0])!), false);
    assert.equal(archiver.pending, 3);
    await archiver.idle();
    assert.deepEqual(order, [1, 2, 3]);
    assert.deepEqual(ids.map((id) => jobs.findById(id)!.monitoringStatus), [3, 3, 3]);
    assert.deepEqual(archived.map((j) => [j.jobId, j.monitoringStatus]), [[1, 3], [2, 3], [3, 3]]);
    assert.deepEqual(archived[0].tags, [{ type: "app", name: "vasp", scope: "global", id: 1 }]);
    // An archived job queued again is skipped (monitoring status is no longer 1).
    archiver.enqueue(jobs.findById(ids[0])!);
    await archiver.idle();
    assert.deepEqual(order, [1, 2, 3]);
  });
});

Deno.test("Archiver skips jobs it must not archive", async () => {
  await withTempDb(async (db) => {
    const { archiver, order, jobs } = setup(db);
    const off = jobs.insertJob(sampleJob({ jobId: 1, monitoringStatus: 0 }));
    assert.equal(archiver.enqueue(jobs.findById(off)!), false);
    const running = jobs.insertJob(sampleJob({ jobId: 2, jobState: "running" }));
    archiver.enqueue(jobs.findById(running)!);
    const lines: string[] = [];
    const previous = setLogSink((line) => lines.push(line));
    try {
      const unknown = jobs.insertJob(sampleJob({ jobId: 4, cluster: "nowhere" }));
      archiver.enqueue(jobs.findById(unknown)!);
      const gone = jobs.insertJob(sampleJob({ jobId: 3 }));
      archiver.enqueue(jobs.findById(gone)!);
      jobs.deleteJob(gone);
      await archiver.idle();
      assert.deepEqual(order, []);
      assert.equal(jobs.findById(running)!.monitoringStatus, 1);
      assert.equal(jobs.findById(unknown)!.monitoringStatus, 2);
      assert.match(lines.join("\n"), /job with id 4 is no longer in the database/);
      assert.match(
        lines.join("\n"),
        /cannot archive job 4 .*unknown cluster; monitoring status set to 2/,
      );
    } finally {
      setLogSink(previous);
    }
  });
});
