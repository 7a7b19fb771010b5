/**
 * A `metric-store.nats-subscriptions` subject: each message is a batch of
 * metric line protocol, written into the built-in store exactly as a body
 * of `POST /api/write?cluster=<cluster-tag>`.
 *
 * Unlike cc-backend (one decode channel shared by all subscriptions), each
 * subscription keeps its own `cluster-tag`.
 *
 * @module
 */
import type { Ingestor } from "../metricstore/mod.ts";
import { SubjectCounter } from "./nats_stats.ts";

/** How many rejected lines of one message are named in the log. */
const REASONS_LOGGED = 5;

/** What {@link MetricMessageHandler} works with. */
export interface MetricMessageOptions {
  subject: string;
  /** Cluster of lines without a `cluster` tag. */
  clusterTag?: string;
  ingestor: Ingestor;
  /** Clock in unix seconds: the time of lines without a timestamp. */
  now: () => number;
}

/** Handles the messages of one metric subscription. */
export class MetricMessageHandler {
  readonly counter: SubjectCounter;
  readonly #options: MetricMessageOptions;

  constructor(options: MetricMessageOptions) {
    this.counter = new SubjectCounter(options.subject, "metrics", {
      clusterTag: options.clusterTag ?? "",
    });
    this.#options = options;
  }

  /** Ingests one message. */
  handle(data: Uint8Array): void {
    this.counter.stats.messages++;
    const result = this.#options.ingestor.ingest(data, {
      cluster: this.#options.clusterTag,
      now: this.#options.now(),
      maxRejected: REASONS_LOGGED,
    });
    this.counter.stats.accepted += result.accepted;
    if (result.rejectedTotal > 0) {
      const reasons = result.rejected.map((r) => `line ${r.line}: ${r.reason}`).join("; ");
      const more = result.rejectedTotal > result.rejected.length ? "; ..." : "";
      this.counter.reject(
        `${result.rejectedTotal} line(s) of a message (${result.accepted} sample(s) stored): ` +
          reasons + more,
        { count: result.rejectedTotal },
      );
    }
  }
}
