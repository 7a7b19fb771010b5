/**
 * `-server`: listens on `main.addr` (TLS when both certificate files are
 * set) and shuts down gracefully on SIGINT/SIGTERM.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { Config } from "../config/mod.ts";
import type { FileArchive } from "../archive/mod.ts";
import { log } from "../log/logger.ts";
import { jwtPublicKey } from "../config/mod.ts";
import { importPublicKey } from "../auth/jwt_keys.ts";
import { createApp } from "./create_app.ts";
import { parseListenAddress } from "./listen_address.ts";

/** What the server needs. */
export interface StartServerOptions {
  config: Config;
  db: DatabaseSync;
  archive: FileArchive;
  dev: boolean;
  demo: boolean;
  /** Stops the server when aborted (tests); signals do the same. */
  signal?: AbortSignal;
}

/** Serves until SIGINT/SIGTERM (or `signal`), then resolves after in-flight requests finish. */
export async function startServer(options: StartServerOptions): Promise<void> {
  const { hostname, port } = parseListenAddress(options.config.main.addr);
  const { httpsCertFile, httpsKeyFile } = options.config.main;
  const publicKey = jwtPublicKey();
  if (!publicKey) log.warn("JWT_PUBLIC_KEY is not set: API tokens will be refused");
  const app = createApp({
    db: options.db,
    archive: options.archive,
    config: options.config,
    verifier: {
      db: options.db,
      publicKey: publicKey ? await importPublicKey(publicKey) : undefined,
      validateUser: options.config.auth?.jwts.validateUser ?? false,
    },
    tls: Boolean(httpsCertFile && httpsKeyFile),
    demoLogin: options.demo ? "demo / demo" : undefined,
  });
  const stop = new AbortController();
  options.signal?.addEventListener("abort", () => stop.abort());
  const onSignal = () => {
    log.info("shutting down: waiting for requests in flight");
    stop.abort();
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const tls = httpsCertFile && httpsKeyFile
    ? { cert: await Deno.readTextFile(httpsCertFile), key: await Deno.readTextFile(httpsKeyFile) }
    : {};
  const server = Deno.serve({
    hostname,
    port,
    signal: stop.signal,
    ...tls,
    onListen: (addr) => {
      const scheme = "cert" in tls ? "https" : "http";
      const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
      console.log(`cc-backend listening at ${scheme}://${host}:${addr.port}/`);
      if (options.demo) console.log("Log in as demo with password demo.");
    },
  }, app.fetch);
  await server.finished;
  Deno.removeSignalListener("SIGINT", onSignal);
  Deno.removeSignalListener("SIGTERM", onSignal);
  log.info("server stopped");
}
