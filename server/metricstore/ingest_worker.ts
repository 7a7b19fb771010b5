/**
 * The parse worker of the metric store: line protocol in, a
 * {@link ParsedBody} out, one reply per request in order. It runs the same
 * {@link Ingestor} as the main thread into a {@link ParseRecorder}, so every
 * rule and message of ingestion is the same on both paths.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type IngestOptions, Ingestor, type IngestStream } from "./ingest.ts";
import { type Aggregation, MetricRegistry } from "./metric_registry.ts";
import {
  ParseRecorder,
  sampleArraysOf,
  type StandInLevel,
  toWire,
  type WireBody,
} from "./parsed_body.ts";

/** What the main thread sends. */
export type IngestWorkerRequest =
  | {
    type: "init";
    metrics: { name: string; frequency: number; aggregation: Aggregation }[];
    maxStandIns?: number;
  }
  /**
   * Parts of body `id` (its chunks as read), with `options` on its first
   * message and `last` on its final one; `spare`: the sample buffer of a
   * body answered before, for reuse. Bodies are parsed one at a time, in the
   * order of their first messages (not necessarily the order the main
   * thread registered them); the parts of the others wait.
   */
  | {
    type: "part";
    id: number;
    parts: Uint8Array[];
    options?: IngestOptions;
    last: boolean;
    spare?: ArrayBuffer;
  };

/**
 * What the worker answers: `ready` to init, then one reply per body (in the
 * order it parsed them: the order of their first parts).
 */
export type IngestWorkerReply =
  | { type: "ready" }
  | { type: "parsed"; id: number; body: WireBody }
  | { type: "failed"; error: string };

let recorder: ParseRecorder | undefined;
let ingestor: Ingestor<StandInLevel> | undefined;

/** A body whose parts arrive: waiting (`stream` undefined) or being parsed. */
interface Body {
  options: IngestOptions;
  parts: Uint8Array[];
  ended: boolean;
  stream?: IngestStream;
}
/** Bodies in the order of their first parts; the first is being parsed. */
const bodies = new Map<number, Body>();

function reply(message: IngestWorkerReply): void {
  if (message.type === "parsed") self.postMessage(message, [message.body.samples]);
  else self.postMessage(message);
}

function part(request: Extract<IngestWorkerRequest, { type: "part" }>): void {
  if (!recorder || !ingestor) throw new Error("the parse worker has not been initialised");
  if (request.spare !== undefined) recorder.recycle(sampleArraysOf(request.spare));
  let body = bodies.get(request.id);
  if (body === undefined) {
    body = {
      options: request.options ?? { now: Math.floor(Date.now() / 1000) },
      parts: [],
      ended: false,
    };
    bodies.set(request.id, body);
  }
  if (body.stream !== undefined) { for (const p of request.parts) body.stream.push(p); }
  else body.parts.push(...request.parts);
  body.ended = request.last;
  // Parse the oldest bodies as far as their parts have come.
  for (const [id, next] of bodies) {
    if (next.stream === undefined) {
      recorder.begin();
      next.stream = ingestor.begin(next.options);
      for (const p of next.parts) next.stream.push(p);
      next.parts = [];
    }
    if (!next.ended) return;
    bodies.delete(id);
    reply({ type: "parsed", id, body: toWire(recorder.take(next.stream.finish())) });
  }
}

self.onmessage = (event: MessageEvent<IngestWorkerRequest>) => {
  const request = event.data;
  try {
    if (request.type === "init") {
      recorder = new ParseRecorder(new MetricRegistry(request.metrics), {
        maxStandIns: request.maxStandIns,
      });
      ingestor = new Ingestor(recorder);
      reply({ type: "ready" });
    } else {
      part(request);
    }
  } catch (error) {
    reply({ type: "failed", error: error instanceof Error ? error.message : String(error) });
  }
};
