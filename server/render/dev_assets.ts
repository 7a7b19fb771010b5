/**
 * `-dev`: builds the islands from source in memory, serves that build, and
 * rebuilds when a file in `islands/` or `static/app.css` changes. Needs the
 * source tree and esbuild, so the build script is imported dynamically
 * under a computed name: `deno compile` does not embed it, and a compiled
 * executable started with `-dev` keeps serving its embedded build.
 *
 * Server-side rendering still uses the island components loaded at start;
 * restart (or run under `deno run --watch`) after changing their markup, and
 * run `deno task build` before committing.
 *
 * @module
 */
import { log } from "../log/logger.ts";
import { AssetStore } from "./asset_store.ts";
import type { IslandBuild } from "./build_manifest.ts";
import { setSiteAssets, STYLE_SOURCES } from "./site_assets.ts";

interface Builder {
  ROOT: string;
  buildIslands(options: { dev?: boolean }): Promise<IslandBuild>;
}

const BUILD_SCRIPT = ["..", "..", "scripts", "build_islands.ts"].join("/");

async function rebuild(builder: Builder): Promise<void> {
  const started = performance.now();
  const build = await builder.buildIslands({ dev: true });
  const appCss = await Deno.readTextFile(`${builder.ROOT}/static/app.css`);
  setSiteAssets(new AssetStore(build, { ...STYLE_SOURCES, appCss }));
  log.info(`dev: islands rebuilt in ${Math.round(performance.now() - started)} ms`);
}

/**
 * Builds once, then watches until `signal` aborts. Resolves after the
 * first build; failures are logged and the previous build stays in use.
 */
export async function startDevAssets(options: { signal?: AbortSignal } = {}): Promise<void> {
  let builder: Builder;
  try {
    builder = await import(new URL(BUILD_SCRIPT, import.meta.url).href);
  } catch (error) {
    log.warn(
      `dev: cannot load the island builder (${(error as Error).message}); ` +
        "serving the embedded build",
    );
    return;
  }
  try {
    await rebuild(builder);
  } catch (error) {
    log.error(`dev: island build failed: ${(error as Error).message}`);
  }
  const watcher = Deno.watchFs([`${builder.ROOT}/islands`, `${builder.ROOT}/static/app.css`]);
  options.signal?.addEventListener("abort", () => watcher.close());
  (async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    for await (const event of watcher) {
      // Generated files change on every `deno task build`; they are outputs, not sources.
      if (event.paths.every((p) => p.endsWith(".generated.ts"))) continue;
      clearTimeout(timer);
      timer = setTimeout(() => {
        rebuild(builder).catch((error) =>
          log.error(`dev: island build failed: ${(error as Error).message}`)
        );
      }, 100);
    }
  })();
}
