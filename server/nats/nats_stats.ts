/**
 * Counters of the NATS subscriptions: what arrived, what was handled, what
 * was rejected and why. Every rejection is also logged; the counters let an
 * operator (or a test) see totals without reading the log. `natsStats()`
 * returns the counters of every NATS API running in this process.
 *
 * @module
 */
import { log } from "../log/logger.ts";

/** What a subscription carries. */
export type SubjectKind = "job-events" | "node-states" | "metrics";

/** Counters of one subscription. */
export interface SubjectStats {
  subject: string;
  kind: SubjectKind;
  /** Cluster of lines without a `cluster` tag (metric subscriptions only). */
  clusterTag?: string;
  /** NATS messages received. */
  messages: number;
  /** Events handled (job starts and stops, node-state updates) or metric samples stored. */
  accepted: number;
  /** Lines (or whole messages, e.g. empty ones) rejected; each is logged with its reason. */
  rejected: number;
  /** Lines not meant for this subject (another measurement, no `event` field). */
  ignored: number;
  /** `stop_job` events that found no job and were retried later (job events only). */
  retried: number;
  /** The latest rejection. */
  lastRejection?: { reason: string; at: string };
}

/** The connection state of a NATS API. */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "closed";

/** A snapshot of one running NATS API. */
export interface NatsStats {
  /** The configured `nats.address`. */
  address: string;
  connection: ConnectionState;
  /** Reconnects since the first connection. */
  reconnects: number;
  /** `stop_job` events waiting for their job to start. */
  pendingStops: number;
  subjects: SubjectStats[];
}

/** Mutable counters of one subscription with logging helpers. */
export class SubjectCounter {
  readonly stats: SubjectStats;
  readonly #label: string;

  constructor(subject: string, kind: SubjectKind, options: { clusterTag?: string } = {}) {
    this.stats = {
      subject,
      kind,
      messages: 0,
      accepted: 0,
      rejected: 0,
      ignored: 0,
      retried: 0,
    };
    if (options.clusterTag !== undefined) this.stats.clusterTag = options.clusterTag;
    this.#label = `NATS ${kind.replace("-", " ").replace(/s$/, "")} on ${JSON.stringify(subject)}`;
  }

  /** Counts and logs (warning) a rejected line or message; `count` lines at once. */
  reject(reason: string, options: { count?: number; level?: "warn" | "error" } = {}): void {
    this.stats.rejected += options.count ?? 1;
    this.stats.lastRejection = { reason, at: new Date().toISOString() };
    const text = `${this.#label} rejected: ${reason} (${this.stats.rejected} rejected so far)`;
    if (options.level === "error") log.error(text);
    else log.warn(text);
  }

  /** Counts and logs (debug) an ignored line. */
  ignore(reason: string): void {
    this.stats.ignored++;
    log.debug(`${this.#label} ignored: ${reason}`);
  }
}

const running = new Set<() => NatsStats>();

/** Registers a running API's snapshot function; returns the function that unregisters it. */
export function registerNatsStats(snapshot: () => NatsStats): () => void {
  running.add(snapshot);
  return () => running.delete(snapshot);
}

/** Snapshots of every NATS API running in this process (empty when NATS is off). */
export function natsStats(): NatsStats[] {
  return [...running].map((snapshot) => snapshot());
}
