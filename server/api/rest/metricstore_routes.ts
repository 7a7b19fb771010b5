/**
 * The metric-store routes (each with and without trailing slash):
 *
 * - `POST /api/write?cluster=<default>`: line protocol, parsed on the parse
 *   worker when the body is large and declares its length, else streamed
 *   in-process (the results are the same). Answers 200
 *   with `{"accepted": n, "rejected": [{"line", "reason"}...], "rejectedTotal": m}`
 *   (cc-backend answers an empty 200 and 400 for some bad lines; clients
 *   only look at the status). Bad lines never cost the good ones.
 * - `POST /api/free?to=<unix>` with `[["cluster","host"],...]`: frees older
 *   buffers, answers `buffers freed: N\n`. A non-integer `to` is a 400
 *   (cc-backend: 500).
 * - `GET /api/debug?selector=a:b:c`: JSON dump of the level tree.
 * - `GET|POST /api/query`: cc-metric-store's query API. Deno.serve drops
 *   the body of a GET request, so behind Deno.serve a GET arrives empty and
 *   gets 400 `EOF`; POST carries the same body.
 *
 * `/api/healthcheck` belongs to node states in cc-backend; the metric health
 * query is in-process only (`healthCheck` in server/metricstore).
 *
 * @module
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { AppError } from "../../errors.ts";
import { log } from "../../log/logger.ts";
import {
  API_QUERY_REQUEST_SCHEMA,
  type APIQueryRequest,
  bodyReadError,
  debugDump,
  encodeQueryResponse,
  fetchData,
  type Ingestor,
  type IngestResult,
  type MemoryStore,
  PARALLEL_MIN_BYTES,
  type ParallelIngestor,
} from "../../metricstore/mod.ts";
import type { ApiEnv } from "./api_env.ts";
import { type BodySchema, readJson } from "./read_json.ts";

/** What the routes work on. */
export interface MetricStoreRouteDeps {
  store: MemoryStore;
  ingestor: Ingestor;
  /** Parses large bodies on a worker thread; absent: everything in-process. */
  parallel?: ParallelIngestor | null;
  /** Clock in unix seconds (receive time of lines without timestamp). */
  now?: () => number;
}

/**
 * Largest body read whole for the parse worker (it is held twice meanwhile:
 * the bytes and the parsed samples); larger ones are streamed in-process.
 */
const PARALLEL_MAX_BYTES = 32 * 1024 * 1024;

const FREE_SCHEMA: BodySchema = {
  type: "array",
  items: { type: "array", items: { type: "string" } },
};

/** The routes, to be mounted under `/api`; every route carries `options.guard`. */
export function metricStoreRoutes(
  deps: MetricStoreRouteDeps,
  options: { guard: MiddlewareHandler<ApiEnv> },
): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const both = (path: string) => [path, `${path}/`];

  const write = async (c: Context<ApiEnv>) => {
    const options = { cluster: c.req.query("cluster") ?? "", now: now() };
    const declared = Number(c.req.header("Content-Length") ?? NaN);
    let result: IngestResult;
    if (deps.parallel && declared >= PARALLEL_MIN_BYTES && declared <= PARALLEL_MAX_BYTES) {
      // Parsed on the worker, read into a buffer it handed back (see ingestBody).
      result = await deps.parallel.ingestBody(c.req.raw.body, options, declared);
    } else {
      // Streamed: a body of any size is stored chunk by chunk without being held whole.
      const stream = deps.ingestor.begin(options);
      const body = c.req.raw.body;
      try {
        if (body !== null) { for await (const chunk of body) stream.push(chunk); }
      } catch (error) {
        // The lines before the break are stored, as a bad line does not cost the good ones.
        throw bodyReadError(error);
      }
      result = stream.finish();
    }
    if (result.rejectedTotal > 0) {
      const first = result.rejected[0];
      log.warn(
        `metric write: ${result.rejectedTotal} lines rejected, ${result.accepted} accepted ` +
          `(first: line ${first.line}: ${first.reason})`,
      );
    }
    return c.json(result);
  };

  const free = async (c: Context<ApiEnv>) => {
    const to = c.req.query("to");
    if (to === undefined || to === "") {
      throw new AppError(400, "'to' is a required query parameter");
    }
    if (!/^-?\d+$/.test(to) || !Number.isSafeInteger(Number(to))) {
      throw new AppError(400, `'to' must be an integer unix time (got ${JSON.stringify(to)})`);
    }
    const selectors = await readJson<string[][]>(c, FREE_SCHEMA, "free: decoding request failed");
    let freed = 0;
    for (const selector of selectors) freed += deps.store.free(selector, Number(to));
    return c.text(`buffers freed: ${freed}\n`);
  };

  const debug = (c: Context<ApiEnv>) => {
    const raw = c.req.query("selector") ?? "";
    const path = raw === "" ? [] : raw.split(":");
    const dump = debugDump(deps.store, path);
    if (dump === undefined) throw new AppError(400, `not found: [${path.join(" ")}]`);
    return c.body(JSON.stringify(dump, null, "\t") + "\n", 200, {
      "Content-Type": "application/json",
    });
  };

  const query = async (c: Context<ApiEnv>) => {
    const req = await readJson<APIQueryRequest>(
      c,
      API_QUERY_REQUEST_SCHEMA as unknown as BodySchema,
      "query: decoding request failed",
    );
    const bytes = encodeQueryResponse(fetchData(deps.store, req));
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "Content-Type": "application/json" });
  };

  for (const path of both("/write")) app.post(path, options.guard, write);
  for (const path of both("/free")) app.post(path, options.guard, free);
  for (const path of both("/debug")) app.get(path, options.guard, debug);
  for (const path of both("/query")) app.on(["GET", "POST"], path, options.guard, query);
  return app;
}
