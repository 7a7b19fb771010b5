import assert from "node:assert/strict";
import { createPagesTestSite } from "../../server/render/test_pages.ts";
import {
  launchChromium,
  servePagesStrictly,
  skipWithoutChromium,
  watchProblems,
} from "./chromium.ts";

const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;

Deno.test({
  name: "home and login pages load in headless Chromium without errors",
  ignore: skipWithoutChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const site = await createPagesTestSite({ notice: "Maintenance on <Friday>" });
    const { server, base } = servePagesStrictly((req) => site.app.fetch(req));
    const chromium = await launchChromium();
    try {
      const context = await chromium.browser.newContext({
        extraHTTPHeaders: { "X-Test-Roles": "admin", "X-Test-User": "alice" },
        viewport: { width: 1600, height: 900 },
      });
      const page = await context.newPage();
      const problems = watchProblems(page);

      await t.step("home: rendered, styled, island hydrated", async () => {
        await page.goto(`${base}/`, { waitUntil: "networkidle" });
        assert.equal(await page.title(), "ClusterCockpit");
        assert.equal(await page.locator("h2").textContent(), "Clusters");
        assert.match(await page.locator(".cc-notice").textContent() ?? "", /<Friday>/);
        // Bootstrap's CSS applies: the navbar is fixed.
        const position = await page.locator("nav.navbar").evaluate((e) =>
          getComputedStyle(e).position
        );
        assert.equal(position, "fixed");
        // The icon font loaded.
        const font = await page.evaluate(async () => {
          await document.fonts.ready;
          return document.fonts.check('16px "bootstrap-icons"');
        });
        assert.ok(font, "the Bootstrap Icons font did not load");
        await page.screenshot({ path: `${ARTIFACTS}home.png`, fullPage: true });
      });

      await t.step(
        "the theme island switches to dark and the choice survives a reload",
        async () => {
          await page.locator('cc-island button[aria-label="Colour theme"]').click();
          await page.getByRole("button", { name: "Dark" }).click();
          assert.equal(await page.locator("html").getAttribute("data-bs-theme"), "dark");
          await page.reload({ waitUntil: "networkidle" });
          assert.equal(await page.locator("html").getAttribute("data-bs-theme"), "dark");
          await page.screenshot({ path: `${ARTIFACTS}home-dark.png`, fullPage: true });
          await page.evaluate(() => localStorage.removeItem("cc-theme"));
        },
      );

      await t.step("navbar dropdowns open without Bootstrap's JavaScript", async () => {
        await page.reload({ waitUntil: "networkidle" });
        const toggle = page.locator('a.dropdown-toggle[title="Nodes"]');
        await toggle.click();
        assert.equal(await toggle.getAttribute("aria-expanded"), "true");
        assert.ok(
          await page.getByRole("link", { name: "fritz" }).first().isVisible() ||
            await page.getByRole("link", { name: "Node Overview" }).first().isVisible(),
        );
        await page.keyboard.press("Escape");
        assert.equal(await toggle.getAttribute("aria-expanded"), "false");
      });

      await t.step("phone width: the navbar collapses behind its toggler", async () => {
        await page.setViewportSize({ width: 375, height: 740 });
        await page.reload({ waitUntil: "networkidle" });
        assert.equal(await page.locator("#cc-navbar").isVisible(), false);
        await page.screenshot({ path: `${ARTIFACTS}home-phone.png`, fullPage: true });
        await page.locator(".navbar-toggler").click();
        assert.equal(await page.locator("#cc-navbar").isVisible(), true);
        const overflow = await page.evaluate(() =>
          document.documentElement.scrollWidth - document.documentElement.clientWidth
        );
        assert.ok(overflow <= 0, `page is ${overflow} px wider than the phone screen`);
        await page.screenshot({ path: `${ARTIFACTS}home-phone-menu.png` });
      });

      await t.step("login page", async () => {
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.goto(`${base}/login`, { waitUntil: "networkidle" });
        assert.equal(await page.title(), "Login");
        assert.ok(await page.locator('input[name="username"]').isVisible());
        assert.ok(await page.locator('input[name="password"]').isVisible());
        await page.screenshot({ path: `${ARTIFACTS}login.png`, fullPage: true });
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
