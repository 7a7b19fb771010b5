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

/** The directives of the pages' policy. */
const PAGE_DIRECTIVES: Record<string, string> = {
  "default-src": "'self'",
  "script-src": "'self'",
  "style-src": "'self'",
  "img-src": "'self' data:",
  "font-src": "'self'",
  "connect-src": "'self'",
  "form-action": "'self'",
  "frame-ancestors": "'none'",
  "object-src": "'none'",
  "base-uri": "'self'",
};

function policy(directives: Record<string, string>): string {
  return Object.entries(directives).map(([name, value]) => `${name} ${value}`).join("; ");
}

/** The policy for HTML pages. */
export const PAGE_CONTENT_SECURITY_POLICY = policy(PAGE_DIRECTIVES);

/**
 * The policy of the development tools (GraphiQL at `/playground`, Swagger UI
 * at `/swagger/`, only with `-dev`): the pages' policy, except that the
 * libraries may add style elements and use `data:` fonts at run time.
 */
export const DEV_TOOL_CONTENT_SECURITY_POLICY = policy({
  ...PAGE_DIRECTIVES,
  "style-src": "'self' 'unsafe-inline'",
  "font-src": "'self' data:",
});
