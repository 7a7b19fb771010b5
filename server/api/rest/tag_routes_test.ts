import assert from "node:assert/strict";
import { TagRepository } from "../../db/mod.ts";
import {
  archivedMeta,
  assertError,
  insertArchivedJob,
  NOW,
  okJson,
  startViaApi,
} from "./job_control_test_helpers.ts";
import { createTestSite, type TestSite } from "./test_app.ts";

async function withSite(fn: (site: TestSite) => Promise<void>): Promise<void> {
  const site = await createTestSite({ now: () => NOW });
  try {
    await fn(site);
  } finally {
    await site.close();
  }
}

type Tags = { type: string; name: string; scope: string; id: number }[];

Deno.test("tag_job/{id}: attach tags", async (t) => {
  await withSite(async (site) => {
    const id = await startViaApi(site);
    const tag = (body: unknown, options: { roles?: string[]; path?: string } = {}) =>
      site.call("POST", `/api/jobs/tag_job/${options.path ?? id}`, { body, roles: options.roles });
    await t.step("attaches and answers the job with its tags; empty scope is global", async () => {
      const body = await okJson(await tag([{ type: "debug", name: "t1", scope: "" }]));
      assert.deepEqual(body.tags, [{ type: "debug", name: "t1", scope: "global", id: 1 }]);
      assert.equal(body.jobState, "running");
      assert.equal(body.duration, NOW - 123456789);
      assert.deepEqual(body.concurrentJobs, { items: null, count: 0 });
    });
    await t.step("PATCH works too; re-adding an attached tag is a no-op success", async () => {
      const res = await site.call("PATCH", `/api/jobs/tag_job/${id}`, {
        body: [{ type: "debug", name: "t1", scope: "global" }, { type: "app", name: "vasp" }],
      });
      const body = await okJson(res);
      assert.deepEqual(body.tags, [
        { type: "debug", name: "t1", scope: "global", id: 1 },
        { type: "app", name: "vasp", scope: "global", id: 2 },
      ]);
      assert.equal(new TagRepository(site.db).tagsOfJob(id).length, 2);
    });
    await t.step("an api token may write its own private scope", async () => {
      const body = await okJson(await tag([{ type: "mine", name: "x", scope: "api-user" }]));
      assert.equal((body.tags as Tags).at(-1)!.scope, "api-user");
    });
    await t.step("another user's scope is 403 and attaches nothing", async () => {
      await assertError(
        await tag([{ type: "ok", name: "first" }, { type: "mine", name: "y", scope: "bob" }]),
        403,
        'adding tag failed: cannot write tag scope "bob" with current authorization',
      );
      assert.equal(new TagRepository(site.db).tagsOfJob(id).length, 3);
    });
    await t.step("admin scope: api-only may write it but not read it back later", async () => {
      const body = await okJson(await tag([{ type: "review", name: "r", scope: "admin" }]));
      assert.equal((body.tags as Tags).at(-1)!.scope, "admin", "the added tag is echoed");
      const again = await okJson(await tag([]));
      assert.ok(!(again.tags as Tags).some((t) => t.scope === "admin"));
      const admin = await okJson(await tag([], { roles: ["admin", "api"] }));
      assert.ok((admin.tags as Tags).some((t) => t.scope === "admin"));
    });
    await t.step("type and name taken under another scope is 422", async () => {
      await assertError(
        await tag([{ type: "debug", name: "t1", scope: "admin" }]),
        422,
        /^adding tag failed: cannot use tag "debug:t1" with scope "admin"/,
      );
    });
    await t.step("unicode and SQL metacharacters are kept verbatim", async () => {
      const weird = "Täg 😀 '); DELETE FROM tag; --";
      const body = await okJson(await tag([{ type: weird, name: weird, scope: "global" }]));
      const added = (body.tags as Tags).at(-1)!;
      assert.equal(added.type, weird);
      assert.equal(added.name, weird);
    });
    await t.step("a bad id is 400, an unknown one 404 before the body is read", async () => {
      await assertError(
        await tag([], { path: "abc" }),
        400,
        'parsing job ID failed: strconv.ParseInt: parsing "abc": invalid syntax',
      );
      await assertError(
        await tag("garbage", { path: "99" }),
        404,
        "finding job failed: sql: no rows in result set",
      );
    });
    await t.step("bad bodies are 400 decoding request failed", async () => {
      await assertError(await tag(""), 400, "decoding request failed: EOF");
      await assertError(await tag("{"), 400, /^decoding request failed: invalid JSON/);
      await assertError(
        await tag({ type: "a", name: "b" }),
        400,
        /^decoding request failed: json: .*expected array/,
      );
      await assertError(
        await tag([{ type: "a", name: "b", id: 5 }]),
        400,
        'decoding request failed: json: unknown field "0.id"',
      );
      await assertError(
        await tag([{ type: 1, name: "b" }]),
        400,
        /^decoding request failed: json: field "0.type": expected string/,
      );
      await assertError(
        await tag([{ type: "", name: "b" }]),
        400,
        "adding tag failed: cannot create tag: type must be a non-empty string",
      );
    });
  });
});

Deno.test("tag_job/{id}: detach tags", async (t) => {
  await withSite(async (site) => {
    const id = await startViaApi(site, {
      tags: [
        { type: "debug", name: "g" },
        { type: "review", name: "a", scope: "admin" },
        { type: "mine", name: "p", scope: "api-user" },
      ],
    });
    const untag = (body: unknown) =>
      site.call("DELETE", `/api/jobs/tag_job/${id}`, { body, roles: ["admin", "api"] });
    await t.step("global and admin tags are removed, private ones skipped silently", async () => {
      const body = await okJson(
        await untag([
          { type: "debug", name: "g", scope: "global" },
          { type: "mine", name: "p", scope: "api-user" },
        ]),
      );
      assert.deepEqual(body.tags, [
        { type: "review", name: "a", scope: "admin", id: 2 },
        { type: "mine", name: "p", scope: "api-user", id: 3 },
      ]);
      assert.deepEqual(
        new TagRepository(site.db).tagsOfJob(id).map((t) => t.name),
        ["a", "p"],
      );
    });
    await t.step("a tag not attached to the job is fine", async () => {
      await startViaApi(site, { jobId: 9, tags: [{ type: "other", name: "o" }] });
      assert.equal((await untag([{ type: "other", name: "o", scope: "global" }])).status, 200);
    });
    await t.step("an unknown tag is 404 and nothing is removed", async () => {
      await assertError(
        await untag([
          { type: "review", name: "a", scope: "admin" },
          { type: "nope", name: "n", scope: "global" },
        ]),
        404,
        "removing tag failed: tag does not exist (name, type, scope): n, nope, global",
      );
      assert.equal(new TagRepository(site.db).tagsOfJob(id).length, 2);
    });
    await t.step("a tag of the right name under another scope does not exist", async () => {
      await assertError(
        await untag([{ type: "review", name: "a", scope: "global" }]),
        404,
        "removing tag failed: tag does not exist (name, type, scope): a, review, global",
      );
    });
    await t.step(
      "api-only may remove admin tags (it may write them), not private ones",
      async () => {
        const res = await site.call("DELETE", `/api/jobs/tag_job/${id}`, {
          body: [{ type: "review", name: "a", scope: "admin" }],
        });
        assert.deepEqual((await okJson(res)).tags, [
          { type: "mine", name: "p", scope: "api-user", id: 3 },
        ]);
      },
    );
    await t.step("id and body errors as for attaching", async () => {
      await assertError(
        await site.call("DELETE", "/api/jobs/tag_job/1x", { body: [] }),
        400,
        'parsing job ID failed: strconv.ParseInt: parsing "1x": invalid syntax',
      );
      await assertError(
        await site.call("DELETE", "/api/jobs/tag_job/77", { body: [] }),
        404,
        "finding job failed: sql: no rows in result set",
      );
      await assertError(await untag(""), 400, "decoding request failed: EOF");
    });
  });
});

Deno.test("tag_job on an archived job rewrites meta.json's tags", async (t) => {
  await withSite(async (site) => {
    const id = await insertArchivedJob(site);
    await t.step("attach", async () => {
      const res = await site.call("POST", `/api/jobs/tag_job/${id}`, {
        body: [{ type: "debug", name: "x" }, { type: "app", name: "gromacs", scope: "global" }],
      });
      assert.equal(res.status, 200);
      assert.deepEqual((await archivedMeta(site)).tags, [
        { type: "debug", name: "x", scope: "global", id: 0 },
        { type: "app", name: "gromacs", scope: "global", id: 0 },
      ]);
    });
    await t.step("detach", async () => {
      const res = await site.call("DELETE", `/api/jobs/tag_job/${id}`, {
        body: [{ type: "debug", name: "x", scope: "global" }],
      });
      assert.equal(res.status, 200);
      assert.deepEqual((await archivedMeta(site)).tags, [
        { type: "app", name: "gromacs", scope: "global", id: 0 },
      ]);
    });
    await t.step("concurrent attaches all reach meta.json", async () => {
      await Promise.all(
        ["a", "b", "c", "d"].map((name) =>
          site.call("POST", `/api/jobs/tag_job/${id}`, { body: [{ type: "c", name }] })
        ),
      );
      const names = (await archivedMeta(site)).tags!.map((t) => t.name).sort();
      assert.deepEqual(names, ["a", "b", "c", "d", "gromacs"]);
    });
    await t.step("DELETE /api/tags/ updates the archive of jobs that carried the tag", async () => {
      const res = await site.call("DELETE", "/api/tags/", {
        body: [{ type: "app", name: "gromacs", scope: "global" }],
      });
      assert.equal(await res.text(), "Deleted Tags from DB: 1 successfull of 1 requested\n");
      assert.deepEqual((await archivedMeta(site)).tags!.map((t) => t.name).sort(), [
        "a",
        "b",
        "c",
        "d",
      ]);
    });
  });
});

Deno.test("DELETE /api/tags/ deletes tags everywhere", async (t) => {
  await withSite(async (site) => {
    const tags = new TagRepository(site.db);
    const one = await startViaApi(site, {
      jobId: 1,
      tags: [{ type: "a", name: "1" }, { type: "p", name: "x", scope: "api-user" }],
    });
    const two = await startViaApi(site, { jobId: 2, tags: [{ type: "a", name: "1" }] });
    const del = (body: unknown) => site.call("DELETE", "/api/tags/", { body });
    await t.step("counts deletions against all requested entries, skipping private", async () => {
      const res = await del([
        { type: "a", name: "1", scope: "global" },
        { type: "p", name: "x", scope: "api-user" },
      ]);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("Content-Type"), "text/plain; charset=utf-8");
      assert.equal(await res.text(), "Deleted Tags from DB: 1 successfull of 2 requested\n");
      assert.equal(tags.findTag({ type: "a", name: "1" }), null);
      assert.deepEqual(tags.tagsOfJob(one).map((t) => t.type), ["p"]);
      assert.deepEqual(tags.tagsOfJob(two), []);
    });
    await t.step("an unknown tag is 404 and nothing is deleted", async () => {
      await startViaApi(site, { jobId: 3, tags: [{ type: "b", name: "2" }] });
      await assertError(
        await del([{ type: "b", name: "2", scope: "global" }, {
          type: "z",
          name: "9",
          scope: "admin",
        }]),
        404,
        "removing tag failed: tag does not exist (name, type, scope): 9, z, admin",
      );
      assert.ok(tags.findTag({ type: "b", name: "2" }));
    });
    await t.step("bad bodies are 400", async () => {
      await assertError(await del(""), 400, "decoding request failed: EOF");
      await assertError(
        await del([{ type: "b", name: "2", scope: "global", extra: true }]),
        400,
        'decoding request failed: json: unknown field "0.extra"',
      );
    });
    await t.step("an empty list deletes nothing", async () => {
      const res = await del([]);
      assert.equal(await res.text(), "Deleted Tags from DB: 0 successfull of 0 requested\n");
    });
    await t.step("needs an API token", async () => {
      const res = await site.call("DELETE", "/api/tags/", { body: [], roles: null });
      assert.equal(res.status, 401);
      await res.body?.cancel();
    });
  });
});
