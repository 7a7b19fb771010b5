/**
 * The viewer's role inside every resolver (config-cli-auth.md §4.7): job
 * visibility in lists, single jobs, statistics and metric queries; node
 * data for staff only; user details; tag scopes.
 */
import assert from "node:assert/strict";
import { createGraphqlTestSite } from "./graphql_test_site.ts";

Deno.test("GraphQL applies the viewer's role in every resolver", async (t) => {
  const site = await createGraphqlTestSite({ count: 120 });
  const user = site.demoUsers[0].user;
  const other = site.jobs.find((j) => j.user !== user && j.project !== site.demoUsers[0].project)!;
  const count = (where: string, ...params: string[]) =>
    Number(site.db.prepare(`SELECT COUNT(*) n FROM job WHERE ${where}`).get(...params)!.n);
  try {
    await t.step("statistics count only visible jobs", async () => {
      const q = "{ jobsStatistics { totalJobs } }";
      const expect = [
        ["admin", count("1")],
        ["support", count("1")],
        ["apiOnly", count("1")],
        [user, count("hpc_user = ?", user)],
        [
          site.manager.username,
          count("project = ? OR hpc_user = 'boss'", site.manager.projects[0]),
        ],
      ] as const;
      for (const [username, total] of expect) {
        const r = await site.query(q, {}, { username });
        assert.equal(r.body.data.jobsStatistics[0].totalJobs, total, username);
      }
      const grouped = await site.query("{ jobsStatistics(groupBy: USER) { id } }", {}, {
        username: user,
      });
      assert.deepEqual(grouped.body.data.jobsStatistics, [{ id: user }]);
    });

    await t.step("another user's job is not found, nor its metrics", async () => {
      for (
        const q of [
          `{ job(id: "${other.id}") { id } }`,
          `{ jobMetrics(id: "${other.id}") { name } }`,
          `{ jobStats(id: "${other.id}", metrics: ["cpu_load"]) { name } }`,
          `{ scopedJobStats(id: "${other.id}") { name } }`,
        ]
      ) {
        const r = await site.query(q, {}, { username: user });
        assert.match(r.body.errors![0].message, /cannot find job .*no rows/, q);
      }
      const compare = await site.query(
        `{ jobsMetricStats(filter: [{dbId: ["${other.id}"]}], metrics: ["cpu_load"]) { id } }`,
        {},
        { username: user },
      );
      assert.deepEqual(compare.body.data.jobsMetricStats, []);
      const heat = await site.query(
        `{ rooflineHeatmap(filter: [{dbId: ["${other.id}"]}], rows: 2, cols: 2, minX: 0.01, minY: 1, maxX: 1000, maxY: 100) }`,
        {},
        { username: user },
      );
      assert.deepEqual(heat.body.data.rooflineHeatmap, [[0, 0], [0, 0]]);
    });

    await t.step("node and cluster data are for administrators and support", async () => {
      const queries = [
        "{ nodes { count } }",
        "{ nodesWithMeta { count } }",
        "{ nodeStates { state } }",
        '{ nodeStatesTimed(type: "node") { state } }',
        '{ node(id: "1") { hostname } }',
        '{ nodeMetrics(cluster: "fritz", from: "2026-01-01T00:00:00Z", to: "2026-01-01T01:00:00Z") { host } }',
        '{ clusterMetrics(cluster: "fritz", from: "2026-01-01T00:00:00Z", to: "2026-01-01T01:00:00Z") { nodeCount } }',
      ];
      for (const q of queries) {
        for (const username of [user, site.manager.username]) {
          const r = await site.query(q, {}, { username });
          assert.match(r.body.errors![0].message, /administrator or support staff/, q);
        }
        const staff = await site.query(q, {}, { username: "support" });
        assert.equal(staff.body.errors, undefined, `${q}: ${JSON.stringify(staff.body.errors)}`);
      }
    });

    await t.step("user details: self, managers and staff only", async () => {
      const self = await site.query(`{ user(username: "${user}") { username name email } }`, {}, {
        username: user,
      });
      assert.deepEqual(self.body.data.user, {
        username: user,
        name: `Name of ${user}`,
        email: `${user}@example.org`,
      });
      const foreign = await site.query('{ user(username: "admin") { name } }', {}, {
        username: user,
      });
      assert.equal(foreign.body.errors![0].message, "forbidden");
      const manager = await site.query(`{ user(username: "${user}") { name } }`, {}, {
        username: site.manager.username,
      });
      assert.equal(manager.body.data.user.name, `Name of ${user}`);
      const missing = await site.query('{ user(username: "nobody") { name } }');
      assert.equal(missing.body.data.user, null);
    });

    await t.step("tags: readable scopes, writable scopes", async () => {
      const own = site.jobs.find((j) => j.user === user)!;
      const admin = await site.query(
        'mutation { createTag(type: "x", name: "adm", scope: "admin") { id scope } }',
      );
      assert.equal(admin.body.data.createTag.scope, "admin");
      const asSupport = await site.query(
        'mutation { createTag(type: "x", name: "adm2", scope: "admin") { id } }',
        {},
        { username: "support" },
      );
      assert.match(
        asSupport.body.errors![0].message,
        /not authorized to create tag with scope: admin/,
      );
      const globalBySupport = await site.query(
        'mutation { createTag(type: "x", name: "glob", scope: "global") { id } }',
        {},
        { username: "support" },
      );
      const globalId = globalBySupport.body.data.createTag.id;
      const attach = await site.query(
        `mutation { addTagsToJob(job: "${own.id}", tagIds: ["${globalId}"]) { id } }`,
        {},
        { username: user },
      );
      assert.match(attach.body.errors![0].message, /not authorized to add tag/);
      const jobTags = await site.query(`{ job(id: "${own.id}") { tags { scope } } }`, {}, {
        username: user,
      });
      assert.ok(jobTags.body.data.job.tags.every((t: { scope: string }) => t.scope !== "admin"));
      const missing = await site.query(
        `mutation { addTagsToJob(job: "${own.id}", tagIds: ["424242"]) { id } }`,
      );
      assert.match(missing.body.errors![0].message, /tag does not exist \(ID\): 424242/);
      const deleted = await site.query(`mutation { deleteTag(id: "${globalId}") }`);
      assert.equal(deleted.body.data.deleteTag, String(globalId));
    });
  } finally {
    await site.close();
  }
});
