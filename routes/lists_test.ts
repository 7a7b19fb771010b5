import assert from "node:assert/strict";
import { join } from "node:path";
import { Hono } from "hono";
import type { ApiEnv } from "../server/api/rest/api_env.ts";
import { FileArchive } from "../server/archive/mod.ts";
import { applyDefaults } from "../server/config/apply_defaults.ts";
import {
  AUTH_SOURCES,
  JobRepository,
  migrateUp,
  openDatabase,
  TagRepository,
  UserRepository,
} from "../server/db/mod.ts";
import { sampleJob } from "../server/db/test_db.ts";
import { mountPages } from "../server/render/mount_pages.ts";
import { stubGuard } from "../server/render/test_pages.ts";
import { pageNotFound } from "./mod.ts";

const FIXTURE_ARCHIVE = new URL("../tests/fixtures/archive/", import.meta.url).pathname;
const NOW = 1_700_100_000;
const EVIL = "<b>eve</b>";
const EVIL_PROJECT = "p<3>";

async function createSite() {
  const dir = await Deno.makeTempDir({ prefix: "cc-lists-test-" });
  const archive = await FileArchive.open(FIXTURE_ARCHIVE);
  const db = openDatabase(join(dir, "job.db"));
  migrateUp(db);
  const start = NOW - 20_000;
  const ids = new JobRepository(db).insertJobs([
    sampleJob({ jobId: 1, user: "alice", project: "p1", startTime: start, duration: 3600 }),
    sampleJob({
      jobId: 2,
      user: "alice",
      project: "p1",
      jobState: "running",
      startTime: NOW - 7200,
      duration: 0,
    }),
    sampleJob({
      jobId: 3,
      user: "bob",
      project: "p2",
      startTime: start,
      duration: 1800,
      numHwthreads: 72,
    }),
    sampleJob({
      jobId: 4,
      user: "bob",
      project: "p2",
      cluster: "alex",
      subCluster: "a40",
      startTime: start,
      duration: 100,
      numHwthreads: 64,
      numAcc: 4,
    }),
    sampleJob({
      jobId: 5,
      user: EVIL,
      project: EVIL_PROJECT,
      cluster: "alex",
      subCluster: "a40",
      startTime: start,
      duration: 7200,
      numHwthreads: 10,
      numAcc: 2,
    }),
  ]);
  await new UserRepository(db).addUser({
    username: "alice",
    roles: ["user"],
    projects: [],
    name: "Alice <A.>",
    email: "",
    authSource: AUTH_SOURCES.local,
  });
  const tags = new TagRepository(db);
  const gromacs = tags.getOrCreateTag({ type: "app", name: "gromacs" });
  const unused = tags.getOrCreateTag({ type: "app", name: "unused" });
  const hot = tags.getOrCreateTag({ type: "issue", name: "hot", scope: "admin" });
  const mine = tags.getOrCreateTag({ type: "note", name: "<i>todo</i>", scope: "alice" });
  const bobs = tags.getOrCreateTag({ type: "note", name: "bobs", scope: "bob" });
  tags.addTagToJob(ids[0], gromacs.id);
  tags.addTagToJob(ids[2], gromacs.id);
  tags.addTagToJob(ids[3], hot.id);
  tags.addTagToJob(ids[3], bobs.id);

  const app = new Hono<ApiEnv>();
  const config = applyDefaults({ main: { addr: "127.0.0.1:0" } });
  mountPages(app, { db, archive, config, varDir: join(dir, "var"), now: () => NOW }, {
    guard: stubGuard(),
  });
  app.notFound(pageNotFound);
  return {
    tagIds: { gromacs: gromacs.id, unused: unused.id, hot: hot.id, mine: mine.id, bobs: bobs.id },
    async get(
      path: string,
      as: { roles?: string[]; user?: string; projects?: string[] } = {},
    ): Promise<{ status: number; html: string }> {
      const headers = new Headers({
        "X-Test-Roles": (as.roles ?? ["admin"]).join(","),
        "X-Test-User": as.user ?? "admin",
        "X-Test-Projects": (as.projects ?? []).join(","),
      });
      const response = await app.request(path, { headers });
      return { status: response.status, html: await response.text() };
    },
    async close() {
      db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The rows of a list page: id (as rendered) and the numeric cells. */
function rows(html: string): { id: string; cells: number[] }[] {
  const body = /<tbody>(.*?)<\/tbody>/s.exec(html)?.[1] ?? "";
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].flatMap((m) => {
    const id = /class="cc-list-id">(.*?)<\/a>/s.exec(m[1]);
    if (!id) return [];
    const cells = [...m[1].matchAll(/<td[^>]*>(?:<a [^>]*>)?(\d+)(?:<\/a>)?<\/td>/g)]
      .map((c) => Number(c[1]));
    return [{ id: id[1], cells }];
  });
}

const ids = (html: string) => rows(html).map((r) => r.id);
const EVIL_HTML = "&lt;b>eve&lt;/b>";

Deno.test("user and project lists", async (t) => {
  const site = await createSite();
  try {
    await t.step("users: totals of the jobs, default order total jobs desc", async () => {
      const { status, html } = await site.get("/monitoring/users/");
      assert.equal(status, 200);
      assert.match(html, /<title>Users - ClusterCockpit<\/title>/);
      // [totalJobs, runningJobs, shortJobs, walltime h, core h, acc h]
      assert.deepEqual(rows(html), [
        { id: "alice", cells: [2, 1, 0, 3, 432, 0] },
        { id: "bob", cells: [2, 0, 1, 0, 37, 0] },
        { id: EVIL_HTML, cells: [1, 0, 0, 2, 20, 4] },
      ]);
      assert.match(html, /<td>Alice &lt;A.><\/td>/);
      assert.match(html, /href="\/monitoring\/user\/alice"/);
      assert.match(html, /href="\/monitoring\/user\/alice\?state=running"/);
      assert.match(html, /href="\/monitoring\/user\/%3Cb%3Eeve%3C%2Fb%3E"/);
      assert.doesNotMatch(html, /<b>eve<\/b>/);
    });

    await t.step("projects: totals and links to the job list", async () => {
      const { status, html } = await site.get("/monitoring/projects/");
      assert.equal(status, 200);
      assert.match(html, /<title>Projects - ClusterCockpit<\/title>/);
      assert.deepEqual(rows(html), [
        { id: "p1", cells: [2, 1, 0, 3, 432, 0] },
        { id: "p2", cells: [2, 0, 1, 0, 37, 0] },
        { id: "p&lt;3>", cells: [1, 0, 0, 2, 20, 4] },
      ]);
      assert.match(html, /href="\/monitoring\/jobs\/\?project=p1"/);
      assert.match(html, /href="\/monitoring\/jobs\/\?project=p%3C3%3E"/);
      assert.match(html, /href="\/monitoring\/jobs\/\?project=p1&amp;state=running"/);
    });

    await t.step("sorting by each column, both orders", async () => {
      let html = (await site.get("/monitoring/users/?sort=totalCoreHours&order=asc")).html;
      assert.deepEqual(ids(html), [EVIL_HTML, "bob", "alice"]);
      html = (await site.get("/monitoring/users/?sort=totalAccHours&order=desc")).html;
      assert.deepEqual(ids(html)[0], EVIL_HTML);
      html = (await site.get("/monitoring/users/?sort=shortJobs")).html;
      assert.deepEqual(ids(html)[0], "bob");
      html = (await site.get("/monitoring/users/?sort=runningJobs&order=desc")).html;
      assert.deepEqual(ids(html)[0], "alice");
      html = (await site.get("/monitoring/projects/?sort=totalWalltime&order=asc")).html;
      assert.deepEqual(ids(html), ["p2", "p&lt;3>", "p1"]);
      html = (await site.get("/monitoring/projects/?sort=id&order=desc")).html;
      assert.deepEqual(ids(html).slice(0, 2), ["p&lt;3>", "p2"]);
      // The active column links to the other order and keeps the filters.
      html = (await site.get("/monitoring/users/?cluster=fritz&sort=totalJobs&order=desc")).html;
      assert.match(html, /href="\?cluster=fritz&amp;sort=totalJobs&amp;order=asc"/);
      // Unknown columns fall back to the default.
      html = (await site.get("/monitoring/users/?sort=bogus&order=asc")).html;
      assert.deepEqual(ids(html), [EVIL_HTML, "alice", "bob"]);
    });

    await t.step("cluster filter", async () => {
      const { html } = await site.get("/monitoring/users/?cluster=alex");
      assert.deepEqual(rows(html), [
        { id: EVIL_HTML, cells: [1, 0, 0, 2, 20, 4] },
        { id: "bob", cells: [1, 0, 1, 0, 1, 0] },
      ]);
      const fritz = (await site.get("/monitoring/projects/?cluster=fritz")).html;
      assert.deepEqual(ids(fritz), ["p1", "p2"]);
      const none = (await site.get("/monitoring/projects/?cluster=emmy")).html;
      assert.deepEqual(ids(none), []);
      assert.match(none, /No projects\/jobs found/);
    });

    await t.step("visibility: manager sees own and managed projects' jobs", async () => {
      const as = { roles: ["manager"], user: "mgr", projects: ["p2"] };
      assert.deepEqual(ids((await site.get("/monitoring/projects/", as)).html), ["p2"]);
      assert.deepEqual(ids((await site.get("/monitoring/users/", as)).html), ["bob"]);
    });

    await t.step(
      "visibility: a plain user gets only their own row (no role gate, as cc-backend)",
      async () => {
        const alice = await site.get("/monitoring/users/", { roles: ["user"], user: "alice" });
        assert.equal(alice.status, 200);
        assert.deepEqual(ids(alice.html), ["alice"]);
        const nobody = await site.get("/monitoring/users/", { roles: ["user"], user: "nobody" });
        assert.deepEqual(ids(nobody.html), []);
        assert.match(nobody.html, /No users\/jobs found/);
      },
    );

    await t.step("without a known role: 403 message page", async () => {
      const { status, html } = await site.get("/monitoring/users/", { roles: ["x"], user: "z" });
      assert.equal(status, 403);
      assert.match(html, /user has no or unknown roles/);
    });
  } finally {
    await site.close();
  }
});

/** The tags on the page: `type/name/count/scope`. */
function tagCards(html: string): string[] {
  const out: string[] = [];
  for (const group of html.matchAll(/Tag Type: (.*?)<\/h2>(.*?)<\/section>/gs)) {
    for (const tag of group[2].matchAll(/cc-tag"[^>]*>(.*?)<\/a>/gs)) {
      const [, name] = /text-bg-primary">(.*?)<\/span>/.exec(tag[1])!;
      const [, count] = /(\d+) Jobs/.exec(tag[1])!;
      const scope = /(Global|Admin|Private)<\/span>/.exec(tag[1])![1];
      out.push(`${group[1]}/${name}/${count}/${scope}`);
    }
  }
  return out;
}

Deno.test("tags page", async (t) => {
  const site = await createSite();
  try {
    await t.step(
      "admin: readable tags by type, counts over all jobs, unused ones too",
      async () => {
        const { status, html } = await site.get("/monitoring/tags/");
        assert.equal(status, 200);
        assert.match(html, /<title>Tags - ClusterCockpit<\/title>/);
        assert.deepEqual(tagCards(html), [
          "app/gromacs/2/Global",
          "app/unused/0/Global",
          "issue/hot/1/Admin",
        ]);
        assert.match(html, new RegExp(`href="/monitoring/jobs/\\?tag=${site.tagIds.gromacs}"`));
        assert.match(html, /Tag Type: app<\/h2>\s*<span[^>]*>2 Tags/);
      },
    );

    await t.step("user: used global tags with own counts, own private tags (escaped)", async () => {
      const { html } = await site.get("/monitoring/tags/", { roles: ["user"], user: "alice" });
      assert.deepEqual(tagCards(html), [
        "app/gromacs/1/Global",
        "note/&lt;i>todo&lt;/i>/0/Private",
      ]);
      assert.doesNotMatch(html, /<i>todo<\/i>/);
    });

    await t.step("manager: counts over managed projects, no admin tags", async () => {
      const as = { roles: ["manager"], user: "mgr", projects: ["p2"] };
      assert.deepEqual(tagCards((await site.get("/monitoring/tags/", as)).html), [
        "app/gromacs/1/Global",
      ]);
    });

    await t.step("support sees admin tags; api-only and tagless users see none", async () => {
      const support = await site.get("/monitoring/tags/", { roles: ["support"], user: "sup" });
      assert.ok(tagCards(support.html).includes("issue/hot/1/Admin"));
      const api = await site.get("/monitoring/tags/", { roles: ["api"], user: "robot" });
      assert.deepEqual(tagCards(api.html), []);
      assert.match(api.html, /No tags found\./);
      const nobody = await site.get("/monitoring/tags/", { roles: ["user"], user: "nobody" });
      assert.deepEqual(tagCards(nobody.html), []);
    });
  } finally {
    await site.close();
  }
});
