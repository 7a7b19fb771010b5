/**
 * A test site for the NATS integration tests: a real nats-server, a migrated
 * database with a copy of the fixture archive (alex, emmy, fritz), the
 * built-in metric store, the NATS API under test and a publishing client.
 *
 * @module
 */
import {
  type ConnectionOptions,
  credsAuthenticator,
  type NatsConnection,
} from "@nats-io/nats-core";
import type { DatabaseSync } from "node:sqlite";
import type { FileArchive } from "../../server/archive/mod.ts";
import type {
  MetricStoreConfig,
  NatsConfig,
  NatsSubscriptionConfig,
} from "../../server/config/mod.ts";
import { withSite } from "../../server/importer/test_helpers.ts";
import { setLogSink } from "../../server/log/logger.ts";
import {
  createMetricStore,
  metricHealthChecker,
  type MetricStoreService,
} from "../../server/metricstore/mod.ts";
import {
  connectNats,
  type NatsApi,
  quoteFieldString,
  type RetryPolicy,
  startNatsApi,
} from "../../server/nats/mod.ts";
import { type NatsAuth, NatsServer } from "./nats_server.ts";

/** The subjects the tests use. */
export const JOB_SUBJECT = "cc.job.event";
export const NODE_SUBJECT = "cc.node.state";

/** What a test gets. */
export interface NatsSite {
  server: NatsServer;
  db: DatabaseSync;
  archive: FileArchive;
  metricStore: MetricStoreService;
  api: NatsApi;
  /** The `nats` config section the API was started with. */
  nats: NatsConfig;
  /** Log lines written so far. */
  log: string[];
  /** Publishes `text` on `subject` and flushes (the publisher reconnects by itself). */
  publish(subject: string, text: string): Promise<void>;
  /** Publishes each of `texts` as one message on `subject`, then flushes once. */
  publishAll(subject: string, texts: string[]): Promise<void>;
  /** Polls `probe` until it returns a value other than undefined/false. */
  waitFor<T>(
    what: string | (() => string),
    probe: () => T | undefined | false,
    timeoutMs?: number,
  ): Promise<T>;
}

/** Options of {@link withNatsSite}. */
export interface NatsSiteOptions {
  auth?: NatsAuth;
  /** Default: the job and node subjects on. */
  apiSubjects?: boolean;
  metricSubscriptions?: NatsSubscriptionConfig[];
  retry?: Partial<RetryPolicy>;
  /** Job workers (default 4). */
  jobConcurrency?: number;
}

/** The `nats` section that lets a client of `server` in. */
export function natsConfigFor(server: NatsServer, auth: NatsAuth): NatsConfig {
  const config: NatsConfig = { address: server.url };
  if (auth.kind === "password") {
    config.username = auth.user;
    config.password = auth.password;
  }
  if (auth.kind === "creds") config.credsFilePath = server.credsFile;
  return config;
}

function clientOptions(server: NatsServer, auth: NatsAuth): ConnectionOptions {
  return {
    servers: server.url,
    reconnectTimeWait: 50,
    maxReconnectAttempts: -1,
    user: auth.kind === "password" ? auth.user : undefined,
    pass: auth.kind === "password" ? auth.password : undefined,
    authenticator: auth.kind === "creds"
      ? credsAuthenticator(Deno.readFileSync(server.credsFile!))
      : undefined,
  };
}

/** Runs `fn` on a fresh site and tears everything down afterwards. */
export async function withNatsSite(
  fn: (site: NatsSite) => Promise<void>,
  options: NatsSiteOptions = {},
): Promise<void> {
  const auth = options.auth ?? { kind: "none" };
  const log: string[] = [];
  const previousSink = setLogSink((line) => log.push(line));
  const server = await NatsServer.start(auth);
  let publisher: NatsConnection | undefined;
  try {
    await withSite(async ({ db, archive, dir }) => {
      const storeConfig: MetricStoreConfig = {
        retentionInMemory: "48h",
        memoryCap: 0,
        numWorkers: 1,
        checkpointInterval: "12h",
        checkpoints: { fileFormat: "json", directory: `${dir}/checkpoints`, maxWalSize: 0 },
        cleanup: { mode: "delete" },
        natsSubscriptions: options.metricSubscriptions ?? [],
      };
      const metricStore = createMetricStore(archive.clusters(), storeConfig);
      const nats = natsConfigFor(server, auth);
      const api = startNatsApi({
        nats,
        apiSubjects: options.apiSubjects === false ? undefined : {
          subjectJobEvent: JOB_SUBJECT,
          subjectNodeState: NODE_SUBJECT,
          jobConcurrency: options.jobConcurrency ?? 4,
          nodeConcurrency: 2,
        },
        metricSubscriptions: storeConfig.natsSubscriptions,
        db,
        archive,
        ingestor: metricStore.ingestor,
        nodeHealth: metricHealthChecker(metricStore.store),
        retry: options.retry,
        client: { reconnectWaitMs: 50 },
      });
      let stopped = false;
      try {
        await api.connected();
        publisher = await connectNats(clientOptions(server, auth));
        const pub = publisher;
        await fn({
          server,
          db,
          archive,
          metricStore,
          api,
          nats,
          log,
          async publish(subject, text) {
            // After a broker restart the publisher may still be reconnecting.
            for (let attempt = 1;; attempt++) {
              try {
                await pub.flush();
                break;
              } catch (error) {
                if (attempt >= 100) throw error;
                await new Promise((r) => setTimeout(r, 20));
              }
            }
            pub.publish(subject, text);
            await pub.flush();
          },
          async publishAll(subject, texts) {
            for (const text of texts) pub.publish(subject, text);
            await pub.flush();
          },
          waitFor,
        });
        await api.stop();
        stopped = true;
      } finally {
        if (!stopped) await api.stop();
        metricStore.stop();
      }
    }, { archive: "fixture" });
  } finally {
    await publisher?.close();
    await server.stop();
    setLogSink(previousSink);
  }
}

/** Polls `probe` every 10 ms until it returns a value other than undefined/false. */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => T | undefined | false,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A job event line: `job,function=<fn> event="<payload as JSON>" <ns>`. */
export function jobEvent(fn: string, payload: unknown): string {
  const json = typeof payload === "string" ? payload : JSON.stringify(payload);
  return `job,function=${fn} event=${quoteFieldString(json)} 1234567890000000000`;
}

/** A node-state line. */
export function nodeStateEvent(payload: unknown): string {
  return `nodestate event=${quoteFieldString(JSON.stringify(payload))} 1234567890000000000`;
}

/** A valid start payload on fritz (host f0101). */
export function startPayload(
  jobId: number,
  startTime: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    jobId,
    user: "testuser",
    project: "testproj",
    cluster: "fritz",
    partition: "main",
    walltime: 3600,
    numNodes: 1,
    numHwthreads: 8,
    shared: "none",
    monitoringStatus: 1,
    smt: 1,
    resources: [{ hostname: "f0101", hwthreads: [0, 1, 2, 3, 4, 5, 6, 7] }],
    startTime,
    ...extra,
  };
}

/** The number of `job` rows with `jobId`. */
export function jobCount(db: DatabaseSync, jobId: number): number {
  const row = db.prepare("SELECT count(*) AS n FROM job WHERE job_id = ?").get(jobId);
  return Number((row as { n: number }).n);
}
