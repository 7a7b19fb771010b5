import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { createJobListSite } from "../../server/render/test_job_list_site.ts";
import { UserConfigRepository } from "../../server/db/mod.ts";
import {
  launchChromium,
  servePagesStrictly,
  skipWithoutChromium,
  watchProblems,
} from "./chromium.ts";

const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;

/** The job ids of the rows, in order. */
function rowJobIds(page: Page): Promise<string[]> {
  return page.locator(".cc-job-table tbody .cc-job-info a.fw-bold").allTextContents();
}

/** Durations of the finished jobs' rows in seconds (running jobs sort by their stored 0). */
async function rowDurations(page: Page): Promise<number[]> {
  const texts = await page.locator(".cc-job-table tbody .cc-job-info").allTextContents();
  return texts.filter((t) => !t.includes("running")).map((t) => {
    const m = /Duration: (\d+):(\d\d):(\d\d)/.exec(t);
    return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : NaN;
  });
}

Deno.test({
  name: "the job list filters, sorts, scrolls and plots in headless Chromium without errors",
  ignore: skipWithoutChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const site = await createJobListSite({ jobs: 40 });
    const { server, base } = servePagesStrictly((req) => site.app.fetch(req));
    const chromium = await launchChromium();
    try {
      const context = await chromium.browser.newContext({
        extraHTTPHeaders: { "X-Test-Roles": "admin", "X-Test-User": "admin" },
        viewport: { width: 1600, height: 1000 },
      });
      const page = await context.newPage();
      const problems = watchProblems(page);
      const total = site.jobs.length;

      await t.step("the first page renders with one plot per job and metric", async () => {
        await page.goto(`${base}/monitoring/jobs/`, { waitUntil: "networkidle" });
        assert.equal(await page.title(), "Jobs - ClusterCockpit");
        assert.equal((await rowJobIds(page)).length, 10);
        assert.match(
          await page.locator("text=/\\d+ jobs/").first().textContent() ?? "",
          new RegExp(`${total} jobs`),
        );
        await page.waitForSelector(".cc-metric-plot canvas");
        const plots = await page.locator(".cc-metric-plot canvas").count();
        assert.ok(plots >= 8, `only ${plots} plots drawn`);
        assert.ok(await page.getByText("Not monitored or archiving failed").first().isVisible());
        await page.screenshot({ path: `${ARTIFACTS}job-list.png` });
      });

      await t.step("scrolling to the end loads the next page", async () => {
        await page.locator(".cc-job-table tbody tr").last().scrollIntoViewIfNeeded();
        await page.waitForFunction(() =>
          document.querySelectorAll(".cc-job-table tbody .cc-job-info").length >= 20
        );
        assert.ok((await rowJobIds(page)).length >= 20);
      });

      await t.step("filtering by state rewrites the URL and the list", async () => {
        await page.getByRole("button", { name: "Filters" }).click();
        await page.getByRole("button", { name: "Job States" }).click();
        await page.getByRole("button", { name: "Deselect All" }).click();
        await page.locator("#state-running").check();
        await page.screenshot({ path: `${ARTIFACTS}job-list-filter-dialog.png` });
        await page.getByRole("button", { name: "Close & Apply" }).click();
        await page.waitForURL(/state=running/);
        await page.waitForFunction(() =>
          /^4 jobs$/.test(document.querySelector("[aria-live]")?.textContent ?? "")
        );
        const badges = await page.locator(".cc-job-info .badge").allTextContents();
        assert.deepEqual([...new Set(badges)], ["running"]);
        assert.ok(await page.getByText("States: running").isVisible());
        await page.waitForLoadState("networkidle");
        await page.screenshot({ path: `${ARTIFACTS}job-list-running.png` });
      });

      await t.step("the back button restores the unfiltered list", async () => {
        await page.goBack();
        await page.waitForFunction(
          (n) => document.querySelector("[aria-live]")?.textContent === `${n} jobs`,
          total,
        );
        assert.doesNotMatch(page.url(), /state=/);
        assert.equal((await rowJobIds(page)).length, 10);
      });

      await t.step("the text search filters by job name; its pill removes it again", async () => {
        await page.getByLabel("Search mode").selectOption("jobName");
        await page.getByLabel("Search text").fill("very_long");
        await page.waitForURL(/jobName=very_long/);
        await page.waitForFunction(() =>
          document.querySelector("[aria-live]")?.textContent === "1 jobs"
        );
        assert.deepEqual(await rowJobIds(page), ["9000001"]);
        await page.getByRole("button", { name: "Remove filter Job Name ~ very_long" }).click();
        await page.waitForFunction(
          (n) => document.querySelector("[aria-live]")?.textContent === `${n} jobs`,
          total,
        );
        assert.doesNotMatch(page.url(), /jobName/);
      });

      await t.step("sorting by duration (ascending) orders the rows", async () => {
        await page.getByRole("button", { name: "Sorting" }).click();
        const duration = page.locator(".modal .list-group-item", { hasText: "Duration" });
        await duration.click();
        await duration.click();
        await page.getByRole("button", { name: "Close & Apply" }).click();
        await page.waitForURL(/sortBy=duration&sortOrder=ASC/);
        await page.waitForLoadState("networkidle");
        const durations = await rowDurations(page);
        assert.deepEqual(durations, [...durations].sort((a, b) => a - b));
      });

      await t.step("a bookmarked URL shows the same list", async () => {
        const ids = await rowJobIds(page);
        await page.reload({ waitUntil: "networkidle" });
        assert.deepEqual(await rowJobIds(page), ids);
      });

      await t.step("selected jobs can be compared", async () => {
        const toggles = page.getByRole("button", {
          name: "Add or Remove Job to/from Comparison Selection",
        });
        await toggles.nth(0).click();
        await toggles.nth(1).click();
        const compare = page.getByRole("link", { name: "Compare 2 Jobs" });
        assert.match(
          await compare.getAttribute("href") ?? "",
          /^\/monitoring\/jobs\/compare\?dbId=\d+&dbId=\d+$/,
        );
        await page.getByRole("button", { name: "Clear" }).click();
        assert.equal(await compare.count(), 0);
      });

      await t.step("the metric chooser changes the columns and stores them", async () => {
        await page.getByRole("button", { name: "Metrics" }).click();
        await page.locator("#metric-mem_used").uncheck();
        await page.locator("#show-footprint").check();
        await page.getByRole("button", { name: "Close & Apply" }).click();
        await page.waitForLoadState("networkidle");
        const headers = await page.locator(".cc-job-table thead th").allTextContents();
        assert.ok(headers.includes("Job Footprint"));
        assert.ok(!headers.some((h) => h.startsWith("mem_used")));
        const stored = new UserConfigRepository(site.db).listConfig("admin");
        assert.deepEqual(stored.metricConfig_jobListMetrics, ["cpu_load", "flops_any", "mem_bw"]);
        assert.equal(stored.jobList_showFootprint, true);
        await page.screenshot({ path: `${ARTIFACTS}job-list-footprint.png` });
      });

      await t.step("the user view shows statistics and histograms", async () => {
        const user = site.jobs[0].user;
        await page.goto(`${base}/monitoring/user/${user}`, { waitUntil: "networkidle" });
        assert.equal(await page.title(), `User ${user} - ClusterCockpit`);
        assert.ok(await page.getByText("Total Jobs").isVisible());
        await page.waitForSelector(".cc-histogram canvas");
        assert.equal(await page.locator(".cc-histogram canvas").count(), 2);
        await page.screenshot({ path: `${ARTIFACTS}user-jobs.png`, fullPage: true });
      });

      assert.deepEqual(problems, []);
      await context.close();
    } finally {
      await chromium.close();
      await server.shutdown();
      await site.close();
    }
  },
});
