/**
 * Serves the asset store under `/static/<hashed name>`: long-lived,
 * immutable caching (a new content gets a new name), strong ETags with
 * `304 Not Modified`, and a precomputed gzip encoding when the client
 * accepts it (the global compress middleware leaves encoded bodies alone).
 *
 * @module
 */
import type { Context } from "hono";
import type { AssetStore } from "./asset_store.ts";

/** Cache-Control of hashed assets: one year, never revalidated. */
export const IMMUTABLE = "public, max-age=31536000, immutable";

/** Whether `header` (Accept-Encoding) accepts `coding` with a non-zero quality. */
export function acceptsEncoding(header: string | undefined, coding: string): boolean {
  if (!header) return false;
  let wildcard = false;
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (name === coding) return accepted;
    if (name === "*") wildcard = accepted;
  }
  return wildcard;
}

function etagMatches(header: string | undefined, etags: string[]): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  // Weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored.
  const candidates = header.split(",").map((t) => t.trim().replace(/^W\//, ""));
  return candidates.some((t) => etags.includes(t));
}

/** A handler for `GET /static/:file` serving from `store()` (looked up per request). */
export function serveStatic(store: () => AssetStore) {
  return function serveStatic(c: Context): Response {
    const asset = store().get(c.req.param("file") ?? "");
    if (!asset) return c.text("404 page not found\n", 404);
    const gzip = asset.compressible && acceptsEncoding(c.req.header("Accept-Encoding"), "gzip");
    const gzipEtag = asset.etag.replace(/"$/, '.gz"');
    const headers: Record<string, string> = {
      "Cache-Control": IMMUTABLE,
      ETag: gzip ? gzipEtag : asset.etag,
    };
    if (asset.compressible) headers["Vary"] = "Accept-Encoding";
    if (etagMatches(c.req.header("If-None-Match"), [asset.etag, gzipEtag])) {
      return c.body(null, 304, headers);
    }
    headers["Content-Type"] = asset.type;
    if (gzip) headers["Content-Encoding"] = "gzip";
    const body = gzip ? asset.gzip() : asset.body;
    return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
  };
}
