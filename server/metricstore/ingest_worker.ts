/**
 * The parse worker of the metric store: line protocol in, a
 * {@link ParsedBody} out, one reply per request in order. It runs the same
 * {@link Ingestor} as the main thread into a {@link ParseRecorder}, so every
 * rule and message of ingestion is the same on both paths.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type IngestOptions, Ingestor } from "./ingest.ts";
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
   * A body in one or more parts (its chunks as read); `spare`: the sample
   * buffer of a body answered before, for reuse.
   */
  | {
    type: "body";
    parts: Uint8Array[];
    options: IngestOptions;
    spare?: ArrayBuffer;
  };

/** What the worker answers, one reply per request. */
export type IngestWorkerReply =
  | { type: "ready" }
  | { type: "parsed"; body: WireBody }
  | { type: "failed"; error: string };

let recorder: ParseRecorder | undefined;
let ingestor: Ingestor<StandInLevel> | undefined;

function handle(request: IngestWorkerRequest): IngestWorkerReply {
  if (request.type === "init") {
    recorder = new ParseRecorder(new MetricRegistry(request.metrics), {
      maxStandIns: request.maxStandIns,
    });
    ingestor = new Ingestor(recorder);
    return { type: "ready" };
  }
  if (!recorder || !ingestor) throw new Error("the parse worker has not been initialised");
  if (request.spare !== undefined) recorder.recycle(sampleArraysOf(request.spare));
  recorder.begin();
  const stream = ingestor.begin(request.options);
  for (const part of request.parts) stream.push(part);
  return { type: "parsed", body: toWire(recorder.take(stream.finish())) };
}

self.onmessage = (event: MessageEvent<IngestWorkerRequest>) => {
  let reply: IngestWorkerReply;
  try {
    reply = handle(event.data);
  } catch (error) {
    reply = { type: "failed", error: error instanceof Error ? error.message : String(error) };
  }
  if (reply.type === "parsed") {
    self.postMessage(reply, [reply.body.samples]);
  } else {
    self.postMessage(reply);
  }
};
