/**
 * Metric-store benchmarks:
 *
 * - ingest: line-protocol batches posted over HTTP by a separate `deno run`
 *   process (a lean keep-alive client) to a real server (Deno.serve + the
 *   metric-store routes with the parse worker, as `-server` runs them) on
 *   127.0.0.1, without WAL. Target ≥ 1.2 million points/s on 2 cores.
 * - memory: bytes per stored point in steady state (24 h retention at a
 *   60 s timestep, before and after a retention pass), by the store's
 *   accounting and as measured (live heap + ArrayBuffers; run with
 *   `--v8-flags=--expose-gc`). Target ≤ 9 bytes/point.
 * - query: a 64-node, 24-hour, 10-metric job at native and resampled
 *   resolution through `fetchData` and the JSON encoder. Target < 50 ms.
 *
 * Usage: deno run -A bench/metricstore_bench.ts [ingest|memory|query|all]
 * (the client role: `--client <port> <batches> <lines per batch> <concurrency>`).
 *
 * @module
 */
import {
  type APIQueryRequest,
  encodeQueryResponse,
  fetchData,
  Ingestor,
  MemoryStore,
  runRetention,
} from "../server/metricstore/mod.ts";
import { Http1Connection } from "./http1_client.ts";
import {
  benchRegistry,
  ingestBatches,
  NODE_METRICS,
  serveMetricStore,
  T0,
  THREAD_METRICS,
  THREADS,
} from "./ingest_input.ts";

/** Ingest rate over HTTP from a separate process. */
export async function benchMetricStoreIngest(
  options: { batches?: number; linesPerBatch?: number; concurrency?: number } = {},
): Promise<{ pointsPerSecond: number }> {
  const batches = options.batches ?? 400;
  const linesPerBatch = options.linesPerBatch ?? 10_000;
  const concurrency = options.concurrency ?? 2;
  const store = new MemoryStore(benchRegistry(10));
  const ingestor = new Ingestor(store);
  // As the server does: large bodies are parsed on the parse worker.
  const server = await serveMetricStore(store, ingestor);
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL(import.meta.url).pathname,
        "--client",
        String(server.port),
        String(batches),
        String(linesPerBatch),
        String(concurrency),
      ],
      stdout: "piped",
      stderr: "inherit",
    });
    const out = await child.output();
    if (!out.success) throw new Error(`ingest client failed with code ${out.code}`);
    const report = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      lines: number;
      accepted: number;
      seconds: number;
    };
    const pointsPerSecond = Math.round(report.accepted / report.seconds);
    console.log(
      `ingest: ${report.accepted} of ${report.lines} points in ${
        report.seconds.toFixed(2)
      } s over HTTP ` +
        `(${batches} batches of ${linesPerBatch} lines, ${concurrency} in flight) = ` +
        `${(pointsPerSecond / 1e6).toFixed(2)} M points/s (target >= 1.2 M); store holds ` +
        `${store.points} points in ${(store.bytesInUse / 1e6).toFixed(0)} MB`,
    );
    return { pointsPerSecond };
  } finally {
    await server.stop();
  }
}

/** The client process: posts pre-built batches with advancing timestamps. */
async function runClient(
  port: number,
  batches: number,
  linesPerBatch: number,
  concurrency: number,
) {
  const input = ingestBatches(linesPerBatch);
  // One lean keep-alive connection per request in flight (see http1_client.ts).
  const connections: Http1Connection[] = [];
  for (let i = 0; i < concurrency; i++) {
    connections.push(await Http1Connection.open(`http://127.0.0.1:${port}`));
  }
  let next = 0;
  let lines = 0;
  let accepted = 0;
  const worker = async (conn: Http1Connection) => {
    for (;;) {
      const i = next++;
      if (i >= batches) return;
      const { body, lines: batchLines } = input.batch(i);
      const res = await conn.request("POST", "/api/write", {}, body);
      if (res.status !== 200) throw new Error(`POST /api/write: ${res.status} ${res.body}`);
      const result = JSON.parse(res.body) as { accepted: number };
      lines += batchLines;
      accepted += result.accepted;
    }
  };
  const start = performance.now();
  await Promise.all(connections.map(worker));
  const seconds = (performance.now() - start) / 1000;
  for (const conn of connections) conn.close();
  console.log(JSON.stringify({ lines, accepted, seconds }));
}

/** Live heap plus ArrayBuffer memory, after a full collection settled (needs --expose-gc). */
async function liveBytes(): Promise<{ live: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  // ArrayBuffer memory is released by a sweeper after the collection.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  gc?.();
  const m = Deno.memoryUsage();
  return { live: m.heapUsed + m.external };
}

/** Bytes per stored point in steady state for one buffer capacity. */
export async function benchMetricStoreMemory(
  options: { capacity?: number; hosts?: number; timestep?: number; retentionHours?: number } = {},
): Promise<{ bytesPerPoint: number; liveBytesPerPoint: number }> {
  const capacity = options.capacity ?? 512;
  const hosts = options.hosts ?? 64;
  const timestep = options.timestep ?? 60;
  const retention = (options.retentionHours ?? 24) * 3600;
  const reg = benchRegistry(timestep);
  const before = await liveBytes();
  const store = new MemoryStore(reg, { bufferCapacity: capacity });
  const levels = [];
  for (let h = 0; h < hosts; h++) {
    const host = store.ensureLevel(["bench", `n${h}`]);
    levels.push({ level: host, metrics: Array.from({ length: NODE_METRICS }, (_, m) => m) });
    for (let t = 0; t < THREADS; t++) {
      const level = store.ensureLevel(["bench", `n${h}`, `hwthread${t}`]);
      levels.push({
        level,
        metrics: Array.from({ length: THREAD_METRICS }, (_, m) => NODE_METRICS + m),
      });
    }
  }
  // 1.5 × retention of data, then retention: the store oscillates between these two states
  // (the worker runs every retention/2).
  const end = T0 + retention * 1.5;
  for (let ts = T0; ts < end; ts += timestep) {
    for (const { level, metrics } of levels) {
      for (const m of metrics) store.writeSample(level, m, ts, (ts % 977) * 0.5);
    }
  }
  const peak = await liveBytes();
  const peakPoints = store.points;
  const peakAccounted = store.bytesInUse / peakPoints;
  await runRetention(store, { now: end, retentionSeconds: retention });
  const after = await liveBytes();
  const stats = store.stats();
  const bytesPerPoint = stats.bytesInUse / stats.points;
  const liveBytesPerPoint = (after.live - before.live) / stats.points;
  const series = hosts * (NODE_METRICS + THREAD_METRICS * THREADS);
  const measured = (globalThis as { gc?: unknown }).gc
    ? `measured live heap + ArrayBuffers: ${liveBytesPerPoint.toFixed(2)} after, ` +
      `${((peak.live - before.live) / peakPoints).toFixed(2)} at 1.5 × retention`
    : "measured: n/a (run with --v8-flags=--expose-gc)";
  console.log(
    `memory (full buffers of ${capacity}, ${series} series, ${timestep} s, ${
      retention / 3600
    } h retention): ` +
      `store.bytesInUse/points = ${
        bytesPerPoint.toFixed(2)
      } after retention (${stats.points} points, ` +
      `${(stats.bytesInUse / 1e6).toFixed(1)} MB), ${
        peakAccounted.toFixed(2)
      } at 1.5 × retention ` +
      `(target <= 9); ${measured}`,
  );
  return { bytesPerPoint, liveBytesPerPoint };
}

/** Query time of a 64-node, 24-hour, 10-metric job, native and resampled. */
export function benchMetricStoreQuery(): { nativeMs: number; resampledMs: number } {
  const timestep = 60;
  const store = new MemoryStore(benchRegistry(timestep));
  const hosts = 64;
  const end = T0 + 24 * 3600;
  for (let h = 0; h < hosts; h++) {
    const level = store.ensureLevel(["bench", `n${h}`]);
    for (let ts = T0; ts < end; ts += timestep) {
      for (let m = 0; m < NODE_METRICS; m++) store.writeSample(level, m, ts, (ts % 977) * 0.5 + m);
    }
  }
  const request = (resolution: number): APIQueryRequest => ({
    cluster: "bench",
    from: T0,
    to: end,
    "with-stats": true,
    "with-data": true,
    "with-padding": true,
    queries: Array.from({ length: hosts * NODE_METRICS }, (_, i) => ({
      metric: `node_m${i % NODE_METRICS}`,
      host: `n${Math.floor(i / NODE_METRICS)}`,
      resolution,
    })),
  });
  const time = (resolution: number) => {
    let best = Infinity;
    let bytes = 0;
    let fetchMs = 0;
    for (let rep = 0; rep < 7; rep++) {
      const t = performance.now();
      const res = fetchData(store, request(resolution));
      const t1 = performance.now();
      bytes = encodeQueryResponse(res).length;
      const total = performance.now() - t;
      if (total < best) {
        best = total;
        fetchMs = t1 - t;
      }
    }
    return { best, bytes, fetchMs };
  };
  const native = time(0);
  const resampled = time(600);
  console.log(
    `query (64 nodes × 10 metrics × 24 h at ${timestep} s = ${
      hosts * NODE_METRICS * 1440
    } points): ` +
      `native ${native.best.toFixed(1)} ms (read ${native.fetchMs.toFixed(1)} ms + JSON, ` +
      `${(native.bytes / 1e6).toFixed(1)} MB), resampled to 600 s ${
        resampled.best.toFixed(1)
      } ms ` +
      `(${(resampled.bytes / 1e6).toFixed(2)} MB) (target < 50 ms)`,
  );
  return { nativeMs: native.best, resampledMs: resampled.best };
}

/** Every metric-store benchmark. */
export async function benchMetricStore(): Promise<void> {
  await benchMetricStoreIngest({ batches: 400, linesPerBatch: 10_000 });
  await benchMetricStoreIngest({ batches: 2000, linesPerBatch: 1_000, concurrency: 4 });
  await benchMetricStoreMemory();
  benchMetricStoreQuery();
}

if (import.meta.main) {
  const [mode, ...rest] = Deno.args;
  if (mode === "--client") {
    const [port, batches, lines, concurrency] = rest.map(Number);
    await runClient(port, batches, lines, concurrency);
  } else if (mode === "ingest") {
    await benchMetricStoreIngest({
      batches: Number(rest[0] ?? 400),
      linesPerBatch: Number(rest[1] ?? 10_000),
      concurrency: Number(rest[2] ?? 2),
    });
  } else if (mode === "memory") {
    await benchMetricStoreMemory({
      capacity: Number(rest[0] ?? 512),
      timestep: Number(rest[1] ?? 60),
    });
  } else if (mode === "query") {
    benchMetricStoreQuery();
  } else {
    await benchMetricStore();
  }
}
