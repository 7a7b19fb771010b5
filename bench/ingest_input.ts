/**
 * The synthetic line-protocol input the metric-store benchmarks share: a
 * metric registry (node and hwthread metrics) and batches of lines built from
 * a few templates whose 10-digit timestamps are patched in place, so that the
 * client spends its time sending, not formatting.
 *
 * @module
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { ApiEnv } from "../server/api/rest/api_env.ts";
import { apiErrorHandler } from "../server/api/rest/error_body.ts";
import { metricStoreRoutes } from "../server/api/rest/metricstore_routes.ts";
import {
  type Ingestor,
  type MemoryStore,
  MetricRegistry,
  ParallelIngestor,
} from "../server/metricstore/mod.ts";

/** Node-scope metrics per host. */
export const NODE_METRICS = 10;
/** Hwthread-scope metrics per host. */
export const THREAD_METRICS = 2;
/** Hardware threads per host. */
export const THREADS = 72;
/** Series (lines per timestamp) of one host. */
export const SERIES_PER_HOST = NODE_METRICS + THREAD_METRICS * THREADS;
/** The first timestamp of generated batches. */
export const T0 = 1_790_000_000;

/** The registry of the benchmark metrics at `timestep` seconds. */
export function benchRegistry(timestep: number): MetricRegistry {
  const list = [];
  for (let m = 0; m < NODE_METRICS; m++) {
    list.push({ name: `node_m${m}`, frequency: timestep, aggregation: "avg" as const });
  }
  for (let m = 0; m < THREAD_METRICS; m++) {
    list.push({ name: `thread_m${m}`, frequency: timestep, aggregation: "sum" as const });
  }
  return new MetricRegistry(list);
}

/** A guard that lets every request through (the benchmarks measure the store, not auth). */
export const noGuard: MiddlewareHandler<ApiEnv> = async function noGuard(_c, next) {
  await next();
};

/** Batch `i` of the input: distinct hosts per group, the timestep advancing per round. */
export interface IngestBatches {
  /** Host groups (one template each); batch `i` uses group `i % groups`. */
  groups: number;
  batch(i: number): { body: Uint8Array<ArrayBuffer>; lines: number };
}

/** Batches of about `linesPerBatch` lines over `groups` host groups (default 8). */
export function ingestBatches(linesPerBatch: number, groups = 8): IngestBatches {
  const encoder = new TextEncoder();
  const hostsPerBatch = Math.max(1, Math.round(linesPerBatch / SERIES_PER_HOST));
  const templates: { bytes: Uint8Array<ArrayBuffer>; stamps: number[]; lines: number }[] = [];
  for (let g = 0; g < groups; g++) {
    let text = "";
    for (let h = 0; h < hostsPerBatch; h++) {
      const host = `n${String(g * hostsPerBatch + h).padStart(4, "0")}`;
      for (let m = 0; m < NODE_METRICS; m++) {
        text += `node_m${m},cluster=bench,hostname=${host},type=node value=${
          (m * 7.31 + h).toFixed(2)
        } 0000000000\n`;
      }
      for (let m = 0; m < THREAD_METRICS; m++) {
        for (let t = 0; t < THREADS; t++) {
          text += `thread_m${m},cluster=bench,hostname=${host},type=hwthread,type-id=${t} value=${
            (t * 1.5 + m).toFixed(3)
          } 0000000000\n`;
        }
      }
    }
    const bytes = encoder.encode(text);
    const stamps: number[] = [];
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) stamps.push(i - 10);
    templates.push({ bytes, stamps, lines: stamps.length });
  }
  return {
    groups,
    batch(i) {
      const template = templates[i % groups];
      const body = template.bytes.slice();
      const ts = String(T0 + 10 * Math.floor(i / groups));
      for (const at of template.stamps) {
        for (let k = 0; k < 10; k++) body[at + k] = ts.charCodeAt(k);
      }
      return { body, lines: template.lines };
    },
  };
}

/**
 * The metric-store routes over `store` on 127.0.0.1 (a free port), with the
 * parse worker as the server has it; `stop` shuts both down.
 */
export async function serveMetricStore(
  store: MemoryStore,
  ingestor: Ingestor,
): Promise<{ port: number; stop(): Promise<void> }> {
  const parallel = await ParallelIngestor.start(store, ingestor);
  if (!parallel) throw new Error("the parse worker did not start");
  const app = new Hono<ApiEnv>();
  app.onError(apiErrorHandler);
  app.route("/api", metricStoreRoutes({ store, ingestor, parallel }, { guard: noGuard }));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  return {
    port: server.addr.port,
    async stop() {
      await server.shutdown();
      parallel.close();
    },
  };
}
