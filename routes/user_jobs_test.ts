import assert from "node:assert/strict";
import { UserConfigRepository } from "../server/db/mod.ts";
import { createJobListSite, islandProps, rowJobIds } from "../server/render/test_job_list_site.ts";

Deno.test("GET /monitoring/user/:id shows the user, the statistics and the user's jobs", async (t) => {
  const site = await createJobListSite();
  try {
    const user = site.jobs[0].user;
    const own = site.jobs.filter((j) => j.user === user);
    const newest = [...own].sort((a, b) => b.startTime - a.startTime || b.id! - a.id!);
    const other = site.jobs.find((j) => j.user !== user)!.user;

    await t.step("admin: name and e-mail (escaped), totals, the user's rows", async () => {
      const response = await site.get(`/monitoring/user/${user}`);
      assert.equal(response.status, 200);
      const html = await response.text();
      assert.match(html, new RegExp(`<title>User ${user} - ClusterCockpit</title>`));
      assert.match(html, new RegExp(`<th scope="row">Name</th><td>Name &lt;of> ${user}</td>`));
      assert.match(html, new RegExp(`<td>${user}@example.org</td>`));
      assert.match(html, new RegExp(`Total Jobs</th><td><span title="${own.length}">`));
      assert.deepEqual(rowJobIds(html), newest.slice(0, 10).map((j) => j.jobId));
      const props = islandProps(html);
      assert.equal(props.user.username, user);
      assert.equal(props.stats.totalJobs, own.length);
      assert.ok(props.stats.histDuration.length > 0);
      assert.match(html, /Duration Distribution/);
      assert.match(html, /Number of Nodes Distribution/);
      assert.match(html, /No footprint histograms selected\./);
    });

    await t.step("URL filters restrict the statistics too", async () => {
      const html = await (await site.get(`/monitoring/user/${user}?state=running`)).text();
      const running = own.filter((j) => j.jobState === "running");
      assert.equal(islandProps(html).stats.totalJobs, running.length);
      assert.deepEqual(
        rowJobIds(html),
        running.map((j) => j.jobId).slice(0, 10).sort((a, b) => b - a),
      );
    });

    await t.step("the user themself sees name and jobs", async () => {
      const html = await (await site.get(`/monitoring/user/${user}`, { roles: ["user"], user }))
        .text();
      assert.match(html, /<th scope="row">Name<\/th>/);
      assert.equal(rowJobIds(html).length, Math.min(10, own.length));
    });

    await t.step("another plain user gets neither the name nor the jobs", async () => {
      const html =
        await (await site.get(`/monitoring/user/${user}`, { roles: ["user"], user: other }))
          .text();
      assert.doesNotMatch(html, /<th scope="row">Name<\/th>/);
      assert.deepEqual(rowJobIds(html), []);
      assert.match(html, /No jobs found/);
      assert.equal(islandProps(html).stats.totalJobs, 0);
    });

    await t.step("selected footprint histograms are requested for the page", async () => {
      new UserConfigRepository(site.db).setConfig("admin", {
        key: "userView_histogramMetrics",
        value: ["mem_used"],
      });
      const html = await (await site.get(`/monitoring/user/${user}`)).text();
      const hist = islandProps(html).stats.histMetrics;
      assert.deepEqual(hist.map((h: { metric: string }) => h.metric), ["mem_used"]);
      assert.match(
        html,
        /Distribution of &#39;mem_used \(max\)&#39; footprints|Distribution of 'mem_used \(max\)' footprints/,
      );
    });
  } finally {
    await site.close();
  }
});
