/**
 * The sign-in round trip against the real program: a site built with its
 * own commands (`-init`, the fixture archive, `-init-db`, `-add-user`) and
 * `main.ts -server` on a free port, driven by headless Chromium from the
 * login page through the job list and a job view to the navbar's logout.
 * Prints the first contentful paint of the job list and the job view.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import {
  copyDir,
  describe,
  editConfig,
  FIXTURES,
  initSite,
  runCli,
  SERVER_SOURCES,
  startCli,
  withSite,
} from "../cli/cli_helpers.ts";
import { launchChromium, skipWithoutChromium } from "./chromium.ts";

const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;

/** The two jobs of the fixture cluster emmy. */
const EMMY_JOBS = ["1403244", "1404397"];

async function cli(site: string, args: string[], extraRead: string[] = []): Promise<void> {
  const result = await runCli(site, args, { extraRead });
  if (result.code !== 0) throw new Error(`${args.join(" ")} failed: ${describe(result)}`);
}

/** The fixture clusters and their jobs in the database, and the user demo/demo (admin, api). */
async function buildSite(site: string): Promise<void> {
  await initSite(site);
  const archive = join(site, "var/job-archive");
  await Deno.remove(archive, { recursive: true });
  await copyDir(join(FIXTURES, "archive"), archive);
  // -init-db inserts on a Worker, whose modules need read permission.
  await cli(site, ["-init-db"], [SERVER_SOURCES]);
  await cli(site, ["-add-user", "demo:admin,api:demo"]);
  await editConfig(site, (config) => {
    config.main.addr = "127.0.0.1:0";
  });
}

/** A running `main.ts -server`. */
interface RunningServer {
  base: string;
  stderr(): string;
  /** SIGTERM, then checks a clean exit within 10 s. */
  stop(): Promise<void>;
  /** SIGKILL unless already stopped. */
  kill(): Promise<void>;
}

async function startServer(site: string): Promise<RunningServer> {
  const child = startCli(site, ["-server", "-loglevel", "info"]);
  const out = { stdout: "", stderr: "" };
  const stderrDone = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      out.stderr += chunk;
    }
  })();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), 15_000);
  });
  let match: RegExpExecArray | null = null;
  const pattern = /listening at http:\/\/127\.0\.0\.1:(\d+)\//;
  while (!(match = pattern.exec(out.stdout))) {
    const next = await Promise.race([reader.read(), timeout]);
    if (next === "timeout" || next.done) break;
    out.stdout += next.value;
  }
  clearTimeout(timer);
  const stdoutDone = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      out.stdout += value;
    }
  })();
  let exited = false;
  const kill = async () => {
    if (exited) return;
    exited = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
    await Promise.all([stdoutDone, stderrDone]);
  };
  if (!match) {
    await kill();
    throw new Error(`no "listening at" line within 15 s; stderr:\n${out.stderr}`);
  }
  return {
    base: `http://127.0.0.1:${match[1]}`,
    stderr: () => out.stderr,
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      const status = await Promise.race([
        child.status,
        new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 10_000)),
      ]);
      if (status === "timeout") {
        await kill();
        throw new Error("server still running 10 s after SIGTERM");
      }
      exited = true;
      await Promise.all([stdoutDone, stderrDone]);
      if (status.code !== 0) {
        throw new Error(`server exited with ${status.code}; stderr:\n${out.stderr}`);
      }
    },
    kill,
  };
}

/**
 * Records console errors, uncaught exceptions and failed requests of every
 * page of `context`. `expected401` holds the URLs whose document may answer
 * 401: the login page that cc-backend shows in place of a guarded page.
 */
function watchProblems(context: BrowserContext, expected401: Set<string>): string[] {
  const problems: string[] = [];
  context.on("console", (message) => {
    if (message.type() !== "error") return;
    // Chromium reports the 401 document of an expected login page as a console error.
    if (/status of 401/.test(message.text()) && expected401.has(message.location().url)) return;
    problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  context.on("weberror", (error) => problems.push(`exception: ${error.error().message}`));
  context.on("response", (response) => {
    if (
      response.status() === 401 && response.request().resourceType() === "document" &&
      expected401.has(response.url())
    ) {
      return;
    }
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  context.on("requestfailed", (request) => {
    // Islands abort their own superseded fetches.
    if (request.failure()?.errorText !== "net::ERR_ABORTED") {
      problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`);
    }
  });
  return problems;
}

/**
 * The row ids once they equal `expected`, or the last ids seen after 10 s: the URL changes
 * (pushState) before the re-sorted rows arrive, so "network idle" can come too early.
 */
async function rowsSettled(page: Page, expected: string[]): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ids = await rowJobIds(page);
    if (JSON.stringify(ids) === JSON.stringify(expected) || Date.now() > deadline) return ids;
    await page.waitForTimeout(100);
  }
}

/** The job ids of the job list's rows, in order. */
function rowJobIds(page: Page): Promise<string[]> {
  return page.locator(".cc-job-table tbody .cc-job-info a.fw-bold").allTextContents();
}

/** The first contentful paint of the current document in ms, once it happened. */
async function firstContentfulPaint(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () => {
      const entry = performance.getEntriesByType("paint")
        .find((e) => e.name === "first-contentful-paint");
      return entry ? entry.startTime : false;
    },
    undefined,
    { timeout: 10_000 },
  );
  return Number(await handle.jsonValue());
}

/** Asserts that `page` shows the login form. */
async function assertLoginPage(page: Page): Promise<void> {
  assert.ok(await page.locator('form[action="/login"] input#username').isVisible());
  assert.ok(await page.locator('form[action="/login"] input#password').isVisible());
}

Deno.test({
  name: "login flow: login page, sign in, job list, job view, logout against main.ts -server",
  ignore: skipWithoutChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    await withSite(async (site) => {
      await buildSite(site);
      const server = await startServer(site);
      const chromium = await launchChromium().catch(async (error) => {
        await server.kill();
        throw error;
      });
      const jobsUrl = `${server.base}/monitoring/jobs/`;
      const expected401 = new Set([jobsUrl]);
      const paints: Record<string, number> = {};
      try {
        const context = await chromium.browser.newContext({
          viewport: { width: 1600, height: 1000 },
        });
        let page = await context.newPage();
        const problems = watchProblems(context, expected401);

        await t.step("a guarded page shows the login form and keeps the URL", async () => {
          const response = await page.goto(jobsUrl, { waitUntil: "networkidle" });
          assert.equal(response?.status(), 401);
          assert.equal(page.url(), jobsUrl);
          await assertLoginPage(page);
          assert.equal(
            await page.locator('form[action="/login"] input[name="redirect"]').inputValue(),
            "/monitoring/jobs/",
          );
          await page.screenshot({ path: `${ARTIFACTS}login-flow-1-login.png` });
        });

        await t.step("signing in as demo lands on the job list with the emmy jobs", async () => {
          await page.locator("#username").fill("demo");
          await page.locator("#password").fill("demo");
          await Promise.all([
            page.waitForURL(jobsUrl, { waitUntil: "load" }),
            page.locator('form[action="/login"] button[type="submit"]').click(),
          ]);
          await page.waitForLoadState("networkidle");
          assert.equal(await page.title(), "Jobs - ClusterCockpit");
          paints["job list"] = await firstContentfulPaint(page);
          const cookies = await context.cookies();
          assert.ok(cookies.length > 0, "no session cookie");
          assert.deepEqual((await rowJobIds(page)).sort(), EMMY_JOBS);
          assert.ok(await page.getByRole("button", { name: "Logout demo" }).isVisible());
          await page.screenshot({ path: `${ARTIFACTS}login-flow-2-jobs.png` });
        });

        await t.step("filtering by state and cluster via the URL", async () => {
          await page.goto(`${jobsUrl}?state=running`, { waitUntil: "networkidle" });
          assert.equal(await page.locator("[aria-live]").first().textContent(), "0 jobs");
          assert.deepEqual(await rowJobIds(page), []);
          await page.goto(`${jobsUrl}?cluster=emmy&state=completed`, {
            waitUntil: "networkidle",
          });
          assert.deepEqual((await rowJobIds(page)).sort(), EMMY_JOBS);
          await page.goto(`${jobsUrl}?cluster=fritz`, { waitUntil: "networkidle" });
          assert.deepEqual(await rowJobIds(page), []);
          await page.screenshot({ path: `${ARTIFACTS}login-flow-3-filtered.png` });
        });

        await t.step("sorting by duration both ways via the sorting dialog", async () => {
          await page.goto(jobsUrl, { waitUntil: "networkidle" });
          const duration = page.locator(".modal .list-group-item", { hasText: "Duration" });
          // 1404397 ran 86525 s, 1403244 86486 s.
          const longestFirst = ["1404397", "1403244"];
          await page.getByRole("button", { name: "Sorting" }).click();
          await duration.click();
          await page.getByRole("button", { name: "Close & Apply" }).click();
          await page.waitForURL(/sortBy=duration&sortOrder=DESC/);
          assert.deepEqual(await rowsSettled(page, longestFirst), longestFirst);
          await page.getByRole("button", { name: "Sorting" }).click();
          await duration.click();
          await page.getByRole("button", { name: "Close & Apply" }).click();
          await page.waitForURL(/sortBy=duration&sortOrder=ASC/);
          const shortestFirst = [...longestFirst].reverse();
          assert.deepEqual(await rowsSettled(page, shortestFirst), shortestFirst);
          await page.screenshot({ path: `${ARTIFACTS}login-flow-4-sorted.png` });
        });

        await t.step("opening a job shows the job view", async () => {
          const link = page.locator(".cc-job-table tbody .cc-job-info a.fw-bold", {
            hasText: EMMY_JOBS[0],
          });
          const href = await link.getAttribute("href") ?? "";
          assert.match(href, /^\/monitoring\/job\/\d+$/);
          // The list opens jobs in a new tab, as cc-backend's does.
          const [popup] = await Promise.all([context.waitForEvent("page"), link.click()]);
          await popup.waitForLoadState("networkidle");
          assert.equal(popup.url(), server.base + href);
          assert.equal(await popup.title(), `Job ${EMMY_JOBS[0]} - ClusterCockpit`);
          paints["job view"] = await firstContentfulPaint(popup);
          await popup.locator(".cc-metric-plot .uplot").first().waitFor();
          await popup.waitForLoadState("networkidle");
          await popup.screenshot({ path: `${ARTIFACTS}login-flow-5-job.png`, fullPage: true });
          await page.close();
          page = popup;
        });

        await t.step("the navbar's logout shows the login page with a message", async () => {
          await Promise.all([
            page.waitForURL(`${server.base}/logout`),
            page.getByRole("button", { name: "Logout demo" }).click(),
          ]);
          await page.waitForLoadState("networkidle");
          await assertLoginPage(page);
          assert.ok(await page.getByText("Logout successful").isVisible());
          await page.screenshot({ path: `${ARTIFACTS}login-flow-6-logout.png` });
        });

        await t.step("the job list asks for a login again", async () => {
          const response = await page.goto(jobsUrl, { waitUntil: "networkidle" });
          assert.equal(response?.status(), 401);
          await assertLoginPage(page);
          assert.equal(await rowJobIds(page).then((ids) => ids.length), 0);
          await page.screenshot({ path: `${ARTIFACTS}login-flow-7-login-again.png` });
        });

        assert.deepEqual(problems, []);
        await context.close();
        console.log(
          `first contentful paint: job list ${paints["job list"].toFixed(0)} ms, ` +
            `job view ${paints["job view"].toFixed(0)} ms`,
        );
      } finally {
        await chromium.close();
        try {
          await server.stop();
        } finally {
          await server.kill();
        }
      }
      const crashes = server.stderr().split("\n").filter((line) =>
        /^\s+at .+:\d+:\d+\)?$/.test(line) || /Uncaught|unexpected error/.test(line)
      );
      assert.deepEqual(crashes, []);
    });
  },
});
