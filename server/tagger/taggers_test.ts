import assert from "node:assert/strict";
import { join } from "node:path";
import { AppError } from "../errors.ts";
import { JobRepository, TagRepository } from "../db/mod.ts";
import { JobHooks } from "../jobs/job_hooks.ts";
import { setLogSink } from "../log/logger.ts";
import { Taggers } from "./taggers.ts";
import { stats, type TaggerTestSite, testJob, withTaggerSite } from "./test_helpers.ts";

const HIGH_MEMORY_HINT = "This job used high memory: peak memory usage 250 GB (97.66% of 256 GB " +
  "node capacity), exceeding the 0.9 utilization threshold. Risk of out-of-memory conditions.";

/** Taggers with the built-in rules (the rule directories do not exist in the site). */
async function builtInTaggers(site: TaggerTestSite): Promise<Taggers> {
  const taggers = new Taggers(site, {
    appsDir: join(site.dir, "var/tagger/apps"),
    jobClassesDir: join(site.dir, "var/tagger/jobclasses"),
  });
  await taggers.load();
  return taggers;
}

function quietLogs(): () => void {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  return () => setLogSink(previous);
}

Deno.test("the app tagger tags started jobs with their apps through the start hook", async (t) => {
  await withTaggerSite(async (site) => {
    const taggers = await builtInTaggers(site);
    assert.equal(taggers.app.apps.length, 16);
    assert.equal(taggers.jobClass.rules.length, 5);
    const hooks = new JobHooks();
    const off = taggers.subscribe(hooks);

    await t.step("a vasp script gets app:vasp with scope global", async () => {
      const job = await site.insert(testJob({
        jobState: "running",
        metaData: { jobScript: "#!/bin/bash\n#SBATCH -N 2\nsrun vasp_std" },
      }));
      await hooks.jobStarted(job);
      assert.deepEqual(site.tagsOf(job.id!), ["app:vasp@global"]);
    });
    await t.step("the script is read from the database when the event lacks metadata", async () => {
      const job = await site.insert(testJob({
        jobId: 2,
        jobState: "running",
        metaData: { jobScript: "python3 run.py" },
      }));
      await hooks.jobStarted({ ...job, metaData: undefined });
      assert.deepEqual(site.tagsOf(job.id!), ["app:python@global"]);
    });
    await t.step("a job without a script is left alone", async () => {
      const job = await site.insert(testJob({ jobId: 3, jobState: "running" }));
      await hooks.jobStarted(job);
      assert.deepEqual(site.tagsOf(job.id!), []);
    });
    await t.step(
      "a job that already has the tag in another scope is not tagged again",
      async () => {
        const tags = new TagRepository(site.db);
        const job = await site.insert(testJob({ jobId: 4, metaData: { jobScript: "julia a.jl" } }));
        tags.addTagToJob(
          job.id!,
          tags.getOrCreateTag({ type: "app", name: "julia", scope: "alice" }).id,
        );
        await hooks.jobStarted(job);
        assert.deepEqual(site.tagsOf(job.id!), ["app:julia@alice"]);
      },
    );
    await t.step("a tag name taken by a private tag is skipped with a warning", async () => {
      const lines: string[] = [];
      const previous = setLogSink((line) => lines.push(line));
      try {
        const job = await site.insert(testJob({ jobId: 5, metaData: { jobScript: "julia b.jl" } }));
        await hooks.jobStarted(job);
        assert.deepEqual(site.tagsOf(job.id!), []);
        assert.match(lines.join("\n"), /cannot tag job \d+ with app:julia: .*scope "alice"/);
      } finally {
        setLogSink(previous);
      }
    });
    off();
    await taggers.close();
  });
});

Deno.test("the job-class tagger classifies archived jobs through the archived hook", async (t) => {
  await withTaggerSite(async (site) => {
    const taggers = await builtInTaggers(site);
    const hooks = new JobHooks();
    taggers.subscribe(hooks);
    const statistics = stats({ mem_used: [100, 200, 250] });
    const job = await site.insert(testJob({ metaData: { message: "checked by admin" } }), {
      statistics,
    });
    const jobs = new JobRepository(site.db);

    await t.step("tag and hint go to the database", async () => {
      await hooks.jobArchived({ ...job, statistics });
      assert.deepEqual(site.tagsOf(job.id!), ["jobClass:highmemory@global"]);
      assert.equal(jobs.metadataOf(job.id!)?.message, `checked by admin\n${HIGH_MEMORY_HINT}`);
    });
    await t.step("and to the archived meta.json", async () => {
      const meta = await site.archive.loadJobMeta(job);
      assert.deepEqual(meta.tags?.map((t) => `${t.type}:${t.name}@${t.scope}`), [
        "jobClass:highmemory@global",
      ]);
      assert.equal(meta.metaData?.message, `checked by admin\n${HIGH_MEMORY_HINT}`);
    });
    await t.step("classifying again adds neither a tag nor a second hint line", async () => {
      await hooks.jobArchived({ ...job, statistics });
      assert.deepEqual(site.tagsOf(job.id!), ["jobClass:highmemory@global"]);
      assert.equal(jobs.metadataOf(job.id!)?.message, `checked by admin\n${HIGH_MEMORY_HINT}`);
    });
    await t.step(
      "an event without a database id finds the job by jobId, cluster and start",
      async () => {
        const other = await site.insert(testJob({ jobId: 77 }), {
          statistics: stats({ cpu_load: [10, 30, 40] }),
        });
        await hooks.jobArchived({
          ...other,
          id: undefined,
          statistics: stats({ cpu_load: [10, 30, 40] }),
        });
        assert.deepEqual(site.tagsOf(other.id!), ["jobClass:lowload@global"]);
      },
    );
    await taggers.close();
  });
});

Deno.test("on-demand runs tag every non-running job and count what they did", async (t) => {
  await withTaggerSite(async (site) => {
    const restore = quietLogs();
    try {
      const taggers = await builtInTaggers(site);
      const running = await site.insert(testJob({
        jobId: 1,
        jobState: "running",
        metaData: { jobScript: "srun vasp_std" },
      }));
      const plain = await site.insert(
        testJob({ jobId: 2, metaData: { jobScript: "python x.py" } }),
      );
      const archived = await site.insert(
        testJob({ jobId: 3, metaData: { jobScript: "srun gmx mdrun" } }),
        { statistics: stats({ cpu_load: [10, 30, 40] }) },
      );
      const lost = await site.insert(testJob({ jobId: 4, monitoringStatus: 3 }));

      const [apps, classes] = await taggers.runAll();
      await t.step("the app tagger visits the three stopped jobs and tags two", () => {
        assert.deepEqual(apps, {
          tagger: "AppTagger",
          jobs: 3,
          changedJobs: 2,
          tagsAdded: 2,
          failed: 0,
          aborted: false,
        });
      });
      await t.step("the job-class tagger tags the archived one; a missing meta.json fails", () => {
        assert.deepEqual(classes, {
          tagger: "JobClassTagger",
          jobs: 3,
          changedJobs: 1,
          tagsAdded: 1,
          failed: 1,
          aborted: false,
        });
      });
      await t.step("the tags are where they belong", async () => {
        assert.deepEqual(site.tagsOf(running.id!), []);
        assert.deepEqual(site.tagsOf(plain.id!), ["app:python@global"]);
        assert.deepEqual(site.tagsOf(archived.id!), [
          "app:gromacs@global",
          "jobClass:lowload@global",
        ]);
        assert.deepEqual(site.tagsOf(lost.id!), []);
        const meta = await site.archive.loadJobMeta(archived);
        assert.deepEqual(meta.tags?.map((t) => `${t.type}:${t.name}`), [
          "app:gromacs",
          "jobClass:lowload",
        ]);
        assert.match(meta.metaData?.message ?? "", /^This job was detected as low CPU load/);
      });
      await t.step("a second run changes nothing", async () => {
        const again = await taggers.runAll();
        assert.deepEqual(again.map((r) => [r.changedJobs, r.tagsAdded]), [[0, 0], [0, 0]]);
      });
      await taggers.close();
    } finally {
      restore();
    }
  });
});

Deno.test("start() runs one tagger at a time and refuses unknown names", async (t) => {
  await withTaggerSite(async (site) => {
    const restore = quietLogs();
    try {
      const taggers = await builtInTaggers(site);
      await site.insert(testJob({ metaData: { jobScript: "matlab -batch x" } }));
      assert.deepEqual(taggers.list(), [
        { name: "AppTagger", type: "start", running: false },
        { name: "JobClassTagger", type: "stop", running: false },
      ]);
      const run = taggers.start("AppTagger");
      await t.step("the run shows as running", () => {
        assert.equal(taggers.list()[0].running, true);
      });
      await t.step("a second start of the same tagger is a 409", () => {
        assert.throws(() => taggers.start("AppTagger"), (e) => {
          assert.ok(e instanceof AppError);
          assert.equal(e.status, 409);
          assert.equal(e.message, "tagger AppTagger is already running");
          return true;
        });
      });
      await t.step("an unknown tagger is a 409", () => {
        assert.throws(() => taggers.start("Nope"), (e) => {
          assert.ok(e instanceof AppError);
          assert.equal(e.status, 409);
          assert.equal(e.message, "unknown tagger: Nope");
          return true;
        });
      });
      await t.step("the run finishes and can be started again", async () => {
        assert.equal((await run)?.tagsAdded, 1);
        assert.equal(taggers.list()[0].running, false);
        assert.equal((await taggers.start("AppTagger"))?.tagsAdded, 0);
      });
      await taggers.close();
    } finally {
      restore();
    }
  });
});
