import assert from "node:assert/strict";
import type { Job } from "../archive/types.ts";
import { AppError } from "../errors.ts";
import { JOB_FIELD_COLUMNS } from "./job_mapping.ts";
import { JobRepository } from "./job_repository.ts";
import { TagRepository } from "./tag_repository.ts";
import { sampleJob, withTempDb } from "./test_db.ts";

function assertAppError(status: number, pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof AppError, `expected AppError, got ${error}`);
    assert.equal(error.status, status, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

Deno.test("insertJob() stores a job that findById() returns unchanged", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    const id = jobs.insertJob(sampleJob());
    assert.deepEqual(jobs.findById(id), { ...sampleJob(), id });
    assert.equal(jobs.findById(id + 1), null);
  });
});

Deno.test("insertJob() stores absent optional fields as cc-backend does", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    const minimal: Job = {
      jobId: 5,
      user: "bob",
      project: "p",
      cluster: "alex",
      subCluster: "a40",
      numNodes: 1,
      shared: "multi_user",
      jobState: "running",
      startTime: 100,
      duration: 0,
      resources: [{ hostname: "a0101" }],
    };
    const id = jobs.insertJob(minimal);
    assert.deepEqual(jobs.findById(id), {
      ...minimal,
      id,
      arrayJobId: 0,
      numHwthreads: 0,
      numAcc: 0,
      submitTime: 0,
      walltime: 0,
      smt: 0,
      monitoringStatus: 1,
      energy: 0,
    });
    const raw = db.prepare("SELECT meta_data, footprint, cluster_partition FROM job").get();
    assert.deepEqual({ ...raw }, { meta_data: null, footprint: null, cluster_partition: "" });
  });
});

Deno.test("insertJob() stores SQL metacharacters verbatim", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    const nasty = `o'brien"; DROP TABLE job; -- %_\\ \n?`;
    const job = sampleJob({
      user: nasty,
      project: "'); DELETE FROM job; --",
      cluster: "c'l",
      metaData: { jobName: nasty, jobScript: "echo '$(rm -rf /)' \"x\"" },
    });
    const id = jobs.insertJob(job);
    assert.deepEqual(jobs.findById(id), { ...job, id });
    assert.deepEqual(jobs.find(job.jobId, { cluster: "c'l" }), { ...job, id });
    assert.equal(jobs.countJobs({ filter: { user: nasty } }), 1);
    assert.equal(jobs.countJobs(), 1);
  });
});

Deno.test("insertJob() rejects a duplicate (job_id, cluster, start_time)", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    jobs.insertJob(sampleJob());
    assert.throws(
      () => jobs.insertJob(sampleJob({ duration: 1 })),
      assertAppError(
        422,
        /^cannot insert job 1000 on "fritz" \(start time 1700000100\): a row with the same \(job_id, cluster, start_time\) already exists$/,
      ),
    );
    jobs.insertJob(sampleJob({ startTime: 1700000101 }));
    jobs.insertJob(sampleJob({ cluster: "alex" }));
    assert.equal(jobs.countJobs(), 3);
  });
});

Deno.test("insertJob() rejects invalid fields, naming field and value", async (t) => {
  await withTempDb(async (db) => {
    const jobs = new JobRepository(db);
    const cases: [Partial<Job>, RegExp][] = [
      [
        { jobState: "exploded" as Job["jobState"] },
        /invalid jobState "exploded" \(allowed: .*out_of_memory/,
      ],
      [{ jobState: "out-of-memory" as Job["jobState"] }, /invalid jobState "out-of-memory"/],
      [{ shared: "everyone" as Job["shared"] }, /invalid shared "everyone"/],
      [{ monitoringStatus: 7 }, /invalid monitoringStatus 7/],
      [{ jobId: 1.5 }, /invalid jobId 1.5 \(must be an integer\)/],
      [{ cluster: "" }, /invalid cluster "" \(must be a non-empty string\)/],
      [{ user: "a\u0000b" }, /invalid user "a\\u0000b" \(must not contain NUL characters\)/],
      [{ resources: null as unknown as Job["resources"] }, /invalid resources null/],
    ];
    for (const [override, pattern] of cases) {
      await t.step(JSON.stringify(override), () => {
        assert.throws(() => jobs.insertJob(sampleJob(override)), assertAppError(400, pattern));
      });
    }
    assert.equal(jobs.countJobs(), 0);
  });
});

Deno.test("insertJobs() inserts a batch in one transaction and rolls it back on failure", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    const tags = new TagRepository(db, { cache: true });
    const seen: number[] = [];
    const ids = jobs.insertJobs(
      [1, 2, 3].map((n) => sampleJob({ jobId: n, tags: [{ type: "app", name: `a${n % 2}` }] })),
      {
        onInserted: (id, job) => {
          seen.push(id);
          for (const tag of job.tags ?? []) tags.addTagToJob(id, tags.getOrCreateTag(tag).id);
        },
      },
    );
    assert.deepEqual(seen, ids);
    assert.equal(ids.length, 3);
    assert.equal(tags.listTags().length, 2);
    assert.deepEqual(tags.tagsOfJob(ids[1]).map((t) => t.name), ["a0"]);

    const bad = [sampleJob({ jobId: 10 }), sampleJob({ jobId: 11 }), sampleJob({ jobId: 1 })];
    assert.throws(() => jobs.insertJobs(bad), assertAppError(422, /job 1 on "fritz"/));
    assert.equal(jobs.countJobs(), 3);
    assert.equal(db.isTransaction, false);
  });
});

Deno.test("find() narrows by cluster and start time and prefers the newest row", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    const a = jobs.insertJob(sampleJob({ startTime: 10 }));
    const b = jobs.insertJob(sampleJob({ startTime: 20 }));
    const c = jobs.insertJob(sampleJob({ cluster: "alex", startTime: 10 }));
    assert.equal(jobs.find(1000)?.id, c);
    assert.equal(jobs.find(1000, { cluster: "fritz" })?.id, b);
    assert.equal(jobs.find(1000, { cluster: "fritz", startTime: 10 })?.id, a);
    assert.equal(jobs.find(1000, { cluster: "fritz", startTime: 30 }), null);
    assert.equal(jobs.find(999), null);
  });
});

Deno.test("list() filters and sorts only by allow-listed fields", async (t) => {
  await withTempDb(async (db) => {
    const jobs = new JobRepository(db);
    for (const [jobId, duration, user] of [[1, 30, "x"], [2, 10, "y"], [3, 20, "x"]] as const) {
      jobs.insertJob(sampleJob({ jobId, duration, user, startTime: jobId }));
    }
    await t.step("default: newest start first", () => {
      assert.deepEqual(jobs.list().map((j) => j.jobId), [3, 2, 1]);
    });
    await t.step("filter, sort, page", () => {
      const list = jobs.list({ filter: { user: "x" }, sortBy: "duration", order: "ASC" });
      assert.deepEqual(list.map((j) => j.jobId), [3, 1]);
      const page = jobs.list({ sortBy: "duration", order: "ASC", limit: 1, offset: 1 });
      assert.deepEqual(page.map((j) => j.jobId), [3]);
      assert.equal(jobs.countJobs({ filter: { user: "x", jobState: "completed" } }), 2);
    });
    await t.step("unknown or injected names are refused", () => {
      assert.throws(
        () => jobs.list({ sortBy: "start_time; DROP TABLE job" }),
        assertAppError(400, /unknown job field "start_time; DROP TABLE job"/),
      );
      assert.throws(
        () => jobs.countJobs({ filter: { "1=1 OR cluster": "x" } }),
        assertAppError(400, /unknown job field/),
      );
      assert.throws(() => jobs.list({ sortBy: "metaData" }), /unknown job field "metaData"/);
      assert.throws(() => jobs.list({ sortBy: "toString" }), /unknown job field "toString"/);
      const order = "ASC; DROP TABLE job" as "ASC";
      assert.throws(() => jobs.list({ order }), assertAppError(400, /invalid order/));
      assert.equal(jobs.countJobs(), 3);
    });
    await t.step("every allow-listed field is a real column", () => {
      for (const field of Object.keys(JOB_FIELD_COLUMNS)) jobs.list({ sortBy: field, limit: 1 });
    });
  });
});

Deno.test("findById() reads the fixture's BLOB-encoded JSON columns", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    const job = jobs.findById(1);
    assert.ok(job);
    assert.equal(job.jobId, 679694);
    assert.equal(job.partition, "a40");
    assert.equal(job.metaData?.jobName, "retrain_SNN");
    assert.deepEqual(job.resources[0].accelerators, ["00000000:E1:00.0"]);
    assert.equal(job.footprint?.acc_mem_used_avg, 1286.562);
    assert.deepEqual(job.energyFootprint, { acc_power: 0, core_power: 0, cpu_power: 0 });
    assert.equal(jobs.countJobs(), 544);
    assert.equal(jobs.list({ limit: 1000 }).length, 544);
  }, { fixture: true });
});

Deno.test("deleteAllJobsAndTags() empties job, tag and jobtag only", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    const count = (table: string) =>
      Number(db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n);
    assert.deepEqual([count("job"), count("tag"), count("jobtag")], [544, 4, 4]);
    jobs.deleteAllJobsAndTags();
    assert.deepEqual([count("job"), count("tag"), count("jobtag")], [0, 0, 0]);
    assert.equal(count("hpc_user"), 1);
    assert.equal(count("configuration"), 2);
  }, { fixture: true });
});

Deno.test("findDuplicateStart() applies cc-backend's one-sided one-day rule", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    const id = jobs.insertJob(sampleJob({ jobId: 5, startTime: 1_000_000 }));
    const dup = (jobId: number, cluster: string, start: number) =>
      jobs.findDuplicateStart(jobId, cluster, start);
    assert.deepEqual(dup(5, "fritz", 1_000_000), { id, jobId: 5 });
    assert.deepEqual(dup(5, "fritz", 1_086_399), { id, jobId: 5 });
    assert.deepEqual(dup(5, "fritz", 1), { id, jobId: 5 }, "an earlier start always collides");
    assert.equal(dup(5, "fritz", 1_086_400), null);
    assert.equal(dup(5, "alex", 1_000_000), null);
    assert.equal(dup(6, "fritz", 1_000_000), null);
  });
});

Deno.test("stopJob() sets state and duration only", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    const id = jobs.insertJob(sampleJob({ jobState: "running", duration: 0, monitoringStatus: 1 }));
    assert.equal(jobs.stopJob(id, "failed", 77), true);
    const job = jobs.findById(id)!;
    assert.equal(job.jobState, "failed");
    assert.equal(job.duration, 77);
    assert.equal(job.monitoringStatus, 1);
    assert.equal(jobs.stopJob(id + 1, "failed", 1), false);
    assert.throws(
      () => jobs.stopJob(id, "stopped" as "failed", 1),
      assertAppError(400, /invalid value "stopped" for field "job_state"/),
    );
  });
});

Deno.test("setMetadata() merges one key into meta_data", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    const id = jobs.insertJob(sampleJob({ metaData: { a: "1" } }));
    assert.deepEqual(jobs.setMetadata(id, "b", "2"), { a: "1", b: "2" });
    assert.deepEqual(jobs.setMetadata(id, "a", "x'\"; --"), { a: "x'\"; --", b: "2" });
    assert.deepEqual(jobs.metadataOf(id), { a: "x'\"; --", b: "2" });
    const bare = jobs.insertJob(sampleJob({ jobId: 2, metaData: undefined }));
    assert.deepEqual(jobs.metadataOf(bare), {});
    assert.deepEqual(jobs.setMetadata(bare, "k", "v"), { k: "v" });
    assert.equal(jobs.setMetadata(999, "k", "v"), null);
    assert.equal(jobs.metadataOf(999), null);
  });
});

Deno.test("deleteJob() and deleteJobsBefore() with omit-tagged", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    const tags = new TagRepository(db);
    const fill = () => {
      db.exec("DELETE FROM job");
      const ids = [1, 2, 3, 4].map((jobId) =>
        jobs.insertJob(sampleJob({ jobId, startTime: jobId === 4 ? 500 : 100 }))
      );
      tags.addTagToJob(ids[1], tags.getOrCreateTag({ type: "jobClass", name: "lowload" }).id);
      tags.addTagToJob(ids[2], tags.getOrCreateTag({ type: "review", name: "x" }).id);
      return ids;
    };
    const left = () => jobs.list({ sortBy: "jobId", order: "ASC" }).map((j) => j.jobId);
    const [first] = fill();
    assert.equal(jobs.deleteJob(first), true);
    assert.equal(jobs.deleteJob(first), false);
    fill();
    assert.equal(jobs.deleteJobsBefore(500), 3);
    assert.deepEqual(left(), [4]);
    fill();
    assert.equal(jobs.deleteJobsBefore(500, "all"), 1);
    assert.deepEqual(left(), [2, 3, 4]);
    fill();
    assert.equal(jobs.deleteJobsBefore(500, "user"), 2);
    assert.deepEqual(left(), [3, 4]);
    assert.throws(
      () => jobs.deleteJobsBefore(1, "some" as "all"),
      assertAppError(400, /omit-tagged must be one of: none, all, user/),
    );
  });
});

Deno.test("usedNodes() maps clusters to the sorted hosts of running jobs started before ts", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    const running = { jobState: "running" as const, duration: 0 };
    jobs.insertJob(sampleJob({ ...running, jobId: 1, startTime: 10 }));
    jobs.insertJob(sampleJob({
      ...running,
      jobId: 2,
      startTime: 20,
      numNodes: 1,
      resources: [{ hostname: "f0100" }],
    }));
    jobs.insertJob(sampleJob({
      ...running,
      jobId: 3,
      cluster: "alex",
      subCluster: "a40",
      startTime: 5,
      numNodes: 1,
      resources: [{ hostname: "a0121" }],
    }));
    jobs.insertJob(sampleJob({ jobId: 4, startTime: 1, resources: [{ hostname: "f0999" }] }));
    assert.deepEqual(jobs.usedNodes(21), {
      alex: ["a0121"],
      fritz: ["f0100", "f0101", "f0102"],
    });
    assert.deepEqual(Object.keys(jobs.usedNodes(21)), ["alex", "fritz"]);
    assert.deepEqual(jobs.usedNodes(20), { alex: ["a0121"], fritz: ["f0101", "f0102"] });
    assert.deepEqual(jobs.usedNodes(5), {});
  });
});

Deno.test("flushJobCache() moves rows a cc-backend left in job_cache into job", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    jobs.insertJob(sampleJob({ jobId: 1 }));
    const columns = "job_id, cluster, subcluster, start_time, hpc_user, project, duration, " +
      "walltime, job_state, resources, num_nodes, shared";
    const insert = db.prepare(
      `INSERT INTO job_cache (${columns}) VALUES (?, 'fritz', 'main', ?, 'u', 'p', 0, 0, ` +
        `'running', '[{"hostname":"f0101"}]', 1, 'none')`,
    );
    insert.run(1, sampleJob().startTime); // already in job: skipped
    insert.run(2, 500);
    assert.equal(jobs.flushJobCache(), 1);
    assert.equal(db.prepare("SELECT COUNT(*) AS n FROM job_cache").get()!.n, 0);
    const moved = jobs.find(2)!;
    assert.equal(moved.jobState, "running");
    assert.deepEqual(moved.resources, [{ hostname: "f0101" }]);
    assert.equal(jobs.countJobs(), 2);
  });
});

Deno.test("markArchived(), setMonitoringStatus() and unarchivedStoppedJobs()", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    const running = jobs.insertJob(sampleJob({ jobId: 1, jobState: "running" }));
    const stopped = jobs.insertJob(sampleJob({ jobId: 2, jobState: "completed" }));
    const failed = jobs.insertJob(sampleJob({ jobId: 3, jobState: "failed" }));
    const off = jobs.insertJob(sampleJob({ jobId: 4, jobState: "completed", monitoringStatus: 0 }));
    assert.deepEqual(jobs.unarchivedStoppedJobs().map((j) => j.id), [stopped, failed]);
    assert.equal(
      jobs.markArchived(stopped, {
        footprint: { cpu_load_avg: 1.5 },
        energyFootprint: { cpu_power: 0.25 },
        energy: 0.25,
      }),
      true,
    );
    const archived = jobs.findById(stopped)!;
    assert.equal(archived.monitoringStatus, 3);
    assert.deepEqual(archived.footprint, { cpu_load_avg: 1.5 });
    assert.deepEqual(archived.energyFootprint, { cpu_power: 0.25 });
    assert.equal(archived.energy, 0.25);
    assert.equal(jobs.setMonitoringStatus(failed, 2), true);
    assert.equal(jobs.findById(failed)!.monitoringStatus, 2);
    assert.deepEqual(jobs.unarchivedStoppedJobs(), []);
    assert.equal(jobs.markArchived(9999, { footprint: {}, energyFootprint: {}, energy: 0 }), false);
    assert.equal(jobs.setMonitoringStatus(9999, 2), false);
    assert.equal(jobs.findById(running)!.monitoringStatus, 1);
    assert.equal(jobs.findById(off)!.monitoringStatus, 0);
  });
});
