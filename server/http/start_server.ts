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
import { startDemoCollector } from "../demo/demo_collector.ts";
import { createAuthentication } from "../auth/authentication.ts";
import { parseListenAddress } from "./listen_address.ts";
import {
  createMetricStore,
  metricHealthChecker,
  type MetricStoreService,
  startParallelIngest,
} from "../metricstore/mod.ts";
import { JobRepository } from "../db/mod.ts";
import { JobHooks } from "../jobs/job_hooks.ts";
import { inProcessJobWriter } from "../jobs/job_writer.ts";
import { openJobWriter } from "../jobs/worker_job_writer.ts";
import { startServices } from "../services/run_services.ts";
import type { ServiceContext } from "../services/service_context.ts";

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

/**
 * The built-in metric store when config.json has a `metric-store` section.
 * cc-backend refuses to start without any metric store (built-in or external).
 */
function startMetricStore(options: StartServerOptions): MetricStoreService | undefined {
  const { metricStore, metricStoreExternal } = options.config;
  if (!metricStore) {
    if (!metricStoreExternal?.length) {
      throw new Error(
        'missing metricstore configuration: add a "metric-store" section to config.json',
      );
    }
    log.warn("metric-store-external is not supported yet: live metric data is unavailable");
    return undefined;
  }
  const jobs = new JobRepository(options.db);
  return createMetricStore(options.archive.clusters(), metricStore, {
    // Retention keeps the data of hosts that run jobs started before the cut-off.
    hostsInUse: (startedBefore) =>
      Object.entries(jobs.usedNodes(startedBefore)).flatMap(([cluster, hosts]) =>
        hosts.map((host) => [cluster, host] as const)
      ),
  });
}

/** Serves until SIGINT/SIGTERM (or `signal`), then resolves after in-flight requests finish. */
export async function startServer(options: StartServerOptions): Promise<void> {
  const { hostname, port } = parseListenAddress(options.config.main.addr);
  const { httpsCertFile, httpsKeyFile } = options.config.main;
  // Keys and sessions first: a missing SESSION_KEY stops the start before anything runs.
  const publicKey = jwtPublicKey();
  if (!publicKey) log.warn("JWT_PUBLIC_KEY is not set: API tokens will be refused");
  const verifier = {
    db: options.db,
    publicKey: publicKey ? await importPublicKey(publicKey) : undefined,
    validateUser: options.config.auth?.jwts.validateUser ?? false,
  };
  const tlsEnabled = Boolean(httpsCertFile && httpsKeyFile);
  const auth = await createAuthentication({
    config: options.config,
    db: options.db,
    verifier,
    tls: tlsEnabled,
  });
  const metricStore = startMetricStore(options);
  // Large HTTP bodies of line protocol are parsed on a worker thread.
  if (metricStore) await startParallelIngest(metricStore);
  const jobHooks = new JobHooks();
  const serviceContext: ServiceContext = {
    config: options.config,
    db: options.db,
    archive: options.archive,
    jobHooks,
    metricStore,
    now: () => Math.floor(Date.now() / 1000),
    provided: {},
  };
  const services = await startServices(serviceContext).catch((error) => {
    metricStore?.stop();
    throw error;
  });
  const stop = new AbortController();
  // start_job/stop_job write on a worker thread with its own connection (unless NATS
  // api-subjects take starts and stops: then REST has no such routes).
  const jobWriter = options.config.main.apiSubjects
    ? inProcessJobWriter(options.db)
    : await openJobWriter(options.db, { dbConfig: options.config.main.dbConfig });
  const app = createApp({
    db: options.db,
    archive: options.archive,
    config: options.config,
    verifier,
    auth,
    taggers: serviceContext.provided.taggers,
    signal: stop.signal,
    metricStore,
    // Node-state updates check metric health against the built-in store.
    nodeHealth: metricStore ? metricHealthChecker(metricStore.store) : undefined,
    jobHooks,
    jobWriter,
    liveJobData: serviceContext.provided.liveJobData,
    tls: tlsEnabled,
    dev: options.dev,
  });
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
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
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
  } catch (error) {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
    await jobWriter.close();
    await services.stop();
    metricStore?.stop();
    throw new Error(`cannot listen on ${options.config.main.addr}: ${(error as Error).message}`);
  }
  const stopCollector = options.demo && metricStore
    ? startDemoCollector({ db: options.db, archive: options.archive, metricStore })
    : undefined;
  await server.finished;
  stopCollector?.();
  await jobWriter.close();
  await services.stop();
  metricStore?.stop();
  Deno.removeSignalListener("SIGINT", onSignal);
  Deno.removeSignalListener("SIGTERM", onSignal);
  log.info("server stopped");
}
