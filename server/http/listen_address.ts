/**
 * Parses `main.addr` (`host:port`, `:port`, `[::1]:port`) into what
 * `Deno.serve` takes.
 *
 * @module
 */

/** Hostname and port to listen on. */
export interface ListenAddress {
  hostname: string;
  port: number;
}

/** Parses `addr` as cc-backend's `main.addr`; throws naming the value when it is malformed. */
export function parseListenAddress(addr: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]*)):(\d{1,5})$/.exec(addr.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new Error(`main.addr: expected "host:port" with a port from 0 to 65535, found "${addr}"`);
  }
  const hostname = match[1] ?? (match[2] || "0.0.0.0");
  return { hostname, port };
}
