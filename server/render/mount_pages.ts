/**
 * Mounts the web UI on the application: `/static/*` (embedded assets),
 * `/img/*` (an operator's `var/img/`, as cc-backend serves it), and every
 * page of `routes/mod.ts`, signed-in pages behind `guard`.
 *
 * @module
 */
import type { Hono, MiddlewareHandler } from "hono";
import type { ApiEnv } from "../api/rest/api_env.ts";
import { log } from "../log/logger.ts";
import { PAGES } from "../../routes/mod.ts";
import type { PageRoute } from "./define_page.ts";
import type { PageDeps } from "./page_deps.ts";
import { setSiteLogoUrl, siteAssets } from "./site_assets.ts";
import { serveStatic } from "./static_route.ts";
import { startDevAssets } from "./dev_assets.ts";

/** Options of {@link mountPages}. */
export interface MountPagesOptions {
  /** Puts the signed-in user on `c.var.user`, or answers (login page, 401) itself. */
  guard: MiddlewareHandler<ApiEnv>;
  /** `-dev`: rebuild islands from source on change. */
  dev?: boolean;
  /** Stops the `-dev` watcher. */
  signal?: AbortSignal;
  /** Default: every page of `routes/mod.ts`. */
  pages?: readonly PageRoute[];
}

const IMAGE_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  svg: "image/svg+xml",
  gif: "image/gif",
  webp: "image/webp",
  ico: "image/x-icon",
};

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** `/img/:file` from `var/img/` (images only, no subdirectories), and its logo. */
function mountSiteImages(app: Hono<ApiEnv>, varDir: string): void {
  const dir = `${varDir}/img`;
  if (!isDirectory(dir)) {
    setSiteLogoUrl(undefined);
    return;
  }
  let hasLogo = false;
  try {
    hasLogo = Deno.statSync(`${dir}/logo.png`).isFile;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  setSiteLogoUrl(hasLogo ? "/img/logo.png" : undefined);
  app.get("/img/:file", async (c, next) => {
    const file = c.req.param("file");
    const type = IMAGE_TYPES[file.slice(file.lastIndexOf(".") + 1).toLowerCase()];
    if (!type || !/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(file)) return await next();
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await Deno.readFile(`${dir}/${file}`);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return await next();
      throw error;
    }
    return c.body(body, 200, { "Content-Type": type, "Cache-Control": "public, max-age=3600" });
  });
}

/** Adds the web UI routes to `app`. */
export function mountPages(app: Hono<ApiEnv>, deps: PageDeps, options: MountPagesOptions): void {
  app.get("/static/:file", serveStatic(siteAssets));
  mountSiteImages(app, deps.varDir ?? "./var");
  for (const page of options.pages ?? PAGES) {
    const handler = (c: Parameters<PageRoute["handle"]>[0]) => page.handle(c, deps);
    if (page.public) app.get(page.path, handler);
    else app.get(page.path, options.guard, handler);
  }
  if (options.dev) {
    startDevAssets({ signal: options.signal }).catch((error) =>
      log.error(`dev: ${(error as Error).message}`)
    );
  }
}
