import assert from "node:assert/strict";
import { UserConfigRepository } from "../server/db/mod.ts";
import { createJobViewTestSite, type JobViewTestSite } from "../server/render/test_job_site.ts";
import { ISLAND_PAYLOAD_ID, type IslandPayload } from "../islands/runtime/island_payload.ts";
import { SCOPE_QUERY } from "../islands/job_metrics.tsx";
import { METRIC_QUERY } from "../islands/lib/job_metric_panel.tsx";
import { ROOFLINE_QUERY } from "../islands/job_roofline.tsx";
import { POLAR_QUERY } from "../islands/job_polar.tsx";
import { STATS_QUERY } from "../islands/job_stats_table.tsx";
import { ADD_TAGS, CREATE_TAG, REMOVE_TAGS } from "../islands/job_tags.tsx";
import { UPDATE_CONFIGURATION } from "../islands/lib/job_metric_selection.tsx";

const ADMIN = { roles: ["admin"], user: "admin" };
const ALICE = { roles: ["user"], user: "alice" };

/** The page's HTML and the props of each island by name (first instance). */
async function page(site: JobViewTestSite, path: string, as: { roles?: string[]; user?: string }) {
  const response = await site.get(path, as);
  const html = await response.text();
  const json = new RegExp(
    `<script type="application/json" id="${ISLAND_PAYLOAD_ID}">(.*?)</script>`,
  )
    .exec(html)?.[1];
  const payload: IslandPayload = json ? JSON.parse(json) : { islands: [] };
  const islands = new Map<string, Record<string, unknown>>();
  for (const island of payload.islands) {
    if (!islands.has(island.name)) islands.set(island.name, island.props);
  }
  const body = html.replace(/<script type="application\/json"[^]*?<\/script>/, "");
  return { status: response.status, html, body, islands };
}

Deno.test("the job view renders every kind of job", async (t) => {
  const site = await createJobViewTestSite();
  const { ids } = site;
  try {
    await t.step(
      "an archived multi-node job: info, summary, roofline, plots and table",
      async () => {
        const p = await page(site, `/monitoring/job/${ids.emmy}`, ADMIN);
        assert.equal(p.status, 200);
        assert.match(p.html, /<title>Job 1403244 - ClusterCockpit<\/title>/);
        assert.match(p.body, />1403244<\/a> \(emmy\)/);
        assert.match(p.body, /emmyUser6<\/a> \(Emmy User\)/);
        assert.match(p.body, /Duration: <span class="fw-bold">24:01:26<\/span>/);
        assert.match(p.body, /badge text-bg-primary">completed/);
        assert.match(
          p.body,
          /No footprint data for job available\./,
          "emmy has no footprint metrics",
        );
        assert.doesNotMatch(p.body, /gpu-card|accelerators/, "emmy has no accelerators");
        const metrics = p.islands.get("job_metrics")!;
        assert.deepEqual(metrics.selected, ["cpu_load", "flops_any", "mem_bw", "mem_used"]);
        assert.deepEqual(metrics.resampling, { resolutions: [600, 300, 120, 60], trigger: 30 });
        assert.deepEqual((metrics.job as { hosts: string[] }).hosts.length, 32);
        assert.ok(p.islands.has("job_roofline"));
        assert.deepEqual(p.islands.get("job_roofline")!.roof, {
          memoryBandwidth: 24,
          flopRateScalar: 14,
          flopRateSimd: 112,
        });
        assert.deepEqual(p.islands.get("job_stats_table")!.selected, [
          "flops_any",
          "mem_bw",
          "mem_used",
        ]);
        assert.equal(p.islands.get("job_polar")!.disabled, false);
        assert.match(p.body, /No job script available/);
        assert.match(p.body, /No additional slurm information available/);
        assert.doesNotMatch(p.body, /Concurrent Jobs|Admin Note/);
      },
    );

    await t.step(
      "an archiving-failed job with hostile and long texts renders them as text",
      async () => {
        const p = await page(site, `/monitoring/job/${ids.failed}`, ADMIN);
        assert.equal(p.status, 200);
        assert.doesNotMatch(
          p.html,
          /<script>alert|<img src=x|<b>bold|<b>not bold|<i>not italic|<failing>/,
        );
        assert.match(p.body, /&lt;script>alert\(&quot;x&quot;\)&lt;\/script>|&lt;script&gt;alert/);
        assert.match(p.body, /class="d-block text-truncate cc-job-name" title="&lt;script/);
        assert.match(p.body, /Admin Note/);
        assert.match(p.body, /Node f0101 had a &lt;failing(&gt;|>) disk/);
        assert.match(p.body, /echo '&lt;b>not bold&lt;\/b>'/);
        assert.match(p.body, /&lt;i>not italic&lt;\/i>/);
        const metrics = p.islands.get("job_metrics")!;
        assert.equal((metrics.job as { monitoringStatus: number }).monitoringStatus, 2);
        assert.match(p.body, /Not monitored or archiving failed/);
        assert.match(p.body, /No roofline: the job was not monitored or its archiving failed\./);
        assert.equal(p.islands.get("job_polar")!.disabled, true);
      },
    );

    await t.step("footprint bars carry the threshold colours and messages", async () => {
      const { body } = await page(site, `/monitoring/job/${ids.failed}`, ADMIN);
      const bars = [
        ...body.matchAll(/title="([^"]*)"><div[^]*?<b>([^<]*)<\/b>[^]*?class="cc-fill-(\w+)"/g),
      ]
        .map((m) => [m[2], m[3], m[1]]);
      assert.deepEqual(bars, [
        [
          "mem_bw (avg)",
          "secondary",
          "Footprint value above expected peak threshold: Check for artifacts!",
        ],
        ["flops_any (avg)", "success", "Footprint value within expected thresholds."],
        ["cpu_load (avg)", "danger", "Footprint value way below expected normal threshold."],
        ["mem_used (max)", "danger", "Footprint value way above expected normal threshold."],
      ]);
      assert.match(body, /600 \/ 5600 GFlops\/s|600 \/ 5600 GF\/s/);
      assert.match(body, /bi-caret-left-fill small" aria-label="lower is better"/);
    });

    await t.step("energy summary with the emission constant", async () => {
      const { body } = await page(site, `/monitoring/job/${ids.failed}`, ADMIN);
      assert.match(body, /CPU: <b>1\.5 kWh<\/b> \(cpu_power\)/);
      assert.match(body, /Memory: <b>0\.25 kWh<\/b> \(mem_power\)/);
      assert.match(body, /Total Energy: <b>1\.75 kWh<\/b>/);
      assert.match(body, /Carbon Emission: <b>0\.55 kg<\/b>/);
      assert.match(body, /emission constant of 317 g\/kWh/);
      const { body: emmy } = await page(site, `/monitoring/job/${ids.emmy}`, ADMIN);
      assert.doesNotMatch(emmy, /Total Energy/, "no energy footprint: no summary");
    });

    await t.step("tags: readable ones as pills, offered ones in the manager", async () => {
      const admin = await page(site, `/monitoring/job/${ids.failed}`, ADMIN);
      const adminTags = admin.islands.get("job_tags")!;
      assert.deepEqual((adminTags.tags as { name: string }[]).map((t) => t.name), [
        "<gromacs>",
        "secret",
      ]);
      assert.match(admin.body, /app: &lt;gromacs>|app: &lt;gromacs&gt;/);
      assert.match(admin.body, /Manage 2 Tags/);
      const alice = await page(site, `/monitoring/job/${ids.failed}`, ALICE);
      const aliceTags = alice.islands.get("job_tags")!;
      assert.deepEqual((aliceTags.tags as { name: string }[]).map((t) => t.name), [
        "<gromacs>",
        "mine",
      ]);
      assert.deepEqual(
        (aliceTags.allTags as { scope: string }[]).map((t) => t.scope).sort(),
        ["alice", "alice", "global", "global"],
      );
      assert.deepEqual(aliceTags.viewer, { username: "alice", isAdmin: false, isSupport: false });
      assert.doesNotMatch(alice.body, /secret/);
    });

    await t.step("a running job: live duration, data from the metric store", async () => {
      const p = await page(site, `/monitoring/job/${ids.running}`, ALICE);
      assert.equal(p.status, 200);
      assert.match(p.body, /Duration: <span class="fw-bold">0:30:00<\/span>/);
      assert.match(p.body, /badge text-bg-success">running/);
      const scopes = await site.query(SCOPE_QUERY, {
        dbid: String(ids.running),
        selectedMetrics: ["cpu_load", "flops_any", "mem_bw", "mem_used"],
        selectedScopes: ["node", "socket", "core"],
      }, ALICE);
      assert.equal(scopes.errors, undefined);
      const found = (scopes.data!.scopedJobStats as { name: string; scope: string }[])
        .map((e) => `${e.name}:${e.scope}`);
      assert.ok(found.includes("flops_any:core") && found.includes("mem_bw:socket"), found.join());
      const series = await site.query(METRIC_QUERY, {
        dbid: String(ids.running),
        selectedMetrics: ["cpu_load"],
        selectedScopes: ["node"],
        selectedResolution: 600,
      }, ALICE);
      const entry =
        (series.data!.singleUpdate as { metric: { series: { data: number[] }[] } }[])[0];
      assert.ok(entry.metric.series[0].data.length > 0);
    });

    await t.step("only a running job's metric grid offers the refresher", async () => {
      const running = await page(site, `/monitoring/job/${ids.running}`, ALICE);
      assert.match(running.body, /class="input-group cc-refresher"/);
      assert.match(running.body, /aria-label="Periodic refresh interval"/);
      for (const label of ["No Interval", "30 Seconds", "60 Seconds", "Two Minutes", "5 Minutes"]) {
        assert.match(running.body, new RegExp(`>${label}</option>`));
      }
      const finished = await page(site, `/monitoring/job/${ids.emmy}`, ADMIN);
      assert.equal(finished.status, 200);
      assert.doesNotMatch(finished.body, /cc-refresher|Periodic refresh interval/);
    });

    await t.step("a GPU job without archived data and a long project name render", async () => {
      const p = await page(site, `/monitoring/job/${ids.gpu}`, ADMIN);
      assert.equal(p.status, 200);
      assert.match(p.body, /8 <i class="bi bi-gpu-card" aria-label="accelerators">/);
      const failed = await page(site, `/monitoring/job/${ids.failed}`, ADMIN);
      assert.match(failed.body, /(project-){20}&lt;b>bold&lt;\/b>/);
    });

    await t.step(
      "concurrent jobs: listed for those who may see them, linked for staff",
      async () => {
        const admin = await page(site, `/monitoring/job/${ids.shared}`, ADMIN);
        assert.match(admin.body, /1 Concurrent Jobs/);
        assert.match(admin.body, new RegExp(`<a href="/monitoring/job/${ids.neighbour}">5004</a>`));
        assert.match(admin.body, /href="\/monitoring\/jobs\/\?cluster=fritz&amp;jobId=5004"/);
        const alice = await page(site, `/monitoring/job/${ids.shared}`, ALICE);
        assert.doesNotMatch(alice.body, /Concurrent Jobs/, "bob's job is not alice's to see");
        assert.match(
          alice.body,
          /f0102 <i class="bi bi-pc-horizontal" aria-label="nodes"><\/i> \(shared\)/,
        );
      },
    );

    await t.step("who may see the job: owner, manager of its project, staff", async () => {
      const get = async (id: number, as: { roles: string[]; user: string; projects?: string[] }) =>
        (await site.get(`/monitoring/job/${id}`, as)).status;
      assert.equal(await get(ids.emmy, { roles: ["user"], user: "emmyUser6" }), 200);
      assert.equal(await get(ids.emmy, ALICE), 403);
      assert.equal(await get(ids.emmy, { roles: ["support"], user: "support" }), 200);
      assert.equal(
        await get(ids.neighbour, { roles: ["manager"], user: "manager", projects: ["p2"] }),
        200,
      );
      assert.equal(
        await get(ids.failed, { roles: ["manager"], user: "manager", projects: ["p2"] }),
        403,
      );
      const denied = await site.get(`/monitoring/job/${ids.emmy}`, ALICE);
      assert.match(await denied.text(), /you are not allowed to see this job/);
      const missing = await site.get("/monitoring/job/999999", ADMIN);
      assert.equal(missing.status, 404);
      assert.match(await missing.text(), /cannot find job with id 999999/);
      assert.equal((await site.get("/monitoring/job/abc", ADMIN)).status, 404);
      assert.equal((await site.get(`/monitoring/job/${ids.emmy}`)).status, 401);
    });

    await t.step("the viewer's stored metric choice wins over the defaults", async () => {
      new UserConfigRepository(site.db).setConfig("alice", {
        key: "metricConfig_jobViewPlotMetrics:fritz:main",
        value: ["mem_bw", "cpu_load"],
      });
      const p = await page(site, `/monitoring/job/${ids.running}`, ALICE);
      assert.deepEqual(p.islands.get("job_metrics")!.selected, ["mem_bw", "cpu_load"]);
    });
  } finally {
    await site.close();
  }
});

Deno.test("the job view hides what the UI configuration switches off", async () => {
  const site = await createJobViewTestSite({
    ui: {
      "job-view": {
        "show-polar-plot": false,
        "show-footprint": false,
        "show-roofline": false,
        "show-stat-table": false,
      },
    },
  });
  try {
    const p = await page(site, `/monitoring/job/${site.ids.emmy}`, ADMIN);
    assert.match(p.body, /Footprint and PolarPlot Display Disabled\./);
    assert.ok(!p.islands.has("job_roofline"));
    assert.ok(!p.islands.has("job_stats_table"));
    assert.ok(!p.islands.has("job_polar"));
    assert.doesNotMatch(p.body, /Statistics Table/);
  } finally {
    await site.close();
  }
});

Deno.test("the islands' GraphQL operations are accepted by the API", async (t) => {
  const site = await createJobViewTestSite();
  const dbid = String(site.ids.emmy);
  try {
    await t.step("metric, roofline, polar and statistics queries", async () => {
      const metric = await site.query(METRIC_QUERY, {
        dbid,
        selectedMetrics: ["flops_any"],
        selectedScopes: ["node"],
        selectedResolution: 600,
      });
      assert.equal(metric.errors, undefined);
      const [entry] = metric.data!.singleUpdate as {
        scope: string;
        metric: { timestep: number; statisticsSeries: unknown; series: unknown[] };
      }[];
      assert.equal(entry.scope, "node");
      assert.equal(entry.metric.timestep, 600);
      assert.equal(entry.metric.series.length, 32);
      assert.ok(entry.metric.statisticsSeries, "32 series get a statistics series");
      const finer = await site.query(METRIC_QUERY, {
        dbid,
        selectedMetrics: ["flops_any"],
        selectedScopes: ["node"],
        selectedResolution: 300,
      });
      assert.equal(
        (finer.data!.singleUpdate as { metric: { timestep: number } }[])[0].metric.timestep,
        300,
      );
      const roofline = await site.query(ROOFLINE_QUERY, {
        dbid,
        selectedMetrics: ["flops_any", "mem_bw"],
        selectedScopes: ["node"],
        selectedResolution: 0,
      });
      assert.equal(roofline.errors, undefined);
      assert.equal((roofline.data!.jobMetrics as unknown[]).length, 2);
      const polar = await site.query(POLAR_QUERY, { dbid, selectedMetrics: ["flops_any"] });
      assert.deepEqual(polar.data!.jobStats, [{
        name: "flops_any",
        data: { avg: 225.59, max: 404.62 },
      }]);
      const stats = await site.query(STATS_QUERY, {
        dbid,
        selectedMetrics: ["mem_bw"],
        selectedScopes: ["node"],
      });
      assert.equal((stats.data!.scopedJobStats as { stats: unknown[] }[])[0].stats.length, 32);
    });

    await t.step("tag mutations within the scope rules", async () => {
      const job = String(site.ids.running);
      const created = await site.query(
        CREATE_TAG,
        { type: "test", name: "mine", scope: "alice" },
        ALICE,
      );
      const tag = created.data!.createTag as { id: string };
      const added = await site.query(ADD_TAGS, { job, tagIds: [tag.id] }, ALICE);
      assert.deepEqual((added.data!.addTagsToJob as { name: string }[]).map((t) => t.name), [
        "mine",
      ]);
      const removed = await site.query(REMOVE_TAGS, { job, tagIds: [tag.id] }, ALICE);
      assert.deepEqual(removed.data!.removeTagsFromJob, []);
      const global = await site.query(CREATE_TAG, { type: "x", name: "y", scope: "global" }, ALICE);
      assert.match(global.errors![0].message, /not authorized/);
    });

    await t.step("storing a metric choice", async () => {
      const r = await site.query(UPDATE_CONFIGURATION, {
        name: "metricConfig_jobViewTableMetrics:emmy:haswell",
        value: JSON.stringify(["cpu_load"]),
      }, ALICE);
      assert.equal(r.errors, undefined);
      const p = await page(site, `/monitoring/job/${site.ids.running}`, ALICE);
      assert.deepEqual(p.islands.get("job_stats_table")!.selected, [
        "flops_any",
        "mem_bw",
        "mem_used",
      ]);
      assert.deepEqual(
        new UserConfigRepository(site.db).getConfig(
          "alice",
          "metricConfig_jobViewTableMetrics:emmy:haswell",
        ),
        ["cpu_load"],
      );
    });
  } finally {
    await site.close();
  }
});
