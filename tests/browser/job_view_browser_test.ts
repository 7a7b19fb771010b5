import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { createJobViewTestSite } from "../../server/render/test_job_site.ts";
import {
  launchChromium,
  servePagesStrictly,
  skipWithoutChromium,
  watchProblems,
} from "./chromium.ts";

const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;

/** Resolves with the variables of the next GraphQL request that `match` accepts. */
function nextQuery(page: Page, match: (variables: Record<string, unknown>) => boolean) {
  return page.waitForRequest((request) => {
    if (!request.url().endsWith("/query") || request.method() !== "POST") return false;
    const body = request.postDataJSON() as { variables?: Record<string, unknown> };
    return match(body.variables ?? {});
  }, { timeout: 15_000 });
}

Deno.test({
  name: "job view: plots, scope switch, zoom, tags and job comparison in headless Chromium",
  ignore: skipWithoutChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const site = await createJobViewTestSite();
    const { server, base } = servePagesStrictly((req) => site.app.fetch(req));
    const chromium = await launchChromium();
    const problems: string[] = [];
    try {
      const admin = await chromium.browser.newContext({
        extraHTTPHeaders: { "X-Test-Roles": "admin", "X-Test-User": "admin" },
        viewport: { width: 1600, height: 1000 },
      });
      const page = await admin.newPage();
      watchProblems(page, problems);

      await t.step("an archived job: plots, roofline and statistics table", async () => {
        await page.goto(`${base}/monitoring/job/${site.ids.emmy}`, { waitUntil: "networkidle" });
        assert.equal(await page.title(), "Job 1403244 - ClusterCockpit");
        await page.locator(".cc-metric-plot .uplot").nth(3).waitFor();
        assert.equal(await page.locator(".cc-metric-plot .uplot").count(), 4);
        assert.ok(await page.locator(".cc-roofline canvas").isVisible());
        await page.locator(".cc-stats-table tbody tr").nth(31).waitFor();
        assert.equal(await page.locator(".cc-stats-table tbody tr").count(), 32);
        const overflow = await page.evaluate(() =>
          document.documentElement.scrollWidth - document.documentElement.clientWidth
        );
        assert.ok(overflow <= 0, `page is ${overflow} px wider than the window`);
        await page.screenshot({ path: `${ARTIFACTS}job-view.png`, fullPage: true });
      });

      await t.step("tabs switch without JavaScript frameworks", async () => {
        await page.locator("label", { hasText: "Job Script" }).click();
        assert.ok(await page.getByText("No job script available").isVisible());
        assert.equal(await page.locator(".cc-stats-table").isVisible(), false);
        await page.locator("label", { hasText: "Statistics Table" }).click();
        assert.ok(await page.locator(".cc-stats-table").isVisible());
      });

      await t.step("scope switch: statistics series of a 32-node metric", async () => {
        const scope = page.locator('select[aria-label="Scope of flops_any"]');
        assert.deepEqual(
          await scope.locator("option").allTextContents(),
          ["node", "stats series (node)", "Load all..."],
        );
        await scope.selectOption("stats:node");
        assert.equal(await scope.inputValue(), "stats:node");
        assert.ok(await page.locator('select[aria-label="Host of flops_any"]').isDisabled());
        await page.locator(".cc-metric-plot .uplot").nth(3).waitFor();
        await page.screenshot({ path: `${ARTIFACTS}job-view-stats-series.png` });
      });

      await t.step("zoom: a narrow window re-fetches at a finer resolution", async () => {
        const panel = page.locator(".cc-metric-panel").filter({
          has: page.locator('select[aria-label="Scope of cpu_load"]'),
        });
        const over = panel.locator(".u-over");
        const box = (await over.boundingBox())!;
        const refetch = nextQuery(page, (v) => v.selectedResolution === 300);
        const y = box.y + box.height / 2;
        await page.mouse.move(box.x + box.width * 0.4, y);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width * 0.45, y, { steps: 4 });
        await page.mouse.move(box.x + box.width * 0.5, y, { steps: 4 });
        await page.mouse.up();
        const variables = (await refetch).postDataJSON().variables;
        assert.deepEqual(variables.selectedMetrics, ["cpu_load"]);
        await panel.locator('[data-resolution="300"]').waitFor();
        await page.waitForLoadState("networkidle");
        // The finer data keeps the zoom window: about 40 % to 50 % of the 24 h run.
        const plot = panel.locator(".cc-metric-plot");
        await plot.and(page.locator("[data-x-range]")).waitFor();
        const [min, max] = (await plot.getAttribute("data-x-range"))!.split("-").map(Number);
        assert.ok(min > 30000 && max < 46000 && max - min < 10000, `shown window ${min}-${max}`);
        await panel.screenshot({ path: `${ARTIFACTS}job-view-zoomed.png` });
      });

      await t.step("scope switch on a running single-node job: core, socket, node", async () => {
        await page.goto(`${base}/monitoring/job/${site.ids.running}`, { waitUntil: "networkidle" });
        const scope = page.locator('select[aria-label="Scope of flops_any"]');
        await page.locator(".cc-metric-plot .uplot").nth(3).waitFor();
        assert.equal(await scope.inputValue(), "core");
        assert.deepEqual(await scope.locator("option").allTextContents(), [
          "node",
          "socket",
          "core",
          "stats series (core)",
        ]);
        for (const choice of ["socket", "node"]) {
          await scope.selectOption(choice);
          assert.equal(await scope.inputValue(), choice);
        }
        await page.locator("label", { hasText: "Polar" }).click();
        await page.locator(".cc-polar polygon.cc-polar-avg").waitFor();
        assert.deepEqual(
          await page.locator(".cc-polar text").allTextContents(),
          ["cpu_load", "flops_any", "mem_bw", "mem_used"],
        );
        await page.screenshot({ path: `${ARTIFACTS}job-view-running.png`, fullPage: true });
      });

      await t.step("compare two jobs", async () => {
        await page.goto(
          `${base}/monitoring/jobs/compare?dbId=${site.ids.emmy}&dbId=${site.ids.emmy2}`,
          { waitUntil: "networkidle" },
        );
        await page.locator(".cc-compare-table tbody tr").nth(1).waitFor();
        assert.equal(await page.locator(".cc-compare-table tbody tr").count(), 2);
        assert.equal(await page.locator(".cc-compare-plot .uplot").count(), 5);
        assert.deepEqual(
          await page.locator(".cc-compare-table tbody tr td:first-child").allTextContents(),
          ["1403244", "1404397"],
        );
        await page.locator("th button", { hasText: "JobID" }).click();
        await page.locator("th button", { hasText: "JobID" }).click();
        assert.deepEqual(
          await page.locator(".cc-compare-table tbody tr td:first-child").allTextContents(),
          ["1404397", "1403244"],
        );
        await page.screenshot({ path: `${ARTIFACTS}job-compare.png`, fullPage: true });
      });
      await admin.close();

      const alice = await chromium.browser.newContext({
        extraHTTPHeaders: { "X-Test-Roles": "user", "X-Test-User": "alice" },
        viewport: { width: 1280, height: 900 },
      });
      const own = await alice.newPage();
      watchProblems(own, problems);

      await t.step("tags: add, remove and create a private tag", async () => {
        await own.goto(`${base}/monitoring/job/${site.ids.failed}`, { waitUntil: "networkidle" });
        // The admin note is the first tab; the job info with the tags is the second.
        assert.ok(
          await own.getByText("The following note was added by administrators").isVisible(),
        );
        await own.locator("label", { hasText: "Job Info" }).click();
        assert.match(await own.locator(".cc-job-name").textContent() ?? "", /^<script>alert/);
        const pills = own.locator(".cc-job-tag-list a.cc-tag");
        assert.deepEqual(await pills.allTextContents(), ["app: <gromacs>", "note: mine"]);
        await own.getByRole("button", { name: "Manage 2 Tags" }).click();
        const dialog = own.getByRole("dialog", { name: "Manage Tags" });
        await dialog.getByRole("button", { name: "Add tag review: later" }).click();
        await own.getByRole("button", { name: "Manage 3 Tags" }).waitFor();
        assert.deepEqual(await pills.allTextContents(), [
          "app: <gromacs>",
          "note: mine",
          "review: later",
        ]);
        assert.equal(
          await dialog.getByRole("button", { name: "Remove tag app: <gromacs>" }).count(),
          0,
          "a user may not detach a global tag",
        );
        await own.screenshot({ path: `${ARTIFACTS}job-view-tags.png` });
        await dialog.getByRole("button", { name: "Remove tag review: later" }).click();
        await own.getByRole("button", { name: "Manage 2 Tags" }).waitFor();
        await dialog.getByRole("searchbox", { name: "Search Tags" }).fill("test: browser");
        await dialog.getByRole("button", { name: /Add new tag: test: browser/ }).click();
        await own.getByRole("button", { name: "Manage 3 Tags" }).waitFor();
        assert.deepEqual(await pills.allTextContents(), [
          "app: <gromacs>",
          "note: mine",
          "test: browser",
        ]);
        await own.keyboard.press("Escape");
        assert.equal(await own.getByRole("dialog").count(), 0);
        await own.reload({ waitUntil: "networkidle" });
        await own.locator("label", { hasText: "Job Info" }).click();
        assert.deepEqual(await pills.allTextContents(), [
          "app: <gromacs>",
          "note: mine",
          "test: browser",
        ]);
        await own.screenshot({ path: `${ARTIFACTS}job-view-failed.png`, fullPage: true });
      });
      await alice.close();

      assert.deepEqual(problems, []);
    } finally {
      await chromium.close();
      await server.shutdown();
      await site.close();
    }
  },
});
