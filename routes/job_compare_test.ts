import assert from "node:assert/strict";
import { createJobViewTestSite } from "../server/render/test_job_site.ts";
import { COMPARE_QUERY } from "../islands/job_compare.tsx";

const ADMIN = { roles: ["admin"], user: "admin" };

Deno.test("the compare page compares the jobs named by dbId", async (t) => {
  const site = await createJobViewTestSite();
  const { emmy, emmy2, running, failed } = site.ids;
  try {
    await t.step("two jobs: the island gets the dbId filter and the list metrics", async () => {
      const response = await site.get(`/monitoring/jobs/compare?dbId=${emmy}&dbId=${emmy2}`, ADMIN);
      assert.equal(response.status, 200);
      const html = await response.text();
      assert.match(html, /<title>Compare Jobs - ClusterCockpit<\/title>/);
      assert.match(html, /Compare 2 Jobs/);
      assert.match(html, new RegExp(`href="/monitoring/jobs/\\?dbId=${emmy}&amp;dbId=${emmy2}"`));
      const payload = JSON.parse(/id="cc-islands">(.*?)<\/script>/.exec(html)![1]);
      const island = payload.islands.find((i: { name: string }) => i.name === "job_compare");
      assert.deepEqual(island.props.filter, [{ dbId: [String(emmy), String(emmy2)] }]);
      assert.deepEqual(island.props.metrics, ["cpu_load", "flops_any", "mem_bw", "mem_used"]);
      assert.equal(island.props.units.flops_any, "GF/s");
    });

    await t.step("bad or missing ids are a 400 page", async () => {
      assert.equal((await site.get("/monitoring/jobs/compare", ADMIN)).status, 400);
      const bad = await site.get("/monitoring/jobs/compare?dbId=1&dbId=x%3Cy", ADMIN);
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /invalid dbId &quot;x&lt;y&quot;|invalid dbId "x&lt;y"/);
    });

    await t.step(
      "the comparison query returns statistics of visible jobs, archived and running",
      async () => {
        const filter = [{ dbId: [emmy, emmy2, running, failed].map(String) }];
        const metrics = ["flops_any", "mem_bw"];
        const all = await site.query(COMPARE_QUERY, { filter, metrics });
        assert.equal(all.errors, undefined);
        const jobs = all.data!.jobsMetricStats as { jobId: string; stats: { name: string }[] }[];
        // The archiving-failed job has no statistics and is left out, as in cc-backend.
        assert.deepEqual(jobs.map((j) => j.jobId).sort(), ["1403244", "1404397", "5001"]);
        assert.deepEqual(jobs[0].stats.map((s) => s.name), metrics);
        const alice = await site.query(COMPARE_QUERY, { filter, metrics }, {
          roles: ["user"],
          user: "alice",
        });
        assert.deepEqual((alice.data!.jobsMetricStats as { jobId: string }[]).map((j) => j.jobId), [
          "5001",
        ]);
      },
    );
  } finally {
    await site.close();
  }
});
