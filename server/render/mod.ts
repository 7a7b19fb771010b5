/**
 * Server-side rendering and island plumbing of the web UI.
 *
 * - A page is a module in `routes/` exporting `definePage({ path, title,
 *   load, Page })` (signed-in users) or `definePublicPage(...)`, listed in
 *   `routes/mod.ts`. `load` runs on the server with the user, the Hono
 *   context and {@link PageDeps}; `Page` renders the data to HTML inside
 *   the layout (navbar per role, footer).
 * - An island is `islands/<name>.tsx` with a default-exported Preact
 *   component taking JSON props. Pages render it with
 *   `<Island name="<name>" props={...} />`; `deno task build` bundles it
 *   (and regenerates `islands/registry.generated.ts` and `static/build/`),
 *   the boot script hydrates it in the browser. Islands share state through
 *   signals in `islands/lib/` and fetch data with `gql()` from
 *   `islands/lib/graphql.ts`.
 * - Assets live in memory under content-hashed names at `/static/`.
 *
 * @module
 */
export { mountPages, type MountPagesOptions } from "./mount_pages.ts";
export {
  definePage,
  definePublicPage,
  type PageRequest,
  type PageRoute,
  type PublicPageRequest,
} from "./define_page.ts";
export { clusterNav, type PageDeps, readNotice } from "./page_deps.ts";
export { renderPage, type RenderPageOptions } from "./render_page.tsx";
export { Island, type IslandName, type IslandProps } from "./island.tsx";
export { PAGE_CONTENT_SECURITY_POLICY } from "./content_security_policy.ts";
export { siteAssets } from "./site_assets.ts";
