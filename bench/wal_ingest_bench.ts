/**
 * The WAL's cost on ingest: line-protocol batches posted over HTTP by a
 * separate process to the store's write route, without and with the
 * checkpoint journal (WAL records flushed every second to a temp dir).
 * Where the Debian package `victoria-metrics` is installed, the same input
 * is posted to its InfluxDB `/write` endpoint and the ratio printed, with 2
 * requests in flight and then (with the WAL) with 1 and with 8, and with
 * batches of 1,000 lines.
 *
 * Usage: deno run -A bench/wal_ingest_bench.ts [batches] [lines per batch] [in flight]
 * (the client role: `--client <url> <batches> <lines per batch> <concurrency>`).
 *
 * @module
 */
import process from "node:process";
import { Http1Connection } from "./http1_client.ts";
import { processCpuSeconds, threadCpuSeconds, threadDelta } from "./process_cpu.ts";
import { Ingestor, MemoryStore } from "../server/metricstore/mod.ts";
import { Checkpointer } from "../server/metricstore/checkpointer.ts";
import { benchRegistry, ingestBatches, serveMetricStore } from "./ingest_input.ts";

interface ClientReport {
  lines: number;
  seconds: number;
  /** CPU seconds of the client process (user + system). */
  cpuSeconds: number;
}

/**
 * Runs the client; `onTimedStart` is called when its warm-up is over (it
 * prints a line then), so the caller can take CPU readings of the timed part.
 */
async function runClientProcess(
  url: string,
  batches: number,
  linesPerBatch: number,
  concurrency: number,
  onTimedStart: () => void = () => {},
): Promise<ClientReport> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL(import.meta.url).pathname,
      "--client",
      url,
      String(batches),
      String(linesPerBatch),
      String(concurrency),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let out = "";
  for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
    const before = out;
    out += chunk;
    if (!before.includes("timed\n") && out.includes("timed\n")) onTimedStart();
  }
  const status = await child.status;
  if (!status.success) throw new Error(`ingest client failed with code ${status.code}`);
  return JSON.parse(out.slice(out.indexOf("timed\n") + 6)) as ClientReport;
}

/** Ingest rate over HTTP into a store, with or without the checkpoint journal. */
async function ingestRun(
  withWal: boolean,
  options: { batches: number; linesPerBatch: number; concurrency: number },
): Promise<{ pointsPerSecond: number; walBytes: number; dropped: number; cpu: string }> {
  const store = new MemoryStore(benchRegistry(10));
  const ingestor = new Ingestor(store);
  const dir = await Deno.makeTempDir({ prefix: "cc-wal-bench-" });
  const checkpointer = new Checkpointer(store, {
    directory: dir,
    format: "wal",
    intervalSeconds: 3600,
    retentionSeconds: 86400,
  });
  if (withWal) {
    ingestor.setSampleSink(checkpointer.journal);
    checkpointer.journal.start();
  }
  // As the server does: large bodies are parsed on the parse worker.
  const server = await serveMetricStore(store, ingestor);
  try {
    let before = process.cpuUsage();
    let threadsBefore = threadCpuSeconds("self");
    // WAL bytes of the warm-up (written during its pause), not counted.
    let walBytesBefore = 0;
    const report = await runClientProcess(
      `http://127.0.0.1:${server.port}/api/write`,
      options.batches,
      options.linesPerBatch,
      options.concurrency,
      () => {
        before = process.cpuUsage();
        threadsBefore = threadCpuSeconds("self");
        walBytesBefore = checkpointer.journal.bytesWritten;
      },
    );
    const used = process.cpuUsage(before);
    const threads = threadDelta(threadsBefore, threadCpuSeconds("self"), 0.02);
    await checkpointer.journal.close();
    if (store.points === 0) throw new Error("the store received nothing");
    // Per million points in the timed part: the server's CPU (every thread) and the client's.
    const perMillion = (seconds: number) => (seconds / (report.lines / 1e6)).toFixed(2);
    return {
      cpu: `server ${perMillion((used.user + used.system) / 1e6)} s (${
        threads.map(([name, s]) => `${name} ${perMillion(s)}`).join(", ")
      }), client ${perMillion(report.cpuSeconds)} s, wall ${perMillion(report.seconds)} s ` +
        "per M points",
      pointsPerSecond: report.lines / report.seconds,
      walBytes: checkpointer.journal.bytesWritten - walBytesBefore,
      dropped: checkpointer.journal.dropped,
    };
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

function findProgram(name: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
    } catch {
      // not in this directory
    }
  }
  return null;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** The same input into VictoriaMetrics' InfluxDB endpoint; null when it is not installed. */
async function victoriaMetricsRun(
  options: { batches: number; linesPerBatch: number; concurrency: number },
): Promise<{ pointsPerSecond: number; cpuPerMillion: number } | null> {
  const program = findProgram("victoria-metrics");
  if (program === null) return null;
  const dir = await Deno.makeTempDir({ prefix: "cc-vm-bench-" });
  const port = freePort();
  const child = new Deno.Command(program, {
    args: [`-storageDataPath=${dir}`, `-httpListenAddr=127.0.0.1:${port}`, "-loggerLevel=ERROR"],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        await res.body?.cancel();
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error("victoria-metrics did not start within 30 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    // CPU seconds of the VictoriaMetrics process, from /proc (user + system ticks, 100/s).
    const cpuSeconds = () => {
      const { user, sys } = processCpuSeconds(child.pid);
      return user + sys;
    };
    let before = cpuSeconds();
    const report = await runClientProcess(
      `http://127.0.0.1:${port}/write`,
      options.batches,
      options.linesPerBatch,
      options.concurrency,
      () => before = cpuSeconds(),
    );
    return {
      pointsPerSecond: report.lines / report.seconds,
      cpuPerMillion: (cpuSeconds() - before) / (report.lines / 1e6),
    };
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
}

/** Ingest rate without and with the WAL (and of VictoriaMetrics where installed). */
export async function benchCheckpointIngest(
  options: {
    batches?: number;
    linesPerBatch?: number;
    concurrency?: number;
    /** Further numbers of requests in flight to compare with VictoriaMetrics (default 1 and 8). */
    alsoInFlight?: number[];
    /** Also compare batches of 1,000 lines (default true). */
    alsoSmallBatches?: boolean;
  } = {},
): Promise<{ overhead: number }> {
  const o = {
    batches: options.batches ?? 400,
    linesPerBatch: options.linesPerBatch ?? 10_000,
    concurrency: options.concurrency ?? 2,
  };
  // Alternate the runs (ours without and with WAL, VictoriaMetrics) so that machine noise
  // hits all of them alike; report the best of each.
  const plain: number[] = [];
  const wal: number[] = [];
  const vms: number[] = [];
  let walBytes = 0;
  let dropped = 0;
  let vmInstalled = true;
  let vmCpu = 0;
  let cpu = "";
  for (let round = 0; round < 3; round++) {
    const p = await ingestRun(false, o);
    plain.push(p.pointsPerSecond);
    const w = await ingestRun(true, o);
    wal.push(w.pointsPerSecond);
    cpu = `without WAL ${p.cpu}; with WAL ${w.cpu}`;
    walBytes = w.walBytes;
    dropped += w.dropped;
    const vm = vmInstalled ? await victoriaMetricsRun(o) : null;
    if (vm === null) vmInstalled = false;
    else {
      vms.push(vm.pointsPerSecond);
      vmCpu = vm.cpuPerMillion;
    }
  }
  const best = (xs: number[]) => Math.max(...xs);
  const overhead = 1 - best(wal) / best(plain);
  const lines = o.batches * o.linesPerBatch;
  const rates = (xs: number[]) => xs.map((x) => (x / 1e6).toFixed(2)).join(", ");
  console.log(
    `checkpoint: ingest over HTTP (${o.batches} batches of ${o.linesPerBatch} lines, ` +
      `${o.concurrency} in flight, best of 3): without WAL ${(best(plain) / 1e6).toFixed(2)} M ` +
      `points/s, with WAL ${(best(wal) / 1e6).toFixed(2)} M points/s ` +
      `(${(walBytes / lines).toFixed(1)} WAL bytes/point, ${dropped} records dropped) = ` +
      `${(overhead * 100).toFixed(1)} % WAL overhead`,
  );
  console.log(`  rounds (M points/s): without WAL ${rates(plain)}; with WAL ${rates(wal)}`);
  console.log(`  CPU in the last round: ${cpu}`);
  if (!vmInstalled) {
    console.log(
      "checkpoint: victoria-metrics is not installed (apt-get install victoria-metrics) - " +
        "no comparison",
    );
  } else {
    const vm = best(vms);
    console.log(
      `checkpoint: victoria-metrics /write with the same input, in the same rounds: ` +
        `${(vm / 1e6).toFixed(2)} M points/s (rounds ${rates(vms)}); ` +
        `cc-backend (Deno) with WAL / victoria-metrics = ${(best(wal) / vm).toFixed(2)}, ` +
        `without WAL ${(best(plain) / vm).toFixed(2)}`,
    );
    console.log(`  victoria-metrics CPU in the last round: ${vmCpu.toFixed(2)} s per M points`);
    for (const concurrency of options.alsoInFlight ?? [1, 8]) {
      await compareInFlight({ ...o, concurrency });
    }
    // The smallest batches the target names: per-request costs weigh ten times as much.
    if (options.alsoSmallBatches ?? true) {
      const points = o.batches * o.linesPerBatch;
      await compareInFlight({ ...o, linesPerBatch: 1000, batches: Math.round(points / 1000) });
    }
  }
  return { overhead };
}

/**
 * Ours with the WAL against VictoriaMetrics with `concurrency` requests in
 * flight: 1 shows the latency of a request, 8 the capacity when both have
 * more requests than cores.
 */
async function compareInFlight(
  o: { batches: number; linesPerBatch: number; concurrency: number },
): Promise<void> {
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < 3; round++) {
    ours.push((await ingestRun(true, o)).pointsPerSecond);
    const vm = await victoriaMetricsRun(o);
    if (vm === null) return;
    theirs.push(vm.pointsPerSecond);
  }
  const rates = (xs: number[]) => xs.map((x) => (x / 1e6).toFixed(2)).join(", ");
  const best = (xs: number[]) => Math.max(...xs);
  console.log(
    `checkpoint: ${o.linesPerBatch} lines per batch, ${o.concurrency} in flight, best of 3: ` +
      `with WAL ${(best(ours) / 1e6).toFixed(2)} M points/s (rounds ${
        rates(ours)
      }), victoria-metrics ${(best(theirs) / 1e6).toFixed(2)} ` +
      `(rounds ${rates(theirs)}); ratio ${(best(ours) / best(theirs)).toFixed(2)}, per round ${
        ours.map((x, i) => (x / theirs[i]).toFixed(2)).join(", ")
      }`,
  );
}

/** The client process: posts pre-built batches with advancing timestamps. */
async function runClient(
  url: string,
  batches: number,
  linesPerBatch: number,
  concurrency: number,
) {
  const input = ingestBatches(linesPerBatch);
  const hostGroups = input.groups;
  const target = new URL(url);
  const path = target.pathname + target.search;
  // A lean keep-alive client per request in flight (see http1_client.ts): fetch would take
  // CPU from the servers measured on the same two cores.
  const connections: Http1Connection[] = [];
  for (let i = 0; i < concurrency; i++) connections.push(await Http1Connection.open(url));
  let lines = 0;
  const post = async (i: number, conn = connections[0]) => {
    const { body, lines: batchLines } = input.batch(i);
    const res = await conn.request("POST", path, {}, body);
    if (res.status < 200 || res.status > 299) {
      throw new Error(`POST ${url}: ${res.status} ${res.body}`);
    }
    lines += batchLines;
  };
  // Posts batches [from, to), one request in flight per connection.
  const run = async (from: number, to: number) => {
    let next = from;
    const worker = async (conn: Http1Connection) => {
      for (;;) {
        const i = next++;
        if (i >= to) return;
        await post(i, conn);
      }
    };
    await Promise.all(connections.map(worker));
  };
  // Warm-up, not timed: one batch per host group creates every series; then as many
  // batches as the timed part, so that the server's buffers and pools have grown as in
  // a long-running server (the WAL journal, for one, keeps as many sample chunks as a
  // flush interval needs); then a pause of 2.5 WAL flush intervals (1 s) lets the
  // server write everything and create every WAL file.
  for (let i = 0; i < hostGroups; i++) await post(i);
  await run(hostGroups, hostGroups + batches);
  await new Promise((resolve) => setTimeout(resolve, 2500));
  console.log("timed");
  const cpuBefore = process.cpuUsage();
  lines = 0;
  const first = hostGroups + batches;
  const start = performance.now();
  await run(first, first + batches);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  for (const conn of connections) conn.close();
  console.log(JSON.stringify({ lines, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
}

if (import.meta.main) {
  const [mode, ...rest] = Deno.args;
  if (mode === "--client") {
    const [url, batches, lines, concurrency] = rest;
    await runClient(url, Number(batches), Number(lines), Number(concurrency));
  } else {
    await benchCheckpointIngest({
      batches: Number(mode ?? 400),
      linesPerBatch: Number(rest[0] ?? 10_000),
      concurrency: Number(rest[1] ?? 2),
    });
  }
}
