import assert from "node:assert/strict";
import * as esbuild from "esbuild";
import { buildIslands, islandNames, staleFiles } from "./build_islands.ts";

Deno.test({
  name: "the committed island build is up to date (else run `deno task build`)",
  // esbuild's service process outlives single builds; stopped at the end.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    try {
      await t.step(
        "static/build/ and islands/registry.generated.ts match a fresh build",
        async () => {
          assert.deepEqual(await staleFiles(), []);
        },
      );

      await t.step(
        "the vendor module exports Preact, hooks, signals and the JSX runtime",
        async () => {
          const build = await buildIslands();
          const preact = Object.entries(build.scripts).find(([name]) => name.startsWith("preact-"));
          assert.ok(preact);
          const exported = /export\s*\{([^}]*)\}\s*;?\s*$/.exec(preact[1])?.[1] ?? "";
          for (
            const name of ["hydrate", "h", "Fragment", "Component", "useState", "signal", "jsx"]
          ) {
            assert.match(exported, new RegExp(`\\b${name}\\b`), `${name} is not exported`);
          }
        },
      );

      await t.step("each island is an entry of the manifest", async () => {
        const build = await buildIslands();
        assert.deepEqual(Object.keys(build.manifest.islands).sort(), await islandNames());
      });
    } finally {
      await esbuild.stop();
    }
  },
});
