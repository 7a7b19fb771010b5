import assert from "node:assert/strict";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import type { Job } from "../../server/archive/mod.ts";
import { JobRepository, TagRepository } from "../../server/db/mod.ts";
import {
  copyDir,
  describe,
  FIXTURES,
  runCli,
  SERVER_SOURCES,
  withDb,
  withInitSite,
} from "../cli/cli_helpers.ts";

// The insert worker of -init-db loads its modules under server/ with read checks.
const WORKER_READ = { extraRead: [SERVER_SOURCES] };

const EXIT_LINE = "No errors, server flag not set. Exiting cc-backend.\n";

/** Limits of emmy/haswell: cpu_load peak 4, mem_used peak 32 alert 30, mem_bw peak 24. */
const HINTS_1404397 = [
  "This job used high memory: peak memory usage 37.43 GB (116.97% of 32 GB node capacity), " +
  "exceeding the 0.9 utilization threshold. Risk of out-of-memory conditions.",
  "This job was detected as having excessive CPU load: average cpu load 18.39 exceeds the " +
  "oversubscription threshold 4.8 (1.2 \u00d7 4 peak cores), indicating CPU contention.",
  "This job is memory bandwidth bound: memory bandwidth 63.23 GB/s (263.46% of peak) is within " +
  "0.8 of peak bandwidth. Consider improving data reuse or compute intensity.",
];

function fritzJob(jobId: number, overrides: Partial<Job>): Job {
  return {
    jobId,
    user: "alice",
    project: "proj",
    cluster: "fritz",
    subCluster: "main",
    numNodes: 1,
    numHwthreads: 72,
    shared: "none",
    jobState: "completed",
    monitoringStatus: 1,
    startTime: 1_700_000_000 + jobId,
    duration: 3600,
    resources: [{ hostname: "f0101" }],
    ...overrides,
  };
}

function tagsByJobId(db: DatabaseSync): Record<number, string[]> {
  const jobs = new JobRepository(db);
  const tags = new TagRepository(db);
  const result: Record<number, string[]> = {};
  for (const job of jobs.list({ sortBy: "jobId", order: "ASC" })) {
    result[job.jobId] = tags.tagsOfJob(job.id!).map((t) => `${t.type}:${t.name}@${t.scope}`);
  }
  return result;
}

/**
 * An -init site with the fixture archive imported (emmy jobs 1403244 and
 * 1404397, archived) plus a completed fritz job (not archived) running vasp
 * and a running fritz job running python. Job 1403244 runs gromacs.
 */
function withTaggableSite(fn: (site: string) => Promise<void>): Promise<void> {
  return withInitSite(async (site) => {
    const archive = join(site, "var", "job-archive");
    await Deno.remove(archive, { recursive: true });
    await copyDir(join(FIXTURES, "archive"), archive);
    const init = await runCli(site, ["-init-db"], WORKER_READ);
    assert.equal(init.code, 0, describe(init));
    withDb(site, "var/job.db", (db) => {
      const jobs = new JobRepository(db);
      const emmy = jobs.find(1403244)!;
      jobs.setMetadata(emmy.id!, "jobScript", "#!/bin/bash\nmodule load gromacs\nsrun gmx mdrun");
      jobs.insertJob(fritzJob(1, { metaData: { jobScript: "#!/bin/bash\nsrun vasp_std" } }));
      jobs.insertJob(fritzJob(2, { jobState: "running", metaData: { jobScript: "python x.py" } }));
    });
    await fn(site);
  });
}

Deno.test("cc-backend -apply-tags runs both taggers with the built-in rules", async (t) => {
  await withTaggableSite(async (site) => {
    const result = await runCli(site, ["-apply-tags"]);

    await t.step("it reports both runs and continues to the end of the startup", () => {
      assert.equal(result.code, 0, describe(result));
      assert.equal(
        result.stdout,
        "AppTagger: 3 jobs, 2 changed, 2 tags added, 0 failed\n" +
          "JobClassTagger: 3 jobs, 2 changed, 6 tags added, 0 failed\n" + EXIT_LINE,
      );
      assert.equal(result.stderr, "", "no warnings with the built-in rules");
    });
    await t.step(
      "the stopped jobs carry their app and job-class tags, the running one none",
      () => {
        const classes = ["jobClass:highmemory", "jobClass:excessiveload", "jobClass:memorybound"]
          .map((tag) => `${tag}@global`);
        withDb(site, "var/job.db", (db) => {
          assert.deepEqual(tagsByJobId(db), {
            1: ["app:vasp@global"],
            2: [],
            1403244: ["app:gromacs@global", ...classes],
            1404397: classes,
          });
        });
      },
    );
    await t.step("the hints are the job's message, in rule order", () => {
      withDb(site, "var/job.db", (db) => {
        const jobs = new JobRepository(db);
        const job = jobs.find(1404397)!;
        assert.equal(jobs.metadataOf(job.id!)?.message, HINTS_1404397.join("\n"));
      });
    });
    await t.step("the archived meta.json has the tags and the message", async () => {
      const meta = JSON.parse(
        await Deno.readTextFile(join(site, "var/job-archive/emmy/1404/397/1609300556/meta.json")),
      );
      assert.deepEqual(
        meta.tags.map((t: { type: string; name: string }) => `${t.type}:${t.name}`),
        ["jobClass:highmemory", "jobClass:excessiveload", "jobClass:memorybound"],
      );
      assert.equal(meta.metaData.message, HINTS_1404397.join("\n"));
    });
    await t.step("a second run finds nothing to change", async () => {
      const again = await runCli(site, ["-apply-tags"]);
      assert.equal(again.code, 0, describe(again));
      assert.equal(
        again.stdout,
        "AppTagger: 3 jobs, 0 changed, 0 tags added, 0 failed\n" +
          "JobClassTagger: 3 jobs, 0 changed, 0 tags added, 0 failed\n" + EXIT_LINE,
      );
    });
  });
});

Deno.test("cc-backend -apply-tags uses the site's rules in ./var/tagger when they exist", async () => {
  await withTaggableSite(async (site) => {
    const apps = join(site, "var/tagger/apps");
    const classes = join(site, "var/tagger/jobclasses");
    await Deno.mkdir(apps, { recursive: true });
    await Deno.mkdir(classes, { recursive: true });
    await Deno.writeTextFile(join(apps, "gromacs.txt"), "gmx\n");
    await Deno.writeTextFile(join(classes, "parameters.json"), '{"long_seconds": 86500}');
    await Deno.writeTextFile(
      join(classes, "long.json"),
      JSON.stringify({
        name: "Long job",
        tag: "long",
        parameters: ["long_seconds"],
        rule: "job.duration > long_seconds",
        hint: "ran {{.job.duration}} s on {{.job.numNodes}} nodes",
      }),
    );
    const result = await runCli(site, ["-apply-tags"]);
    assert.equal(result.code, 0, describe(result));
    withDb(site, "var/job.db", (db) => {
      assert.deepEqual(tagsByJobId(db), {
        1: [],
        2: [],
        1403244: ["app:gromacs@global"],
        1404397: ["jobClass:long@global"],
      });
      const jobs = new JobRepository(db);
      assert.equal(jobs.metadataOf(jobs.find(1404397)!.id!)?.message, "ran 86525 s on 32 nodes");
    });
  });
});
