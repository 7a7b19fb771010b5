/**
 * Facts about a request that the login needs: whether the browser reached us
 * over HTTPS (for the cookies' `Secure` flag) and which client address a
 * login attempt counts against.
 *
 * @module
 */
import type { Context } from "hono";
import { getConnInfo } from "hono/deno";

/** Whether the request came over TLS: the server's own or a proxy's (`X-Forwarded-Proto: https`). */
export function isSecureRequest(c: Context, serverTls: boolean): boolean {
  if (serverTls) return true;
  const forwarded = c.req.header("X-Forwarded-Proto");
  return forwarded?.split(",")[0].trim().toLowerCase() === "https";
}

function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // In-process requests (app.request in tests) have no peer.
    return undefined;
  }
}

/** Loopback and private ranges: where a reverse proxy in front of cc-backend lives. */
export function isProxyAddress(address: string): boolean {
  const v4 = address.replace(/^::ffff:/i, "");
  if (/^(127\.|10\.|192\.168\.)/.test(v4)) return true;
  const m = /^172\.(\d+)\./.exec(v4);
  if (m && Number(m[1]) >= 16 && Number(m[1]) <= 31) return true;
  const lower = address.toLowerCase();
  return lower === "::1" || lower.startsWith("fc") || lower.startsWith("fd");
}

/**
 * The client address for the login rate limit. cc-backend believes
 * `X-Real-Ip` and `X-Forwarded-For` from anyone, which lets a client pick a
 * fresh address per attempt; here they count only when the connection comes
 * from a loopback or private address (a reverse proxy).
 */
export function loginClientIp(c: Context): string {
  const peer = peerAddress(c);
  if (peer !== undefined && !isProxyAddress(peer)) return peer;
  const real = c.req.header("X-Real-Ip")?.trim();
  if (real) return real;
  // The last entry is the one our proxy added; earlier ones are the client's word.
  const forwarded = c.req.header("X-Forwarded-For")?.split(",").at(-1)?.trim();
  if (forwarded) return forwarded;
  return peer ?? "";
}
