/**
 * The global middleware of cc-backend's server: security headers on every
 * response (HSTS only over TLS or behind `X-Forwarded-Proto: https`) and the
 * guard that refuses cross-site state-changing requests.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";

/** Sets the security headers; `tls` says whether the server itself speaks TLS. */
export function securityHeaders(options: { tls: boolean }): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "same-origin");
    c.header(
      "Content-Security-Policy",
      "frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
    );
    if (options.tls || c.req.header("X-Forwarded-Proto") === "https") {
      c.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/** Refuses non-safe requests a browser marks as cross-site (403, plain text). */
export function crossSiteGuard(): MiddlewareHandler {
  return async function crossSiteGuard(c, next) {
    if (!SAFE_METHODS.has(c.req.method) && c.req.header("Sec-Fetch-Site") === "cross-site") {
      return c.text("cross-site request blocked\n", 403);
    }
    await next();
  };
}
