import assert from "node:assert/strict";
import type { AuthUser } from "../server/auth/auth_user.ts";
import { createJobListSite, LIST_NOW } from "../server/render/test_job_list_site.ts";
import { JobRepository } from "../server/db/mod.ts";
import { sampleJob } from "../server/db/test_db.ts";
import { resolveSearch } from "./search.ts";

const as = (roles: string[]): AuthUser => ({
  username: "someone",
  roles,
  projects: [],
  authSource: 0,
  authType: "session",
});

Deno.test("resolveSearch() follows cc-backend's search bar rules", async (t) => {
  const site = await createJobListSite();
  const deps = { db: site.db, now: () => LIST_NOW };
  const month = `startTime=${LIST_NOW - 30 * 86400}-${LIST_NOW}`;
  const admin = as(["admin"]);
  const user = as(["user"]);
  const job = site.jobs[0];
  try {
    await t.step("typed searches", () => {
      const cases: [string, string][] = [
        ["jobId:123", "/monitoring/jobs/?jobId=123"],
        [" jobName: my job ", `/monitoring/jobs/?${month}&jobName=my%20job`],
        ["projectId:p1", "/monitoring/jobs/?projectMatch=eq&project=p1"],
        ["arrayJobId:77", `/monitoring/jobs/?${month}&arrayJobId=77`],
        ["username:bob", "/monitoring/users/?user=bob&startTime=last30d"],
      ];
      for (const [text, location] of cases) {
        assert.deepEqual(resolveSearch(text, admin, deps), { location, status: 302 }, text);
      }
    });

    await t.step("real names: every match, or NoUserNameFound with 308", () => {
      assert.deepEqual(resolveSearch(`name:<of> ${job.user}`, admin, deps), {
        location: `/monitoring/users/?user=${job.user}&startTime=last30d`,
        status: 302,
      });
      assert.deepEqual(resolveSearch("name:Nobody Known", admin, deps), {
        location: "/monitoring/users/?user=NoUserNameFound&startTime=last30d",
        status: 308,
      });
    });

    await t.step("username and name searches need a manager or staff", () => {
      for (const text of ["username:bob", "name:x"]) {
        assert.deepEqual(resolveSearch(text, user, deps), {
          title: "Error",
          type: "danger",
          message: "Missing Access Rights",
        });
      }
      assert.equal(
        (resolveSearch("username:bob", as(["manager"]), deps) as { status: number }).status,
        302,
      );
    });

    await t.step("plain terms: job id, user, real name, project, else job name", () => {
      const plain = (text: string, who = admin) =>
        (resolveSearch(text, who, deps) as { location: string }).location;
      assert.equal(plain("4711"), "/monitoring/jobs/?jobId=4711");
      assert.equal(plain(job.user), `/monitoring/user/${job.user}`);
      assert.equal(plain(`<of> ${job.user}`), `/monitoring/user/${job.user}`);
      // Real names go before projects; this project is in nobody's name.
      new JobRepository(site.db).insertJobs([sampleJob({ project: "zz_solo" })]);
      assert.equal(plain("zz_solo"), "/monitoring/jobs/?projectMatch=eq&project=zz_solo");
      assert.equal(plain("solver"), `/monitoring/jobs/?${month}&jobName=solver`);
      // A plain user's term is always a job name.
      assert.equal(plain(job.user, user), `/monitoring/jobs/?${month}&jobName=${job.user}`);
    });

    await t.step("messages: empty, malformed, unknown type", () => {
      assert.deepEqual(resolveSearch("  ", admin, deps), {
        title: "Warning",
        type: "warning",
        message: "Empty search",
      });
      assert.deepEqual(resolveSearch("a:b:c", admin, deps), {
        title: "Error",
        type: "danger",
        message: "Searchbar query parameters malformed",
      });
      assert.deepEqual(resolveSearch("color:red", admin, deps), {
        title: "Warning",
        type: "warning",
        message: "Unknown search type: color",
      });
    });
  } finally {
    await site.close();
  }
});

Deno.test("GET /search redirects or shows a message page", async () => {
  const site = await createJobListSite({ empty: true });
  try {
    const redirect = await site.get("/search?searchId=jobId%3A42");
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get("Location"), "/monitoring/jobs/?jobId=42");
    const message = await site.get(`/search?searchId=${encodeURIComponent("kind:<b>x</b>")}`);
    assert.equal(message.status, 200);
    const html = await message.text();
    assert.match(html, /<title>Warning<\/title>/);
    assert.match(html, /Unknown search type: kind/);
    const denied = await site.get("/search?searchId=username%3Ax", { roles: ["user"], user: "u" });
    assert.match(await denied.text(), /alert-danger[^>]*>.*Missing Access Rights/s);
    const empty = await (await site.get("/search")).text();
    assert.match(empty, /Empty search/);
  } finally {
    await site.close();
  }
});
