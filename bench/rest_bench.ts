/**
 * REST API benchmarks against the real server (`main.ts -server` in a temp
 * site built with `-init`, `-add-user` and `-jwt`; SQLite in WAL mode with
 * `synchronous=NORMAL`), driven over HTTP by a separate `deno run` client
 * process. The client speaks HTTP/1.1 over keep-alive connections itself
 * (http1_client.ts): with `fetch` it took a quarter of the two cores the
 * server runs on, where a batch system's clients run on other machines.
 *
 * - pairs: `start_job` + `stop_job` pairs per second with 64 requests in
 *   flight (`--in-flight=N`), and latency percentiles. Target ≥ 2,000
 *   pairs/s on 2 cores.
 * - list: `GET /api/jobs/` (first page, 25 jobs) on a generated database of
 *   1,000,000 jobs, one request at a time. Target p99 < 20 ms.
 *
 * Usage: deno run -A bench/rest_bench.ts [pairs|list|all] [--cpu-prof] [--tmpfs]
 * (pairs also takes a count and `--no-archive`). `--cpu-prof` profiles the
 * server and prints where its time went; `--tmpfs` puts the site on
 * /dev/shm, where fsync costs nothing, to separate CPU from disk. The client
 * role: `--client <json options>`.
 *
 * @module
 */
import { join } from "node:path";
import process from "node:process";
import { DatabaseSync } from "node:sqlite";
import { printProfile } from "./cpu_profile_summary.ts";
import { Http1Connection } from "./http1_client.ts";
import { generateDatabase } from "./job_database.ts";
import { processCpuSeconds, threadCpuSeconds, threadDelta } from "./process_cpu.ts";
import { copyDir, describe, editConfig, FIXTURES, MAIN, runCli } from "../tests/cli/cli_helpers.ts";

/** What the client process is asked to do. */
interface ClientOptions {
  mode: "pairs" | "list";
  base: string;
  token: string;
  /** Pairs or requests to time (after `warmup` untimed ones). */
  count: number;
  warmup: number;
  concurrency: number;
  /** `list`: the paths to request, in turn. */
  paths?: string[];
  /** `pairs`: monitoringStatus of the started jobs (0: not archived at stop). */
  monitoringStatus?: number;
}

/** What the client process reports. */
interface ClientReport {
  seconds: number;
  count: number;
  errors: string[];
  /** Milliseconds per request kind, sorted ascending. */
  latencies: Record<string, number[]>;
  /** CPU seconds the client process used (user, system), warm-up included. */
  cpu: { user: number; sys: number };
}

// ---------------------------------------------------------------- site and server

/** A site with the fixture clusters and an admin+api user; returns its token. */
async function buildSite(site: string): Promise<string> {
  // All permissions: Deno wants them for SQLite files under /dev/shm (`--tmpfs`).
  const cli = (args: string[]) => runCli(site, args, { allowAll: true });
  const init = await cli(["-init"]);
  if (init.code !== 0) throw new Error(`-init failed: ${describe(init)}`);
  const archive = join(site, "var/job-archive");
  await Deno.remove(archive, { recursive: true });
  await copyDir(join(FIXTURES, "archive"), archive);
  const added = await cli(["-add-user", "bench:admin,api:pw"]);
  if (added.code !== 0) throw new Error(`-add-user failed: ${describe(added)}`);
  const jwt = await cli(["-jwt", "bench"]);
  const token = /JWT for 'bench': (\S+)/.exec(jwt.stdout)?.[1];
  if (!token) throw new Error(`-jwt failed: ${describe(jwt)}`);
  await editConfig(site, (config) => config.main.addr = "127.0.0.1:0");
  return token;
}

/** A running server process. */
interface Server {
  base: string;
  /** CPU seconds (user, system) the server process used so far. */
  cpuSeconds(): { user: number; sys: number };
  /** CPU seconds (user + system) per thread name, for the busiest threads. */
  threadSeconds(): Map<string, number>;
  /** SIGTERM, wait; prints the profile summary when profiling. */
  stop(): Promise<void>;
}

async function startServer(site: string, options: { cpuProf: boolean }): Promise<Server> {
  const profDir = join(site, "prof");
  const flags = options.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...flags, MAIN, "-server", "-loglevel", "warn"],
    cwd: site,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const stderrDone = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) stderr += chunk;
  })();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  let match: RegExpExecArray | null = null;
  const deadline = Date.now() + 60_000;
  while (!(match = /listening at (http:\/\/\S+?)\/?\n/.exec(out)) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  const stdoutDone = (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  if (!match) {
    child.kill("SIGKILL");
    await child.status;
    throw new Error(`server did not start: ${out}\n${stderr}`);
  }
  const pid = child.pid;
  return {
    base: match[1],
    cpuSeconds: () => processCpuSeconds(pid),
    threadSeconds: () => threadCpuSeconds(pid),
    async stop() {
      child.kill("SIGTERM");
      const status = await child.status;
      await Promise.all([stdoutDone, stderrDone]);
      if (status.code !== 0) throw new Error(`server exited with ${status.code}:\n${stderr}`);
      if (stderr.trim()) console.log(`server stderr:\n${stderr.trim().slice(0, 2000)}`);
      if (options.cpuProf) await printProfile(profDir);
    },
  };
}

/** Runs the client process and returns its report. */
async function runClient(options: ClientOptions): Promise<ClientReport> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--client", JSON.stringify(options)],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`client failed with code ${output.code}`);
  return JSON.parse(new TextDecoder().decode(output.stdout)) as ClientReport;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function latencyLine(name: string, sorted: number[]): string {
  const f = (p: number) => percentile(sorted, p).toFixed(2);
  return `${name}: p50 ${f(0.5)} ms, p90 ${f(0.9)} ms, p99 ${f(0.99)} ms, ` +
    `max ${sorted[sorted.length - 1]?.toFixed(2)} ms`;
}

/** Where sites are created; `--tmpfs` puts them on /dev/shm (fsync is free there). */
let siteParent: string | undefined;

async function withTempSite<T>(fn: (site: string) => Promise<T>): Promise<T> {
  const site = Deno.realPathSync(
    await Deno.makeTempDir({ prefix: "bench-rest-", dir: siteParent }),
  );
  try {
    return await fn(site);
  } finally {
    await Deno.remove(site, { recursive: true });
  }
}

// ---------------------------------------------------------------- (a) start/stop pairs

/** start_job/stop_job pairs per second over HTTP, and their latencies. */
export async function benchStartStopPairs(
  options: { pairs?: number; concurrency?: number; cpuProf?: boolean; archive?: boolean } = {},
): Promise<{ pairsPerSecond: number; p99Ms: number }> {
  const pairs = options.pairs ?? 10_000;
  const archive = options.archive ?? true;
  const concurrency = options.concurrency ?? 64;
  return await withTempSite(async (site) => {
    const token = await buildSite(site);
    const server = await startServer(site, { cpuProf: options.cpuProf ?? false });
    let report: ClientReport;
    let cpu = { user: 0, sys: 0 };
    let threads: [string, number][] = [];
    let archiveBacklog: { left: number; seconds: number } | undefined;
    try {
      const cpuBefore = server.cpuSeconds();
      const threadsBefore = server.threadSeconds();
      report = await runClient({
        mode: "pairs",
        base: server.base,
        token,
        count: pairs,
        warmup: 1000,
        concurrency,
        monitoringStatus: archive ? 1 : 0,
      });
      const cpuAfter = server.cpuSeconds();
      cpu = { user: cpuAfter.user - cpuBefore.user, sys: cpuAfter.sys - cpuBefore.sys };
      threads = threadDelta(threadsBefore, server.threadSeconds(), 0.05);
      if (archive) archiveBacklog = await waitForArchiver(site, 120);
    } finally {
      await server.stop();
    }
    if (report.errors.length) {
      throw new Error(`${report.errors.length} failed requests, first: ${report.errors[0]}`);
    }
    const pairsPerSecond = Math.round(report.count / report.seconds);
    const pair = report.latencies.pair;
    console.log(
      `start/stop: ${report.count} pairs in ${report.seconds.toFixed(2)} s with ${concurrency} ` +
        `in flight, ${archive ? "archived at stop" : "monitoringStatus 0 (not archived)"} = ` +
        `${pairsPerSecond} pairs/s (target >= 2000)`,
    );
    for (const kind of ["start_job", "stop_job", "pair"]) {
      console.log(`  ${latencyLine(kind, report.latencies[kind])}`);
    }
    // Warm-up included: the client does not report when its timed phase began.
    const total = report.count + 1000;
    const perPair = (seconds: number) => (1000 * seconds / total).toFixed(2);
    console.log(
      `  server CPU per pair (warm-up included): ${perPair(cpu.user)} ms user + ` +
        `${perPair(cpu.sys)} ms system = at most ${Math.round(total / (cpu.user + cpu.sys))} ` +
        "pairs/s per fully used core",
    );
    console.log(
      `  server threads, ms per pair: ${
        threads.map(([name, s]) => `${name} ${perPair(s)}`).join(", ")
      }`,
    );
    console.log(
      `  client CPU per pair (warm-up included): ${perPair(report.cpu.user)} ms user + ` +
        `${perPair(report.cpu.sys)} ms system`,
    );
    if (archiveBacklog) {
      console.log(
        `  archiver: ${
          archiveBacklog.left === 0 ? "all jobs" : `all but ${archiveBacklog.left} jobs`
        } archived ${archiveBacklog.seconds.toFixed(1)} s after the client finished`,
      );
    }
    return { pairsPerSecond, p99Ms: percentile(pair, 0.99) };
  });
}

/** Waits until no job has monitoring status 1 (or `maxSeconds` pass); returns what is left. */
async function waitForArchiver(
  site: string,
  maxSeconds: number,
): Promise<{ left: number; seconds: number }> {
  const db = new DatabaseSync(join(site, "var/job.db"), { readOnly: true, timeout: 5000 });
  const t = performance.now();
  try {
    for (;;) {
      const row = db.prepare("SELECT count(*) AS n FROM job WHERE monitoring_status = 1").get();
      const left = Number(row?.n);
      const seconds = (performance.now() - t) / 1000;
      if (left === 0 || seconds > maxSeconds) return { left, seconds };
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------- (b) job list on 1M jobs

/** p50/p99 of `GET /api/jobs/` pages on a generated database of `jobs` jobs. */
export async function benchJobList(
  options: { jobs?: number; requests?: number; cpuProf?: boolean } = {},
): Promise<{ p99Ms: number }> {
  const jobs = options.jobs ?? 1_000_000;
  const requests = options.requests ?? 2000;
  return await withTempSite(async (site) => {
    const token = await buildSite(site);
    await generateDatabase(site, jobs, 1100);
    const server = await startServer(site, { cpuProf: options.cpuProf ?? false });
    const variants: [string, string][] = [
      ["first page", "/api/jobs/"],
      ["first page, with-metadata", "/api/jobs/?with-metadata"],
      ["cluster=fritz", "/api/jobs/?cluster=fritz"],
      ["state=failed", "/api/jobs/?state=failed"],
      ["page 10 of 100", "/api/jobs/?items-per-page=100&page=10"],
    ];
    const reports: ClientReport[] = [];
    try {
      for (const [, path] of variants) {
        reports.push(
          await runClient({
            mode: "list",
            base: server.base,
            token,
            count: path === "/api/jobs/" ? requests : Math.ceil(requests / 4),
            warmup: 50,
            concurrency: 1,
            paths: [path],
          }),
        );
      }
    } finally {
      await server.stop();
    }
    for (const [i, report] of reports.entries()) {
      if (report.errors.length) {
        throw new Error(`${report.errors.length} failed requests, first: ${report.errors[0]}`);
      }
      console.log(
        `  ${latencyLine(`GET ${variants[i][1]} (${variants[i][0]})`, report.latencies.get)}` +
          (i === 0 ? " (target p99 < 20 ms)" : ""),
      );
    }
    return { p99Ms: percentile(reports[0].latencies.get, 0.99) };
  });
}

// ---------------------------------------------------------------- client process

async function clientMain(options: ClientOptions): Promise<void> {
  const headers = {
    Authorization: `Bearer ${options.token}`,
    "Content-Type": "application/json",
  };
  const latencies: Record<string, number[]> = {};
  const errors: string[] = [];
  const record = (kind: string, ms: number, timed: boolean) => {
    if (timed) (latencies[kind] ??= []).push(ms);
  };
  const send = async (
    conn: Http1Connection,
    kind: string,
    method: string,
    path: string,
    body: string | undefined,
    expected: number,
    timed: boolean,
  ) => {
    const t = performance.now();
    const res = await conn.request(method, path, headers, body);
    const ms = performance.now() - t;
    if (res.status !== expected) errors.push(`${method} ${path}: ${res.status} ${res.body}`);
    record(kind, ms, timed);
    return ms;
  };
  const total = options.warmup + options.count;
  let next = 0;
  let start = 0;
  const worker = async () => {
    // One keep-alive connection per request in flight.
    const conn = await Http1Connection.open(options.base);
    try {
      await work(conn);
    } finally {
      conn.close();
    }
  };
  const work = async (conn: Http1Connection) => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const timed = i >= options.warmup;
      if (i === options.warmup) start = performance.now();
      if (options.mode === "pairs") {
        const jobId = 10_000_000 + i;
        const startTime = 1_700_000_000 + i;
        const job = {
          jobId,
          user: `user${i % 500}`,
          project: `project${i % 100}`,
          cluster: "fritz",
          partition: "main",
          walltime: 3600,
          numNodes: 1,
          numHwthreads: 72,
          shared: "none",
          resources: [{ hostname: `f0${101 + (i % 88)}`, hwthreads: [0, 1, 2, 3, 4, 5, 6, 7] }],
          metaData: { jobName: `bench-${i}` },
          monitoringStatus: options.monitoringStatus ?? 1,
          startTime,
        };
        const a = await send(
          conn,
          "start_job",
          "POST",
          "/api/jobs/start_job/",
          JSON.stringify(job),
          201,
          timed,
        );
        const stop = { jobId, cluster: "fritz", startTime, stopTime: startTime + 600 };
        const b = await send(
          conn,
          "stop_job",
          "POST",
          "/api/jobs/stop_job/",
          JSON.stringify(stop),
          200,
          timed,
        );
        record("pair", a + b, timed);
      } else {
        const paths = options.paths ?? ["/api/jobs/"];
        await send(conn, "get", "GET", paths[i % paths.length], undefined, 200, timed);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  for (const list of Object.values(latencies)) list.sort((a, b) => a - b);
  const usage = process.cpuUsage();
  const cpu = { user: usage.user / 1e6, sys: usage.system / 1e6 };
  const report: ClientReport = { seconds, count: options.count, errors, latencies, cpu };
  console.log(JSON.stringify(report));
}

// ---------------------------------------------------------------- entry

/** Every REST benchmark. */
export async function benchRest(options: { cpuProf?: boolean } = {}): Promise<void> {
  await benchStartStopPairs({ ...options, archive: true });
  await benchStartStopPairs({ ...options, archive: false });
  await benchJobList(options);
}

if (import.meta.main) {
  const [mode, ...rest] = Deno.args;
  const cpuProf = rest.includes("--cpu-prof") || mode === "--cpu-prof";
  if (rest.includes("--tmpfs")) siteParent = "/dev/shm";
  if (mode === "--client") {
    await clientMain(JSON.parse(rest[0]) as ClientOptions);
  } else if (mode === "pairs") {
    const pairs = rest.find((a) => /^\d+$/.test(a));
    const inFlight = rest.find((a) => a.startsWith("--in-flight="));
    await benchStartStopPairs({
      cpuProf,
      concurrency: inFlight ? Number(inFlight.slice("--in-flight=".length)) : undefined,
      archive: !rest.includes("--no-archive"),
      pairs: pairs ? Number(pairs) : undefined,
    });
  } else if (mode === "list") {
    await benchJobList({ cpuProf });
  } else {
    await benchRest({ cpuProf });
  }
}
