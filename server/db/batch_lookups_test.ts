import assert from "node:assert/strict";
import { BatchLookups } from "./batch_lookups.ts";
import { JobRepository } from "./job_repository.ts";
import { TagRepository } from "./tag_repository.ts";
import { AUTH_SOURCES, UserRepository } from "./user_repository.ts";
import { sampleJob, withTempDb } from "./test_db.ts";

Deno.test("BatchLookups reads tags of many jobs and users by name in one statement each", async () => {
  await withTempDb(async (db) => {
    const [a, b, c] = new JobRepository(db).insertJobs(
      [1, 2, 3].map((jobId) => sampleJob({ jobId })),
    );
    const tags = new TagRepository(db);
    const t1 = tags.getOrCreateTag({ type: "app", name: "x" });
    const t2 = tags.getOrCreateTag({ type: "app", name: "y", scope: "bob" });
    tags.addTagToJob(a, t2.id);
    tags.addTagToJob(a, t1.id);
    tags.addTagToJob(c, t1.id);
    const lookups = new BatchLookups(db);
    const byJob = lookups.tagsOfJobs([a, b, c]);
    assert.deepEqual(byJob.get(a)?.map((t) => t.name), ["x", "y"]);
    assert.equal(byJob.has(b), false);
    assert.deepEqual(lookups.tagsOfJobs([]), new Map());
    assert.deepEqual([...lookups.tagsById([t2.id, 999]).keys()], [t2.id]);
    await new UserRepository(db).addUser({
      username: "alice",
      roles: ["user"],
      projects: [],
      name: "Alice A.",
      authSource: AUTH_SOURCES.local,
    });
    assert.deepEqual(
      lookups.usersByName(["alice", "nobody"]),
      new Map([["alice", { username: "alice", name: "Alice A.", email: "" }]]),
    );
  });
});
