import assert from "node:assert/strict";
import { AppError } from "../errors.ts";
import { JobRepository } from "./job_repository.ts";
import { TagRepository } from "./tag_repository.ts";
import { sampleJob, withTempDb } from "./test_db.ts";

Deno.test("getOrCreateTag() creates a tag once and returns it afterwards", async () => {
  await withTempDb((db) => {
    const tags = new TagRepository(db);
    const created = tags.getOrCreateTag({ type: "app", name: "gromacs" });
    assert.deepEqual(created, { id: created.id, type: "app", name: "gromacs", scope: "global" });
    assert.deepEqual(
      tags.getOrCreateTag({ type: "app", name: "gromacs", scope: "global" }),
      created,
    );
    const admin = tags.getOrCreateTag({ type: "app", name: "lammps", scope: "admin" });
    assert.equal(admin.scope, "admin");
    assert.equal(tags.listTags().length, 2);
    assert.deepEqual(tags.listTags({ scope: "admin" }), [admin]);
  });
});

Deno.test("getOrCreateTag() refuses the same type and name under another scope", async () => {
  await withTempDb((db) => {
    const tags = new TagRepository(db);
    // The fixture has tag app:python in the private scope of user demo.
    assert.deepEqual(tags.findTag({ type: "app", name: "python" }), {
      id: 1,
      type: "app",
      name: "python",
      scope: "demo",
    });
    assert.throws(() => tags.getOrCreateTag({ type: "app", name: "python" }), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.status, 422);
      assert.match(
        error.message,
        /tag "app:python" with scope "global": it exists with scope "demo"/,
      );
      return true;
    });
  }, { fixture: true });
});

Deno.test("getOrCreateTag() rejects empty type or name and keeps metacharacters verbatim", async () => {
  await withTempDb((db) => {
    const tags = new TagRepository(db);
    assert.throws(() => tags.getOrCreateTag({ type: "", name: "x" }), /type must be a non-empty/);
    assert.throws(() => tags.getOrCreateTag({ type: "x", name: " " }), /name must be a non-empty/);
    const odd = tags.getOrCreateTag({ type: "t'; DROP TABLE tag; --", name: '%"_' });
    assert.deepEqual(tags.findTag({ type: "t'; DROP TABLE tag; --", name: '%"_' }), odd);
  });
});

Deno.test("TagRepository with cache answers from memory until clearCache()", async () => {
  await withTempDb((db) => {
    const tags = new TagRepository(db, { cache: true });
    const tag = tags.getOrCreateTag({ type: "jobClass", name: "lowUtilization" });
    db.prepare("UPDATE tag SET tag_scope = 'admin' WHERE id = ?").run(tag.id);
    assert.equal(tags.findTag({ type: "jobClass", name: "lowUtilization" })?.scope, "global");
    tags.clearCache();
    assert.equal(tags.findTag({ type: "jobClass", name: "lowUtilization" })?.scope, "admin");
  });
});

Deno.test("addTagToJob() links once, tagsOfJob() lists, removeTagFromJob() unlinks", async () => {
  await withTempDb((db) => {
    const jobId = new JobRepository(db).insertJob(sampleJob());
    const tags = new TagRepository(db);
    const a = tags.getOrCreateTag({ type: "app", name: "a" });
    const b = tags.getOrCreateTag({ type: "app", name: "b" });
    assert.equal(tags.addTagToJob(jobId, b.id), true);
    assert.equal(tags.addTagToJob(jobId, a.id), true);
    assert.equal(tags.addTagToJob(jobId, a.id), false);
    assert.deepEqual(tags.tagsOfJob(jobId), [a, b]);
    assert.equal(tags.removeTagFromJob(jobId, a.id), true);
    assert.equal(tags.removeTagFromJob(jobId, a.id), false);
    assert.deepEqual(tags.tagsOfJob(jobId), [b]);
  });
});

Deno.test("addTagToJob() names job and tag when either does not exist", async () => {
  await withTempDb((db) => {
    const tags = new TagRepository(db);
    const tag = tags.getOrCreateTag({ type: "app", name: "a" });
    assert.throws(() => tags.addTagToJob(999, tag.id), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.status, 400);
      assert.match(error.message, /cannot add tag \d+ to job 999: a referenced row does not exist/);
      return true;
    });
  });
});

Deno.test("tagsOfJob() reads the fixture's job tags", async () => {
  await withTempDb((db) => {
    const tags = new TagRepository(db);
    assert.deepEqual(tags.tagsOfJob(1).map((t) => t.id), [2, 4]);
    assert.deepEqual(tags.tagsOfJob(525).map((t) => `${t.type}:${t.name}@${t.scope}`), [
      "app:python@demo",
    ]);
  }, { fixture: true });
});

Deno.test("findTagInScope() finds a tag only under its own scope", async () => {
  await withTempDb((db) => {
    const tags = new TagRepository(db);
    const global = tags.getOrCreateTag({ type: "app", name: "a" });
    const admin = tags.getOrCreateTag({ type: "review", name: "r", scope: "admin" });
    assert.deepEqual(tags.findTagInScope({ type: "app", name: "a" }), global);
    assert.deepEqual(tags.findTagInScope({ type: "app", name: "a", scope: "" }), global);
    assert.deepEqual(tags.findTagInScope({ type: "review", name: "r", scope: "admin" }), admin);
    assert.equal(tags.findTagInScope({ type: "review", name: "r", scope: "global" }), null);
    assert.equal(tags.findTagInScope({ type: "app", name: "b" }), null);
  });
});

Deno.test("deleteTag() removes the tag and its links and names the jobs that had it", async () => {
  await withTempDb((db) => {
    const jobs = new JobRepository(db);
    const tags = new TagRepository(db, { cache: true });
    const one = jobs.insertJob(sampleJob({ jobId: 1 }));
    const two = jobs.insertJob(sampleJob({ jobId: 2 }));
    const a = tags.getOrCreateTag({ type: "app", name: "a" });
    const b = tags.getOrCreateTag({ type: "app", name: "b" });
    tags.addTagToJob(two, a.id);
    tags.addTagToJob(one, a.id);
    tags.addTagToJob(one, b.id);
    assert.deepEqual(tags.deleteTag(a.id), [one, two]);
    assert.equal(tags.findTag({ type: "app", name: "a" }), null, "the cache forgets it too");
    assert.deepEqual(tags.tagsOfJob(one), [b]);
    assert.deepEqual(tags.deleteTag(a.id), []);
  });
});
