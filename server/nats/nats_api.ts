/**
 * The NATS API of the server: one connection, the job-event and node-state
 * subjects of `main.api-subjects` (each worked off by its own pool of
 * `job-concurrency` / `node-concurrency` workers) and the metric subjects of
 * `metric-store.nats-subscriptions`. Nothing is ever replied; results go to
 * the log and the counters ({@link natsStats}).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { FileArchive } from "../archive/mod.ts";
import type { ApiSubjectsConfig, NatsConfig, NatsSubscriptionConfig } from "../config/mod.ts";
import type { JobHooks } from "../jobs/mod.ts";
import { log } from "../log/logger.ts";
import type { Ingestor } from "../metricstore/mod.ts";
import type { NodeHealthChecker } from "../nodes/mod.ts";
import { JobEventHandler } from "./job_events.ts";
import { MetricMessageHandler } from "./metric_messages.ts";
import { NatsClient, type NatsClientOptions } from "./nats_client.ts";
import { type NatsStats, registerNatsStats, type SubjectCounter } from "./nats_stats.ts";
import { NodeStateHandler } from "./node_states.ts";
import type { RetryPolicy } from "./stop_retries.ts";
import { WorkQueue } from "./work_queue.ts";

/** What {@link startNatsApi} needs. */
export interface NatsApiOptions {
  nats: NatsConfig;
  /** `main.api-subjects`: the job and node-state subjects (none: no job/node API). */
  apiSubjects?: ApiSubjectsConfig;
  /** `metric-store.nats-subscriptions` (ignored without `ingestor`). */
  metricSubscriptions?: NatsSubscriptionConfig[];
  db: DatabaseSync;
  archive: FileArchive;
  /** Start and stop events of jobs (the archiver, taggers). */
  jobHooks?: JobHooks;
  /** The built-in metric store's ingestor. */
  ingestor?: Ingestor;
  /** Metric health of node-state updates. */
  nodeHealth?: NodeHealthChecker;
  /** Clock in unix seconds. */
  now?: () => number;
  /** How long a `stop_job` waits for its `start_job` (default 30 s). */
  retry?: Partial<RetryPolicy>;
  /** Connection tuning (tests use short reconnect waits). */
  client?: NatsClientOptions;
}

/** The running NATS API. */
export interface NatsApi {
  readonly name: string;
  /** Counters and connection state. */
  stats(): NatsStats;
  /** Resolves once connected to the broker. */
  connected(): Promise<void>;
  /** Unsubscribes, handles what was received, settles waiting stops, closes the connection. */
  stop(): Promise<void>;
}

/** Connects (in the background) and subscribes; returns at once. */
export function startNatsApi(options: NatsApiOptions): NatsApi {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const client = new NatsClient(options.nats, options.client);
  const counters: SubjectCounter[] = [];
  const queues: WorkQueue<Uint8Array>[] = [];
  let jobs: JobEventHandler | undefined;

  const subjects = options.apiSubjects;
  if (subjects) {
    jobs = new JobEventHandler({
      subject: subjects.subjectJobEvent,
      deps: { db: options.db, archive: options.archive, now, hooks: options.jobHooks },
      retry: options.retry,
    });
    const nodes = new NodeStateHandler({
      subject: subjects.subjectNodeState,
      db: options.db,
      clusters: options.archive,
      health: options.nodeHealth,
      now,
    });
    const jobHandler = jobs;
    const jobQueue = new WorkQueue<Uint8Array>((data) => Promise.resolve(jobHandler.handle(data)), {
      workers: subjects.jobConcurrency,
      name: `NATS job events on ${JSON.stringify(subjects.subjectJobEvent)}`,
    });
    const nodeQueue = new WorkQueue<Uint8Array>((data) => nodes.handle(data), {
      workers: subjects.nodeConcurrency,
      name: `NATS node states on ${JSON.stringify(subjects.subjectNodeState)}`,
    });
    queues.push(jobQueue, nodeQueue);
    counters.push(jobs.counter, nodes.counter);
    client.subscribe(subjects.subjectJobEvent, async (data) => void await jobQueue.push(data));
    client.subscribe(subjects.subjectNodeState, async (data) => void await nodeQueue.push(data));
    log.warn(
      `NATS: jobs are started and stopped by messages on ${
        JSON.stringify(subjects.subjectJobEvent)
      } and node states updated by ${JSON.stringify(subjects.subjectNodeState)}; ` +
        "the messages are not authenticated: anyone who may publish there on the broker can do it",
    );
  }

  for (const sub of options.ingestor ? options.metricSubscriptions ?? [] : []) {
    const handler = new MetricMessageHandler({
      subject: sub.subscribeTo,
      clusterTag: sub.clusterTag,
      ingestor: options.ingestor!,
      now,
    });
    counters.push(handler.counter);
    client.subscribe(sub.subscribeTo, (data) => handler.handle(data));
    log.info(
      `NATS: metrics on ${JSON.stringify(sub.subscribeTo)} go to the metric store ` +
        `(default cluster ${JSON.stringify(sub.clusterTag ?? "")})`,
    );
  }

  const stats = (): NatsStats => ({
    address: client.address,
    connection: client.state,
    reconnects: client.reconnects,
    pendingStops: jobs?.pendingStops ?? 0,
    subjects: counters.map((c) => structuredClone(c.stats)),
  });
  const unregister = registerNatsStats(stats);
  const stop = async () => {
    await client.close();
    await Promise.all(queues.map((q) => q.drain()));
    jobs?.flush();
    unregister();
    for (const s of stats().subjects) {
      log.info(
        `NATS ${s.kind} on ${JSON.stringify(s.subject)}: ${s.messages} message(s), ` +
          `${s.accepted} accepted, ${s.rejected} rejected, ${s.ignored} ignored`,
      );
    }
  };
  let stopping: Promise<void> | undefined;

  return {
    name: "nats",
    stats,
    connected: () => client.connected(),
    stop: () => stopping ??= stop(),
  };
}
