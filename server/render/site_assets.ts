/**
 * The asset store the pages use: built on first use from what the
 * executable embeds (the committed island build in `static/build/`, the
 * Bootstrap, Bootstrap Icons and uPlot stylesheets from their npm packages,
 * `static/app.css` and the images), all as static imports so that
 * `deno compile` includes them. `-dev` swaps in a store rebuilt from source.
 *
 * @module
 */
import { MANIFEST, SCRIPTS } from "../../static/build/manifest.generated.ts";
import { ICON_FONT_BASE64 } from "../../static/build/icon_font.generated.ts";
import bootstrapCss from "bootstrap/dist/css/bootstrap.min.css" with { type: "text" };
import iconsCss from "bootstrap-icons/font/bootstrap-icons.min.css" with { type: "text" };
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
import appCss from "../../static/app.css" with { type: "text" };
import logoSvg from "../../static/img/logo.svg" with { type: "text" };
import faviconSvg from "../../static/img/favicon.svg" with { type: "text" };
import { AssetStore, type StyleSources } from "./asset_store.ts";
import type { IslandBuild } from "./build_manifest.ts";

/** The embedded stylesheets and images. */
export const STYLE_SOURCES: StyleSources = {
  vendorCss: [bootstrapCss, iconsCss, uplotCss],
  appCss,
  logoSvg,
  faviconSvg,
};

let embedded: AssetStore | undefined;
let override: AssetStore | undefined;
let logoUrl: string | undefined;

function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** The store built from the embedded files. */
export function embeddedAssets(): AssetStore {
  if (!embedded) {
    const build: IslandBuild = {
      manifest: MANIFEST,
      scripts: SCRIPTS,
      iconFont: decodeBase64(ICON_FONT_BASE64),
    };
    embedded = new AssetStore(build, STYLE_SOURCES);
  }
  return embedded;
}

/** The store pages link to and `/static/` serves. */
export function siteAssets(): AssetStore {
  return override ?? embeddedAssets();
}

/** Replaces the store (`-dev` rebuilds); `undefined` returns to the embedded one. */
export function setSiteAssets(store: AssetStore | undefined): void {
  override = store;
}

/** URL of the site logo: an operator's `var/img/logo.png` when set, else the embedded one. */
export function siteLogoUrl(): string {
  return logoUrl ?? siteAssets().urls.logo;
}

/** Uses `url` as the site logo (`undefined`: the embedded one). */
export function setSiteLogoUrl(url: string | undefined): void {
  logoUrl = url;
}
