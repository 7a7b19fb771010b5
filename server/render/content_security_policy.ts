/**
 * The Content-Security-Policy the pages are built for: scripts only from
 * this origin (the theme script and the island bundles; the island props
 * are a non-executable JSON element), styles and fonts from this origin,
 * images also as `data:` URLs (Bootstrap's inline SVG icons), GraphQL and
 * forms to this origin only. The security middleware sets it on every HTML
 * answer that does not carry a policy of its own.
 *
 * @module
 */

/**
 * The policy of the development tools (GraphiQL at `/playground`, Swagger UI
 * at `/swagger/`, only with `-dev`): their pages load only same-origin
 * scripts, but the libraries add style elements and use `data:` fonts and
 * images at run time.
 */
export const DEV_TOOL_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'self'",
].join("; ");

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
