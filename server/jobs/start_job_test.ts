import assert from "node:assert/strict";
import { JobRepository, TagRepository } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import { type TestSite, withSite } from "../importer/test_helpers.ts";
import { JobHooks } from "./job_hooks.ts";
import { startJob, type StartJobRequest } from "./start_job.ts";
import type { AuthUser } from "../auth/auth_user.ts";

function request(overrides: StartJobRequest = {}): StartJobRequest {
  return {
    jobId: 1001,
    user: "testuser1",
    project: "testproj1",
    cluster: "fritz",
    partition: "main",
    walltime: 7200,
    numNodes: 1,
    numHwthreads: 8,
    numAcc: 0,
    shared: "none",
    monitoringStatus: 1,
    smt: 1,
    resources: [{ hostname: "f0101", hwthreads: [0, 1, 2, 3, 4, 5, 6, 7] }],
    startTime: 1234567890,
    ...overrides,
  };
}

const apiUser: AuthUser = {
  username: "api-user",
  roles: ["api"],
  projects: [],
  authSource: 2,
  authType: "token",
};

Deno.test("startJob() stores a running job at once and tells the start hooks", async () => {
  await withSite(async ({ db, archive }) => {
    const hooks = new JobHooks();
    const started: number[] = [];
    hooks.onJobStarted((job) => void started.push(job.id!));
    const { id, job } = startJob(request({ submitTime: 1234567000, jobState: "failed" }), {
      db,
      archive,
      hooks,
    });
    const stored = new JobRepository(db).findById(id)!;
    assert.equal(stored.jobState, "running");
    assert.equal(stored.subCluster, "main");
    assert.equal(stored.submitTime, 1234567000);
    assert.equal(job.id, id);
    await Promise.resolve();
    assert.deepEqual(started, [id]);
  }, { archive: "fixture" });
});

/** Runs a synchronous test body on a fresh site with the fixture archive. */
function onFixtureSite(fn: (site: TestSite) => void): Promise<void> {
  return withSite((site) => {
    fn(site);
    return Promise.resolve();
  }, { archive: "fixture" });
}

Deno.test("startJob() without a user (NATS) attaches tags of any scope", async () => {
  await onFixtureSite(({ db, archive }) => {
    const { id } = startJob(
      request({ tags: [{ type: "test", name: "testtag", scope: "testuser4" }] }),
      { db, archive },
    );
    assert.deepEqual(new TagRepository(db).tagsOfJob(id).map((t) => t.scope), ["testuser4"]);
  });
});

Deno.test("startJob() refuses duplicates within a day (TestNatsHandleStartJobDuplicatePrevention)", async () => {
  await onFixtureSite(({ db, archive }) => {
    startJob(request({ jobId: 5001 }), { db, archive, user: apiUser });
    assert.throws(
      () => startJob(request({ jobId: 5001, startTime: 1234567900 }), { db, archive }),
      (e: unknown) =>
        e instanceof AppError && e.status === 422 &&
        e.message === "a job with that jobId, cluster and startTime already exists: " +
            "dbid: 1, jobid: 5001",
    );
    assert.equal(new JobRepository(db).list({ filter: { jobId: 5001 } }).length, 1);
  });
});

Deno.test("startJob() checks with cc-backend's words (NATS cases)", async () => {
  await onFixtureSite(({ db, archive }) => {
    const fails = (r: StartJobRequest, message: string) =>
      assert.throws(
        () => startJob(r, { db, archive }),
        (e: unknown) => e instanceof AppError && e.status === 400 && e.message === message,
      );
    fails({ jobId: 1002 }, "no such cluster: ");
    fails(
      request({ user: 'test"user', cluster: "test" }),
      "no such cluster: test",
    );
  });
});
