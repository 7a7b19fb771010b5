/**
 * The Content-Security-Policy the pages are built for: scripts only from
 * this origin (the theme script and the island bundles; the island props
 * are a non-executable JSON element), styles and fonts from this origin,
 * images also as `data:` URLs (Bootstrap's inline SVG icons), GraphQL and
 * forms to this origin only.
 *
 * @module
 */

/** The policy for HTML pages. */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'self'",
].join("; ");
