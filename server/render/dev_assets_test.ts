import assert from "node:assert/strict";
import * as esbuild from "esbuild";
import { startDevAssets } from "./dev_assets.ts";
import { embeddedAssets, setSiteAssets, siteAssets } from "./site_assets.ts";

Deno.test({
  name: "startDevAssets() serves a fresh in-memory build of the islands",
  // esbuild's service process and the file watcher outlive the test body; stopped at the end.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const stop = new AbortController();
    try {
      await startDevAssets({ signal: stop.signal });
      const dev = siteAssets();
      assert.notEqual(dev, embeddedAssets());
      const boot = dev.get(dev.urls.boot.slice("/static/".length));
      assert.ok(boot, "the dev build has no boot module");
      // Development builds are not minified and carry inline source maps.
      assert.match(new TextDecoder().decode(boot.body), /sourceMappingURL=data:/);
      assert.match(dev.islandUrl("theme_toggle"), /^\/static\/theme_toggle-[A-Z0-9]+\.js$/);
    } finally {
      stop.abort();
      setSiteAssets(undefined);
      await esbuild.stop();
    }
  },
});
