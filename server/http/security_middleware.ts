/**
 * The global middleware of cc-backend's server: CORS (any origin, no
 * credentials), security headers on every response (HSTS only over TLS or
 * behind `X-Forwarded-Proto: https`) and the guard that refuses cross-site
 * state-changing requests.
 *
 * Headers are set on the handler's response in place. Hono's `c.header()`
 * after the handler, and its cors middleware (which touches `c.res` before
 * the handler), each make a copy of the whole Response per request.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { PAGE_CONTENT_SECURITY_POLICY } from "../render/content_security_policy.ts";

const CORS_METHODS = "GET,POST,HEAD,OPTIONS";
const CORS_HEADERS = "X-Requested-With,Content-Type,Authorization,Origin";

/**
 * CORS as cc-backend allows it: `Access-Control-Allow-Origin: *` on every
 * response, never with credentials; a preflight (OPTIONS) is answered 204
 * with the allowed methods and request headers.
 */
export function corsHeaders(): MiddlewareHandler {
  return async function corsHeaders(c, next) {
    if (c.req.method === "OPTIONS") {
      return new Response(null, {
        status: 204,
        statusText: "No Content",
        headers: {
          "Access-Control-Allow-Origin": "*",
          "Access-Control-Allow-Methods": CORS_METHODS,
          "Access-Control-Allow-Headers": CORS_HEADERS,
          "Vary": "Access-Control-Request-Headers",
        },
      });
    }
    await next();
    editHeaders(c, (headers) => headers.set("Access-Control-Allow-Origin", "*"));
  };
}

/** Edits the response headers in place, or on a copy when they are immutable. */
function editHeaders(c: Context, edit: (headers: Headers) => void): void {
  try {
    edit(c.res.headers);
  } catch {
    // Immutable headers (e.g. Response.redirect()): copy the response once.
    c.res = new Response(c.res.body, c.res);
    edit(c.res.headers);
  }
}

/**
 * The Content-Security-Policy of answers that are not HTML pages (JSON, files):
 * they are never framed, embed no plugins and set no base URL.
 */
export const BASE_CONTENT_SECURITY_POLICY =
  "frame-ancestors 'none'; object-src 'none'; base-uri 'self'";

/**
 * Sets the security headers; `tls` says whether the server itself speaks TLS.
 * A Content-Security-Policy the handler set is kept; otherwise HTML answers
 * get the policy the pages are built for, everything else the base policy.
 */
export function securityHeaders(options: { tls: boolean }): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next();
    const hsts = options.tls || c.req.header("X-Forwarded-Proto") === "https";
    editHeaders(c, (headers) => setSecurityHeaders(headers, hsts));
  };
}

function setSecurityHeaders(headers: Headers, hsts: boolean): void {
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Referrer-Policy", "same-origin");
  if (!headers.has("Content-Security-Policy")) {
    const html = headers.get("Content-Type")?.startsWith("text/html") ?? false;
    headers.set(
      "Content-Security-Policy",
      html ? PAGE_CONTENT_SECURITY_POLICY : BASE_CONTENT_SECURITY_POLICY,
    );
  }
  if (hsts) headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
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
