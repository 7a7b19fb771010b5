import assert from "node:assert/strict";
import { join } from "node:path";
import { applyDefaults } from "../config/apply_defaults.ts";
import { JobHooks } from "../jobs/job_hooks.ts";
import { setLogSink } from "../log/logger.ts";
import { testJob, withTaggerSite } from "../tagger/test_helpers.ts";
import type { ServiceContext } from "./service_context.ts";
import { startTaggerService } from "./tagger_service.ts";

Deno.test("the tagger service follows main.enable-job-taggers", async (t) => {
  await withTaggerSite(async (site) => {
    const previous = setLogSink(() => {});
    const context = (enabled: boolean): ServiceContext => ({
      config: applyDefaults({ main: { addr: "127.0.0.1:0", "enable-job-taggers": enabled } }),
      db: site.db,
      archive: site.archive,
      jobHooks: new JobHooks(),
      now: () => 1_700_000_000,
      provided: {},
    });
    const dirs = {
      appsDir: join(site.dir, "var/tagger/apps"),
      jobClassesDir: join(site.dir, "var/tagger/jobclasses"),
    };
    try {
      await t.step("enabled: started jobs are tagged, runs are offered", async () => {
        const ctx = context(true);
        const service = await startTaggerService(ctx, dirs);
        assert.equal(service.name, "taggers");
        assert.equal(ctx.provided.taggers, service.taggers);
        const job = await site.insert(testJob({ metaData: { jobScript: "srun cp2k.psmp" } }));
        await ctx.jobHooks.jobStarted(job);
        assert.deepEqual(site.tagsOf(job.id!), ["app:cp2k@global"]);
        await service.stop();
        const other = await site.insert(testJob({ jobId: 9, metaData: { jobScript: "cp2k" } }));
        await ctx.jobHooks.jobStarted(other);
        assert.deepEqual(site.tagsOf(other.id!), [], "stopped: no longer subscribed");
      });
      await t.step(
        "disabled: nothing is tagged automatically, runs are still offered",
        async () => {
          const ctx = context(false);
          const service = await startTaggerService(ctx, dirs);
          assert.equal(service.name, "taggers (on demand only)");
          const job = await site.insert(testJob({ jobId: 10, metaData: { jobScript: "cpmd.x" } }));
          await ctx.jobHooks.jobStarted(job);
          assert.deepEqual(site.tagsOf(job.id!), []);
          const run = await ctx.provided.taggers!.start("AppTagger");
          // This job and the one the first step left untagged.
          assert.equal(run?.tagsAdded, 2);
          assert.deepEqual(site.tagsOf(job.id!), ["app:cpmd@global"]);
          await service.stop();
        },
      );
    } finally {
      setLogSink(previous);
    }
  });
});
