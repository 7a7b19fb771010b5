import assert from "node:assert/strict";
import type { Job } from "../server/archive/types.ts";
import { UserConfigRepository } from "../server/db/mod.ts";
import {
  createJobListSite,
  HTML_NAME,
  islandProps,
  type JobListSite,
  LIST_NOW,
  LONG_NAME,
  rowJobIds,
} from "../server/render/test_job_list_site.ts";

async function page(
  site: JobListSite,
  path: string,
  options?: { roles?: string[]; user?: string },
) {
  const response = await site.get(path, options);
  assert.equal(response.status, 200, path);
  return await response.text();
}

function byNewest(jobs: Job[]): Job[] {
  return [...jobs].sort((a, b) => b.startTime - a.startTime || b.id! - a.id!);
}

Deno.test("GET /monitoring/jobs/ renders the first page of the visible jobs", async (t) => {
  const site = await createJobListSite();
  try {
    await t.step("newest first, ten rows for infinite scrolling, the count of all", async () => {
      const html = await page(site, "/monitoring/jobs/");
      assert.match(html, /<title>Jobs - ClusterCockpit<\/title>/);
      assert.deepEqual(rowJobIds(html), byNewest(site.jobs).slice(0, 10).map((j) => j.jobId));
      assert.match(html, new RegExp(`>${site.jobs.length} jobs<`));
      assert.match(html, /More jobs follow/);
      const props = islandProps(html);
      assert.equal(props.list.hasNextPage, true);
      assert.deepEqual(props.filter, {});
      assert.deepEqual(props.sort, { field: "startTime", type: "col", order: "DESC" });
      assert.ok(props.clusters.some((c: { name: string }) => c.name === "fritz"));
      assert.equal(props.resampling, null);
    });

    await t.step("the metric columns of the default configuration with units", async () => {
      const html = await page(site, "/monitoring/jobs/");
      const headers = [...html.matchAll(/<th class="cc-metric-col" scope="col">([^<]+)<\/th>/g)]
        .map((m) => m[1]);
      assert.equal(headers.length, 4);
      assert.match(headers.join("|"), /^cpu_load.*\|flops_any.*\|mem_bw \(GB\/s\)\|mem_used/);
      assert.doesNotMatch(html, /Job Footprint/);
    });

    await t.step("a user sees only own jobs", async () => {
      const user = site.jobs[0].user;
      const html = await page(site, "/monitoring/jobs/", { roles: ["user"], user });
      const own = site.jobs.filter((j) => j.user === user);
      assert.deepEqual(rowJobIds(html), byNewest(own).slice(0, 10).map((j) => j.jobId));
      assert.match(html, new RegExp(`>${own.length} jobs<`));
      assert.equal(islandProps(html).canFilterUsers, false);
    });
  } finally {
    await site.close();
  }
});

Deno.test("GET /monitoring/jobs/ applies the filters of the URL", async (t) => {
  const site = await createJobListSite();
  const count = (html: string) => Number(/>(\d+) jobs</.exec(html)?.[1]);
  const arrayJobId = site.jobs.find((j) => j.arrayJobId)?.arrayJobId;
  try {
    const cases: [string, (j: Job) => boolean][] = [
      ["cluster=alex", (j) => j.cluster === "alex"],
      ["state=running", (j) => j.jobState === "running"],
      ["state=running&state=completed", (j) => ["running", "completed"].includes(j.jobState)],
      ["numNodes=morethan-2", (j) => j.numNodes >= 2],
      ["numNodes=1-1&cluster=fritz", (j) => j.numNodes === 1 && j.cluster === "fritz"],
      ["startTime=last24h", (j) => j.startTime >= LIST_NOW - 86400],
      [
        `startTime=${LIST_NOW - 3 * 86400}-${LIST_NOW - 86400}`,
        (j) => j.startTime >= LIST_NOW - 3 * 86400 && j.startTime <= LIST_NOW - 86400,
      ],
      // Running jobs sort and filter by their stored duration, 0 (as in cc-backend).
      ["duration=lessthan-600", (j) => j.duration <= 600],
      [`user=${site.jobs[3].user}`, (j) => j.user.includes(site.jobs[3].user)],
      [`project=${site.jobs[3].project}`, (j) => j.project === site.jobs[3].project],
      [`arrayJobId=${arrayJobId}`, (j) => j.arrayJobId === arrayJobId],
      ["jobId=9000003&jobId=9000004", (j) => [9000003, 9000004].includes(j.jobId)],
      ["jobName=very_long", (j) => j.metaData?.jobName === LONG_NAME],
      [
        `node=${site.jobs[1].resources[0].hostname}`,
        (j) => j.resources.some((r) => r.hostname === site.jobs[1].resources[0].hostname),
      ],
      ["tag=1", (j) => site.jobs.slice(0, 5).includes(j)],
    ];
    for (const [query, match] of cases) {
      await t.step(query, async () => {
        const html = await page(site, `/monitoring/jobs/?${query}`);
        const expected = byNewest(site.jobs.filter(match));
        assert.ok(expected.length > 0, `test data has no job for ${query}`);
        assert.equal(count(html), expected.length);
        assert.deepEqual(rowJobIds(html), expected.slice(0, 10).map((j) => j.jobId));
      });
    }

    await t.step("the island gets the parsed filter and the pills show it", async () => {
      const html = await page(
        site,
        "/monitoring/jobs/?cluster=fritz&state=running&duration=morethan-60",
      );
      assert.deepEqual(islandProps(html).filter, {
        cluster: "fritz",
        state: ["running"],
        duration: { moreThan: 60 },
      });
      assert.match(html, /Cluster: fritz/);
      assert.match(html, /States: running/);
      assert.match(html, /Duration > 0:01:00/);
    });

    await t.step("a filter that matches nothing renders the empty list", async () => {
      const html = await page(site, "/monitoring/jobs/?cluster=nowhere");
      assert.deepEqual(rowJobIds(html), []);
      assert.match(html, /No jobs found/);
      assert.match(html, />0 jobs</);
    });

    await t.step("an unknown footprint statistic is an error card, not a failed page", async () => {
      const html = await page(site, "/monitoring/jobs/?stat=bogus_avg-1-2");
      assert.match(html, /alert-danger[^>]*>[^<]*unknown footprint metric/);
    });
  } finally {
    await site.close();
  }
});

Deno.test("GET /monitoring/jobs/ sorts by the URL's column or footprint value", async (t) => {
  const site = await createJobListSite();
  try {
    await t.step("numNodes ascending", async () => {
      const html = await page(site, "/monitoring/jobs/?sortBy=numNodes&sortOrder=ASC");
      const expected = [...site.jobs].sort((a, b) => a.numNodes - b.numNodes || a.id! - b.id!);
      assert.deepEqual(rowJobIds(html), expected.slice(0, 10).map((j) => j.jobId));
      assert.deepEqual(islandProps(html).sort, { field: "numNodes", type: "col", order: "ASC" });
    });

    await t.step("a footprint value, descending, jobs without it last", async () => {
      const html = await page(site, "/monitoring/jobs/?sortBy=mem_used_max");
      const value = (j: Job) => j.footprint?.mem_used_max;
      const expected = site.jobs.filter((j) => value(j) !== undefined).sort((a, b) =>
        value(b)! - value(a)! || b.id! - a.id!
      );
      assert.deepEqual(rowJobIds(html), expected.slice(0, 10).map((j) => j.jobId));
      assert.equal(islandProps(html).sort.type, "foot");
    });

    await t.step("an unknown footprint sort falls back to the default", async () => {
      const html = await page(site, "/monitoring/jobs/?sortBy=nothing_avg");
      assert.deepEqual(islandProps(html).sort, { field: "startTime", type: "col", order: "DESC" });
      assert.deepEqual(rowJobIds(html), byNewest(site.jobs).slice(0, 10).map((j) => j.jobId));
    });
  } finally {
    await site.close();
  }
});

Deno.test("GET /monitoring/jobs/ pages with the pager when the UI config says so", async (t) => {
  const site = await createJobListSite({ ui: { "job-list": { "use-paging": true } } });
  try {
    const newest = byNewest(site.jobs);
    await t.step("page 2 of 10", async () => {
      const html = await page(site, "/monitoring/jobs/?page=2");
      assert.deepEqual(rowJobIds(html), newest.slice(10, 20).map((j) => j.jobId));
      assert.match(html, new RegExp(`11 - 20 of ${site.jobs.length} Jobs`));
      assert.doesNotMatch(html, /More jobs follow/);
    });

    await t.step("the stored page size", async () => {
      new UserConfigRepository(site.db).setConfig("admin", {
        key: "jobList_jobsPerPage",
        value: 25,
      });
      const html = await page(site, "/monitoring/jobs/");
      assert.deepEqual(rowJobIds(html), newest.slice(0, 25).map((j) => j.jobId));
      assert.match(html, new RegExp(`1 - 25 of ${site.jobs.length} Jobs`));
    });

    await t.step("a page beyond the end is empty", async () => {
      const html = await page(site, "/monitoring/jobs/?page=99");
      assert.deepEqual(rowJobIds(html), []);
      assert.match(html, /No jobs found/);
    });
  } finally {
    await site.close();
  }
});

Deno.test("GET /monitoring/jobs/ renders odd jobs cleanly", async (t) => {
  const site = await createJobListSite();
  try {
    await t.step("job-supplied text is escaped in the HTML and in the island props", async () => {
      const html = await page(site, "/monitoring/jobs/?jobId=9000002");
      assert.doesNotMatch(html, /<script>alert/);
      assert.doesNotMatch(html, /<b>bold/);
      assert.match(
        html,
        /title="&lt;script>alert\(&quot;x&quot;\)&lt;\/script>&lt;b>bold&lt;\/b>"/,
      );
      assert.match(html, /Name &lt;of>/);
      assert.equal(islandProps(html).list.items[0].metaData.jobName, HTML_NAME);
    });

    await t.step("a long job name is cut with the full name in the title", async () => {
      const html = await page(site, "/monitoring/jobs/?jobId=9000001");
      assert.match(html, new RegExp(`title="${LONG_NAME}">very_long_job_name_x…</div>`));
    });

    await t.step(
      "unmonitored and failed-archive jobs get one warning instead of plots",
      async () => {
        const html = await page(site, "/monitoring/jobs/?jobId=9000003&jobId=9000004");
        assert.equal([...html.matchAll(/Not monitored or archiving failed/g)].length, 2);
        assert.match(html, /<td colSpan="4"><div class="alert alert-warning/i);
      },
    );

    await t.step("monitored jobs wait for their plots with a spinner per metric", async () => {
      const html = await page(site, "/monitoring/jobs/?jobId=9000001");
      assert.equal([...html.matchAll(/spinner-border text-secondary/g)].length, 4);
    });

    await t.step("a job list metric the cluster lacks is marked in its cell", async () => {
      new UserConfigRepository(site.db).setConfig("admin", {
        key: "metricConfig_jobListMetrics",
        value: ["cpu_load", "no_such_metric"],
      });
      const html = await page(site, "/monitoring/jobs/?jobId=9000001");
      assert.match(html, /Metric no_such_metric is not configured for cluster/);
    });
  } finally {
    await site.close();
  }
});

Deno.test("GET /monitoring/jobs/ on a site without jobs", async () => {
  const site = await createJobListSite({ empty: true });
  try {
    const html = await page(site, "/monitoring/jobs/");
    assert.match(html, /No jobs found/);
    assert.match(html, />0 jobs</);
    assert.equal(islandProps(html).list.items.length, 0);
  } finally {
    await site.close();
  }
});
