/**
 * The parse worker of the metric store: line protocol in, a
 * {@link ParsedBody} out, one reply per request in order, sent after the
 * pieces of the body the worker sent ahead (every `pieceSamples` samples,
 * so that the main thread stores them while the rest is parsed). It runs the same
 * {@link Ingestor} as the main thread into a {@link ParseRecorder}, so every
 * rule and message of ingestion is the same on both paths.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type IngestOptions, Ingestor } from "./ingest.ts";
import { type Aggregation, MetricRegistry } from "./metric_registry.ts";
import {
  type ParsedBody,
  type ParsedPiece,
  ParseRecorder,
  sampleArraysOf,
  type StandInLevel,
  toWire,
  type Wire,
} from "./parsed_body.ts";

/** What the main thread sends. */
export type IngestWorkerRequest =
  | {
    type: "init";
    metrics: { name: string; frequency: number; aggregation: Aggregation }[];
    maxStandIns?: number;
    /** Samples per piece sent ahead. */
    pieceSamples: number;
  }
  /**
   * A body in one or more parts (its chunks as read); `spare`: sample
   * buffers of pieces and bodies answered before, for reuse.
   */
  | {
    type: "body";
    parts: Uint8Array[];
    options: IngestOptions;
    spare: ArrayBuffer[];
  };

/** What the worker answers: pieces of a body, then one reply per request. */
export type IngestWorkerReply =
  | { type: "ready" }
  | { type: "piece"; body: Wire<ParsedPiece> }
  /** `returned`: the buffers of the body's parts, for the main thread to reuse. */
  | { type: "parsed"; body: Wire<ParsedBody>; returned: ArrayBuffer[] }
  | { type: "failed"; error: string };

let recorder: ParseRecorder | undefined;
let ingestor: Ingestor<StandInLevel> | undefined;

function handle(request: IngestWorkerRequest): IngestWorkerReply {
  if (request.type === "init") {
    recorder = new ParseRecorder(new MetricRegistry(request.metrics), {
      maxStandIns: request.maxStandIns,
      pieceSamples: request.pieceSamples,
      onPiece(piece) {
        const body = toWire(piece);
        self.postMessage({ type: "piece", body } satisfies IngestWorkerReply, [body.samples]);
      },
    });
    ingestor = new Ingestor(recorder);
    return { type: "ready" };
  }
  if (!recorder || !ingestor) throw new Error("the parse worker has not been initialised");
  for (const buffer of request.spare) recorder.recycle(sampleArraysOf(buffer));
  recorder.begin();
  const stream = ingestor.begin(request.options);
  for (const part of request.parts) stream.push(part);
  const body = toWire(recorder.take(stream.finish()));
  const returned = [...new Set(request.parts.map((part) => part.buffer as ArrayBuffer))];
  return { type: "parsed", body, returned };
}

self.onmessage = (event: MessageEvent<IngestWorkerRequest>) => {
  let reply: IngestWorkerReply;
  try {
    reply = handle(event.data);
  } catch (error) {
    reply = { type: "failed", error: error instanceof Error ? error.message : String(error) };
  }
  if (reply.type === "parsed") {
    self.postMessage(reply, [reply.body.samples, ...reply.returned]);
  } else {
    self.postMessage(reply);
  }
};
