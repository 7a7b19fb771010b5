import assert from "node:assert/strict";
import { join } from "node:path";
import type { MetricStoreService } from "../metricstore/mod.ts";
import { JobHooks } from "../jobs/job_hooks.ts";
import { MemoryStore } from "../metricstore/mod.ts";
import { FakeClock } from "../tasks/fake_clock.ts";
import {
  addJob,
  captureLog,
  configOf,
  exists,
  fritzJob,
  type TaskSite,
  withTaskSite,
} from "../tasks/test_site.ts";
import { startServices } from "./run_services.ts";
import type { ServiceContext } from "./service_context.ts";
import { createTaskManagerService } from "./task_manager_service.ts";

const START = Date.parse("2025-06-10T12:00:00Z");

function context(
  site: TaskSite,
  document: Record<string, unknown>,
  extra: Partial<ServiceContext> = {},
): ServiceContext {
  return {
    config: configOf(document),
    db: site.db,
    archive: site.archive,
    jobHooks: new JobHooks(),
    now: () => Math.floor(START / 1000),
    provided: {},
    ...extra,
  };
}

Deno.test("task manager refuses an unparsable cron duration and starts nothing", async () => {
  await withTaskSite(async (site) => {
    const clock = new FakeClock(START);
    const factory = createTaskManagerService({ scheduler: clock.schedulerOptions("UTC") });
    const ctx = context(site, { cron: { "duration-worker": "5 minutes" } });
    assert.throws(
      () => factory(ctx),
      /cannot start the task manager: cron.duration-worker: invalid duration "5 minutes"/,
    );
    await assert.rejects(startServices(ctx, [factory]), /cron.duration-worker/);
    assert.equal(clock.pending, 0);
  });
});

Deno.test("task manager schedules the tasks the configuration asks for", async () => {
  await withTaskSite(async (site) => {
    const clock = new FakeClock(START);
    const factory = createTaskManagerService({ scheduler: clock.schedulerOptions("UTC") });
    await captureLog(async () => {
      const plain = factory(context(site, {}));
      assert.deepEqual(plain.scheduler.taskNames, ["duration worker", "archive compression"]);
      assert.equal(plain.scheduler.nextRun("duration worker"), START + 5 * 60_000);
      assert.equal(
        plain.scheduler.nextRun("archive compression"),
        Date.parse("2025-06-11T05:00:00Z"),
      );
      await plain.stop();
    });

    const metricStore = { store: MemoryStore.fromClusters(site.archive.clusters()) };
    const full = factory(context(site, {
      main: {
        "stop-jobs-exceeding-walltime": 3600,
        "nodestate-retention": { policy: "move", "target-path": `${site.dir}/states` },
      },
      archive: {
        kind: "file",
        path: site.archive.root,
        compression: 14,
        retention: { policy: "move", age: 365, "target-path": `${site.dir}/old` },
      },
      cron: { "duration-worker": "1m", "footprint-worker": "90s" },
      auth: { jwts: {}, ldap: { url: "ldap://localhost", "sync-interval": "24h" } },
    }, {
      metricStore: metricStore as MetricStoreService,
      provided: { ldapSync: () => Promise.resolve() },
    }));
    assert.deepEqual(full.scheduler.taskNames, [
      "node-state retention move",
      "stop jobs exceeding walltime",
      "duration worker",
      "footprint worker",
      "archive retention move",
      "archive compression",
      "ldap sync",
    ]);
    const next = (name: string) => new Date(full.scheduler.nextRun(name)!).toISOString();
    assert.equal(next("node-state retention move"), "2025-06-11T02:30:00.000Z");
    assert.equal(next("stop jobs exceeding walltime"), "2025-06-11T03:00:00.000Z");
    assert.equal(next("archive retention move"), "2025-06-11T05:00:00.000Z");
    assert.equal(next("footprint worker"), "2025-06-10T12:01:30.000Z");
    assert.equal(next("ldap sync"), "2025-06-11T12:00:00.000Z");
    await full.stop();
    assert.equal(clock.pending, 0);
  });
});

Deno.test("task manager disables tasks it cannot run and says why", async () => {
  await withTaskSite(async (site) => {
    const factory = createTaskManagerService({
      scheduler: new FakeClock(START).schedulerOptions("UTC"),
    });
    const { result, lines } = await captureLog(() =>
      factory(context(site, {
        main: { "nodestate-retention": { policy: "move", "target-kind": "s3" } },
        archive: { kind: "file", path: site.archive.root, retention: { policy: "delete" } },
        cron: { "duration-worker": "0s", "footprint-worker": "-1m" },
        auth: { jwts: {}, ldap: { url: "ldap://localhost", "sync-interval": "1h" } },
      }))
    );
    assert.deepEqual(result.scheduler.taskNames, ["archive compression"]);
    const said = (text: string) => lines.some((l) => l.includes(text));
    assert.ok(said("node-state retention move is disabled: target-kind s3 is not supported"));
    assert.ok(said("archive retention delete is disabled: age must be a positive number"));
    assert.ok(said('cron.duration-worker is "0s", the task is disabled'));
    assert.ok(said('cron.footprint-worker is "-1m", the task is disabled'));
    assert.ok(said("auth.ldap.sync-interval is set, but LDAP is not available"));
    await result.stop();
  });
});

Deno.test("task manager moves rows left in job_cache into job once at start", async () => {
  await withTaskSite(async (site) => {
    site.db.exec(
      "INSERT INTO job_cache (job_id, cluster, subcluster, start_time, hpc_user, project, " +
        "duration, walltime, job_state, resources, num_nodes, shared) VALUES " +
        "(77, 'fritz', 'main', 1700000000, 'bob', 'p2', 0, 3600, 'running', " +
        `'[{"hostname":"f0101"}]', 1, 'none')`,
    );
    const factory = createTaskManagerService({
      scheduler: new FakeClock(START).schedulerOptions("UTC"),
    });
    const { result } = await captureLog(() => factory(context(site, {})));
    const job = site.jobs.find(77, { cluster: "fritz" });
    assert.equal(job?.user, "bob");
    const left = site.db.prepare("SELECT COUNT(*) AS n FROM job_cache").get()!;
    assert.equal(Number(left.n), 0);
    await result.stop();
  });
});

Deno.test("task manager runs the duration worker one interval after start", async () => {
  await withTaskSite(async (site) => {
    const clock = new FakeClock(START);
    const factory = createTaskManagerService({ scheduler: clock.schedulerOptions("UTC") });
    const startSeconds = Math.floor(START / 1000);
    const job = await addJob(
      site,
      fritzJob({ jobState: "running", startTime: startSeconds - 100, duration: 0 }),
      { archived: false },
    );
    const service = factory(context(site, { cron: { "duration-worker": "2m" } }, {
      now: () => Math.floor(clock.now() / 1000),
    }));
    await clock.advance(119_000);
    assert.equal(site.jobs.findById(job.id!)!.duration, 0);
    await clock.advance(1_000);
    assert.equal(site.jobs.findById(job.id!)!.duration, 220);
    await clock.advance(120_000);
    assert.equal(site.jobs.findById(job.id!)!.duration, 340);
    await service.stop();
  });
});

Deno.test("task manager runs retention at 03:00 and compression at 05:00 local time", async () => {
  await withTaskSite(async (site) => {
    const clock = new FakeClock(START);
    const factory = createTaskManagerService({ scheduler: clock.schedulerOptions("UTC") });
    const day = 86400;
    const startSeconds = Math.floor(START / 1000);
    const old = await addJob(site, fritzJob({ jobId: 1, startTime: startSeconds - 40 * day }));
    const week = await addJob(site, fritzJob({ jobId: 2, startTime: startSeconds - 8 * day }));
    const service = factory(context(site, {
      archive: { kind: "file", path: site.archive.root, retention: { policy: "delete", age: 30 } },
    }, { now: () => Math.floor(clock.now() / 1000) }));
    // 12:00 → 03:00 next day is 15 h.
    await clock.advance(15 * 3600_000);
    await service.scheduler.idle();
    assert.equal(site.jobs.findById(old.id!), null);
    assert.equal(await exists(join(site.archive.jobDir(week), "data.json")), true);
    await clock.advance(2 * 3600_000);
    await service.scheduler.idle();
    assert.equal(await exists(join(site.archive.jobDir(week), "data.json")), false);
    assert.equal(await exists(join(site.archive.jobDir(week), "data.json.gz")), true);
    await service.stop();
  });
});
