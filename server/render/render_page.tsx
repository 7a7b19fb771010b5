/**
 * Renders a complete HTML document: the layout around the page content,
 * the stylesheets and scripts of the asset store, module preloads for the
 * islands on the page and their props as JSON. CSP-friendly: the only
 * inline script element is the JSON payload (`type="application/json"`,
 * never executed); the theme script and the boot module are files.
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import { renderToString } from "preact-render-to-string";
import type { AuthUser } from "../auth/auth_user.ts";
import { Layout } from "../../routes/layout/layout.tsx";
import type { ClusterNav } from "../../routes/layout/nav_model.ts";
import { ISLAND_PAYLOAD_ID, type IslandPayload } from "../../islands/runtime/island_payload.ts";
import type { AssetStore } from "./asset_store.ts";
import { IslandCollector, IslandContext } from "./island.tsx";
import { jsonForScript } from "./json_script.ts";
import { siteAssets, siteLogoUrl } from "./site_assets.ts";

/** Options of {@link renderPage}. */
export interface RenderPageOptions {
  /** The document title. */
  title: string;
  /** The signed-in user: the navbar shows the entries of the user's role. */
  user?: AuthUser;
  /** Path of the page (active navbar entry); default "". */
  path?: string;
  /** Clusters for the per-cluster navbar menus. */
  clusters?: ClusterNav[];
  /** Logo-only navbar even with a user. */
  minimal?: boolean;
  /** Default: the site's store. */
  assets?: AssetStore;
}

/** `<!DOCTYPE html>` and the whole page around `content`. */
export function renderPage(content: ComponentChildren, options: RenderPageOptions): string {
  const assets = options.assets ?? siteAssets();
  const collector = new IslandCollector();
  const body = renderToString(
    <IslandContext.Provider value={collector}>
      <Layout
        user={options.user}
        path={options.path ?? ""}
        clusters={options.clusters ?? []}
        logoUrl={siteLogoUrl()}
        minimal={options.minimal}
      >
        {content}
      </Layout>
    </IslandContext.Provider>,
  );
  const islands = collector.islands;
  const payload: IslandPayload = {
    islands: islands.map((i) => ({ ...i, url: assets.islandUrl(i.name) })),
  };
  const preloads = assets.modulePreloads(new Set(islands.map((i) => i.name)));
  const head = renderToString(
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <title>{options.title}</title>
      <link rel="icon" type="image/svg+xml" href={assets.urls.favicon} />
      <link rel="stylesheet" href={assets.urls.vendorCss} />
      <link rel="stylesheet" href={assets.urls.appCss} />
      <script src={assets.urls.theme}></script>
      {preloads.map((url) => <link key={url} rel="modulepreload" href={url} />)}
    </head>,
  );
  const json = islands.length > 0
    ? `<script type="application/json" id="${ISLAND_PAYLOAD_ID}">${jsonForScript(payload)}</script>`
    : "";
  return `<!DOCTYPE html><html lang="en" data-bs-theme="light">${head}<body>${body}${json}` +
    `<script type="module" src="${assets.urls.boot}"></script></body></html>`;
}
