/**
 * The static assets of the web UI in memory: the island bundles, the
 * stylesheets, the icon font and the images, each under a content-hashed
 * file name (served from `/static/`), with its ETag and a lazily computed
 * gzip encoding.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { IslandBuild } from "./build_manifest.ts";

/** URL prefix of every asset. */
export const STATIC_PREFIX = "/static/";

/** One file. */
export class Asset {
  /** Hashed file name (the URL is `/static/<name>`). */
  readonly name: string;
  /** Content-Type header value. */
  readonly type: string;
  readonly body: Uint8Array;
  /** Strong ETag of the unencoded body (quoted). */
  readonly etag: string;
  #gzip?: Uint8Array;

  constructor(name: string, type: string, body: Uint8Array) {
    this.name = name;
    this.type = type;
    this.body = body;
    this.etag = `"${contentHash(body, 16)}"`;
  }

  /** Whether a gzip encoding pays off (text formats). */
  get compressible(): boolean {
    return /^(text\/|application\/json|image\/svg\+xml)/.test(this.type);
  }

  /** The gzip encoding, computed on first use. */
  gzip(): Uint8Array {
    return this.#gzip ??= gzipSync(this.body, { level: 9 });
  }
}

/** The first `length` hex digits of the SHA-256 of `data`. */
export function contentHash(data: Uint8Array | string, length = 12): string {
  return createHash("sha256").update(data).digest("hex").slice(0, length);
}

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  woff2: "font/woff2",
  png: "image/png",
};

function typeOf(name: string): string {
  return TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "application/octet-stream";
}

/** Text sources of the assets that are not part of the island build. */
export interface StyleSources {
  /** Bootstrap, Bootstrap Icons (font URL rewritten by the store) and uPlot CSS, in order. */
  vendorCss: string[];
  /** Our own stylesheet (`static/app.css`). */
  appCss: string;
  /** The default logo (SVG). */
  logoSvg: string;
  /** The favicon (SVG). */
  faviconSvg: string;
}

/** URLs the page shell links to. */
export interface ShellUrls {
  vendorCss: string;
  appCss: string;
  theme: string;
  boot: string;
  logo: string;
  favicon: string;
}

const ICON_FONT_SRC =
  /src:url\("?(?:\.\/)?fonts\/bootstrap-icons\.woff2(?:\?[^")]*)?"?\) format\("woff2"\),url\("?(?:\.\/)?fonts\/bootstrap-icons\.woff(?:\?[^")]*)?"?\) format\("woff"\)/;

/** Points Bootstrap Icons' @font-face at the hashed woff2 file only. */
export function rewriteIconFontUrl(css: string, fontName: string): string {
  if (!ICON_FONT_SRC.test(css)) {
    throw new Error("cannot embed Bootstrap Icons: its @font-face src has an unexpected form");
  }
  return css.replace(ICON_FONT_SRC, `src:url("${fontName}") format("woff2")`);
}

function withoutSourceMap(css: string): string {
  return css.replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "");
}

/** Every asset by hashed name, plus the manifest lookups the pages need. */
export class AssetStore {
  readonly #assets = new Map<string, Asset>();
  readonly #build: IslandBuild;
  /** URLs the page shell links to. */
  readonly urls: ShellUrls;

  constructor(build: IslandBuild, sources: StyleSources) {
    this.#build = build;
    const encoder = new TextEncoder();
    const add = (name: string, body: Uint8Array) => {
      this.#assets.set(name, new Asset(name, typeOf(name), body));
      return STATIC_PREFIX + name;
    };
    const addHashed = (stem: string, ext: string, text: string) =>
      add(`${stem}-${contentHash(text)}.${ext}`, encoder.encode(text));

    for (const [name, text] of Object.entries(build.scripts)) add(name, encoder.encode(text));
    add(build.manifest.iconFont, build.iconFont);
    const vendorCss = sources.vendorCss.map(withoutSourceMap).map((css) =>
      css.includes("bootstrap-icons") && css.includes("@font-face")
        ? rewriteIconFontUrl(css, build.manifest.iconFont)
        : css
    ).join("\n");
    this.urls = {
      vendorCss: addHashed("vendor", "css", vendorCss),
      appCss: addHashed("app", "css", sources.appCss),
      logo: addHashed("logo", "svg", sources.logoSvg),
      favicon: addHashed("favicon", "svg", sources.faviconSvg),
      theme: STATIC_PREFIX + build.manifest.theme,
      boot: STATIC_PREFIX + build.manifest.boot,
    };
  }

  /** The asset called `name` (hashed file name), if any. */
  get(name: string): Asset | undefined {
    return this.#assets.get(name);
  }

  /** Every hashed file name. */
  names(): string[] {
    return [...this.#assets.keys()];
  }

  /** Whether an island called `name` was built. */
  hasIsland(name: string): boolean {
    return Object.hasOwn(this.#build.manifest.islands, name);
  }

  /** URL of the module of island `name`. */
  islandUrl(name: string): string {
    if (!this.hasIsland(name)) {
      throw new Error(`island "${name}" is not in the build; run "deno task build"`);
    }
    return STATIC_PREFIX + this.#build.manifest.islands[name];
  }

  /**
   * URLs of the modules a page with `islands` loads: boot, the islands and
   * everything they import statically, for `<link rel="modulepreload">`.
   */
  modulePreloads(islands: Iterable<string>): string[] {
    const { manifest } = this.#build;
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const dependency of manifest.imports[file] ?? []) visit(dependency);
    };
    visit(manifest.boot);
    for (const island of islands) if (this.hasIsland(island)) visit(manifest.islands[island]);
    return [...seen].map((file) => STATIC_PREFIX + file);
  }
}
