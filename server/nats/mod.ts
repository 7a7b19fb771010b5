/**
 * NATS: the job and node-state API of `main.api-subjects` and the metric
 * subscriptions of `metric-store.nats-subscriptions`, over one connection
 * from the `nats` config section. Messages are line protocol; job and node
 * events carry their JSON in the string field `event`.
 *
 * @module
 */
export { type NatsApi, type NatsApiOptions, startNatsApi } from "./nats_api.ts";
export { type MessageHandler, NatsClient, type NatsClientOptions } from "./nats_client.ts";
export { connectNats, DenoTransport } from "./deno_transport.ts";
export {
  type ConnectionState,
  type NatsStats,
  natsStats,
  type SubjectKind,
  type SubjectStats,
} from "./nats_stats.ts";
export {
  type BadLine,
  type DecodedLine,
  decodeEventLines,
  type EventLine,
  type FieldValue,
  quoteFieldString,
} from "./event_line.ts";
export { JobEventHandler, type JobEventOptions } from "./job_events.ts";
export { NodeStateHandler, type NodeStateOptions } from "./node_states.ts";
export { MetricMessageHandler, type MetricMessageOptions } from "./metric_messages.ts";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./stop_retries.ts";
