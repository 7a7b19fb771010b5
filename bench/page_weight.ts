/**
 * Page weight: for each page, the HTML size (plain and gzipped), the
 * gzipped JavaScript it loads (boot, theme script, preloaded island modules
 * and their imports) and the gzipped CSS, plus the median server render
 * time. Target: under 60 KB of gzipped JavaScript for the job list and the
 * job view, Preact and uPlot included. With Chromium installed, also the
 * first contentful paint of the job list and the job view.
 *
 * Usage: deno run -A bench/page_weight.ts
 *
 * @module
 */
import { gzipSync } from "node:zlib";
import { createPagesTestSite } from "../server/render/test_pages.ts";
import { siteAssets } from "../server/render/site_assets.ts";
import { findChromium, launchChromium } from "../tests/browser/chromium.ts";

/** A page to weigh: a path and the roles of the viewer (none: signed out). */
export interface WeighedPage {
  name: string;
  path: string;
  roles?: string[];
}

/** The pages weighed by default; add new pages here. */
export const PAGES_TO_WEIGH: WeighedPage[] = [
  { name: "home (admin)", path: "/", roles: ["admin"] },
  { name: "home (user)", path: "/", roles: ["user"] },
  { name: "login", path: "/login" },
  { name: "jobs (admin)", path: "/monitoring/jobs/", roles: ["admin"] },
  { name: "jobs (user)", path: "/monitoring/jobs/?state=running", roles: ["user"] },
  { name: "user jobs", path: "/monitoring/user/alice", roles: ["user"] },
  { name: "job view", path: "/monitoring/job/1", roles: ["user"] },
  { name: "job compare", path: "/monitoring/jobs/compare?dbId=1&dbId=2", roles: ["user"] },
];

/** The weight of one page in bytes, and its median render time in ms. */
export interface PageWeight {
  name: string;
  html: number;
  htmlGzip: number;
  jsGzip: number;
  cssGzip: number;
  renderMs: number;
}

function assetGzipSize(url: string): number {
  const asset = siteAssets().get(url.replace(/^\/static\//, ""));
  if (!asset) throw new Error(`page links to ${url}, which is not an asset`);
  return asset.compressible ? asset.gzip().length : asset.body.length;
}

/**
 * The median first contentful paint (headless Chromium, 5 loads each) of
 * the job list and the job view, as lines to print; skipped without Chromium.
 */
async function firstPaints(
  site: { app: { fetch(req: Request): Response | Promise<Response> } },
): Promise<string[]> {
  if (!findChromium()) return ["first contentful paint: skipped (Chromium not installed)"];
  const lines: string[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => site.app.fetch(req),
  );
  const chromium = await launchChromium();
  try {
    for (const [name, path] of [["jobs", "/monitoring/jobs/"], ["job view", "/monitoring/job/1"]]) {
      const context = await chromium.browser.newContext({
        extraHTTPHeaders: { "X-Test-Roles": "user", "X-Test-User": "alice" },
      });
      const page = await context.newPage();
      const paints: number[] = [];
      for (let i = 0; i < 5; i++) {
        await page.goto(`http://127.0.0.1:${server.addr.port}${path}`, { waitUntil: "load" });
        const fcp = await page.waitForFunction(() =>
          performance.getEntriesByType("paint")
            .find((e) => e.name === "first-contentful-paint")?.startTime ?? false
        );
        paints.push(Number(await fcp.jsonValue()));
      }
      await context.close();
      const median = paints.sort((a, b) => a - b)[2];
      lines.push(`${name.padEnd(16)} first contentful paint ${median.toFixed(0)} ms (median of 5)`);
    }
  } finally {
    await chromium.close();
    await server.shutdown();
  }
  return lines;
}

/** Weighs `pages` and prints a table. */
export async function benchPageWeight(pages = PAGES_TO_WEIGH): Promise<PageWeight[]> {
  console.log("\n== page weight: HTML and gzipped JavaScript per page");
  const site = await createPagesTestSite();
  const results: PageWeight[] = [];
  let paintLines: string[] = [];
  try {
    for (const page of pages) {
      const times: number[] = [];
      let html = "";
      for (let i = 0; i < 21; i++) {
        const started = performance.now();
        const response = await site.get(page.path, { roles: page.roles });
        html = await response.text();
        times.push(performance.now() - started);
        if (response.status !== 200) throw new Error(`${page.path}: status ${response.status}`);
      }
      const scripts = [
        ...html.matchAll(/<script[^>]* src="([^"]+)"/g),
        ...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g),
      ].map((m) => m[1]);
      const styles = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
      const sum = (urls: string[]) =>
        [...new Set(urls)].reduce((total, url) => total + assetGzipSize(url), 0);
      results.push({
        name: page.name,
        html: new TextEncoder().encode(html).length,
        htmlGzip: gzipSync(html).length,
        jsGzip: sum(scripts),
        cssGzip: sum(styles),
        renderMs: times.sort((a, b) => a - b)[10],
      });
    }
    paintLines = await firstPaints(site);
  } finally {
    await site.close();
  }
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  for (const r of results) {
    console.log(
      `${r.name.padEnd(16)} HTML ${kb(r.html)} (gzip ${kb(r.htmlGzip)})  JS gzip ${kb(r.jsGzip)}` +
        `  CSS gzip ${kb(r.cssGzip)}  render ${r.renderMs.toFixed(1)} ms`,
    );
  }
  for (const line of paintLines) console.log(line);
  return results;
}

if (import.meta.main) await benchPageWeight();
