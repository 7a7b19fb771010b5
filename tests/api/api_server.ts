/**
 * Helpers of the end-to-end REST suite: a site built with the program's own
 * commands (`-init`, `-add-user`, `-jwt`) and the fixture clusters, the real
 * `-server` on a free 127.0.0.1 port, and a client that records every answer
 * so a test can check afterwards that none was an empty 200 or a crash.
 *
 * @module
 */

import { join } from "node:path";
import {
  copyDir,
  describe,
  editConfig,
  FIXTURES,
  initSite,
  runCli,
  SERVER_SOURCES,
  startCli,
  withSite,
} from "../cli/cli_helpers.ts";

/** The API users of every site: `admin` (roles admin, api) and `plain` (role user). */
export type Account = "admin" | "plain";

/** One answer of the server, body already read. */
export interface ApiResponse {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  text: string;
}

/** Options of {@link ApiServer.call}. */
export interface CallOptions {
  /** A value to send as JSON, or a raw string/bytes/stream body. */
  body?: unknown;
  /** Whose token to send (default `admin`); `null` sends none, any other string is sent as is. */
  token?: Account | string | null;
  headers?: Record<string, string>;
}

/** A running server and its site. */
export interface ApiServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  port: number;
  /** The server's process id. */
  pid: number;
  site: string;
  /** The `-jwt` tokens of the site's users. */
  tokens: Record<Account, string>;
  /** Sends one request and records the answer. */
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
  /** Every answer received so far. */
  responses: ApiResponse[];
  /** What the server wrote to stderr so far. */
  stderr(): string;
}

/** Options of {@link withApiServer}. */
export interface ApiServerOptions {
  /** Edits config.json before the start (after `main.addr` is set). */
  config?: (config: Record<string, Record<string, unknown>>) => void;
  /** `-loglevel` of the server (default `info`, so that service starts are visible). */
  logLevel?: string;
}

/** A minimal valid start_job body on fritz. */
export function startBody(
  jobId: number,
  startTime: number,
  host = "f0101",
): Record<string, unknown> {
  return {
    jobId,
    user: "alice",
    project: "p",
    cluster: "fritz",
    numNodes: 1,
    resources: [{ hostname: host }],
    startTime,
  };
}

/** Parses `text` as JSON, naming the response when it is not. */
export function json<T = Record<string, unknown>>(response: ApiResponse): T {
  try {
    return JSON.parse(response.text) as T;
  } catch {
    throw new Error(
      `${response.method} ${response.path}: ${response.status} body is not JSON: ` +
        JSON.stringify(response.text.slice(0, 300)),
    );
  }
}

/** A short description of an answer for assertion messages. */
export function show(response: ApiResponse): string {
  return `${response.method} ${response.path} -> ${response.status} ${
    JSON.stringify(response.text.slice(0, 500))
  }`;
}

/** The token at the end of `-jwt`'s output line. */
function tokenOf(stdout: string): string {
  const match = /JWT for '[^']*': ([\w-]+\.[\w-]+\.[\w-]+)/.exec(stdout);
  if (!match) throw new Error(`no token in -jwt output ${JSON.stringify(stdout)}`);
  return match[1];
}

async function cli(site: string, args: string[]): Promise<string> {
  const result = await runCli(site, args);
  if (result.code !== 0) throw new Error(`${args.join(" ")} failed: ${describe(result)}`);
  return result.stdout;
}

/** Builds the site: fixture clusters (alex, emmy, fritz), two users and their tokens. */
async function buildSite(
  site: string,
  options: ApiServerOptions,
): Promise<Record<Account, string>> {
  await initSite(site);
  const archive = join(site, "var/job-archive");
  await Deno.remove(archive, { recursive: true });
  await copyDir(join(FIXTURES, "archive"), archive);
  // Sequential: each run migrates and writes the same database file.
  await cli(site, ["-add-user", "admin:admin,api:pw"]);
  await cli(site, ["-add-user", "plain:user:pw"]);
  const [admin, plain] = await Promise.all([
    cli(site, ["-jwt", "admin"]),
    cli(site, ["-jwt", "plain"]),
  ]);
  await editConfig(site, (config) => {
    config.main.addr = "127.0.0.1:0";
    options.config?.(config);
  });
  return { admin: tokenOf(admin), plain: tokenOf(plain) };
}

/** Reads `stream` until `pattern` matches; the rest keeps being collected into `sink`. */
async function waitForLine(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
  pattern: RegExp,
  timeoutMs: number,
  sink: { text: string },
): Promise<{ match: RegExpExecArray | null; done: Promise<void> }> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  let match: RegExpExecArray | null = null;
  try {
    while (!(match = pattern.exec(sink.text))) {
      const next = await Promise.race([reader.read(), timeout]);
      if (next === "timeout" || next.done) break;
      sink.text += next.value;
    }
  } finally {
    clearTimeout(timer);
  }
  const done = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      sink.text += value;
    }
  })();
  return { match, done };
}

function bodyOf(body: unknown): BodyInit | undefined {
  if (body === undefined) return undefined;
  if (
    typeof body === "string" || body instanceof Uint8Array || body instanceof ReadableStream
  ) {
    return body as BodyInit;
  }
  return JSON.stringify(body);
}

/**
 * Runs `fn` against a freshly built site served by `main.ts -server`, then
 * stops the server with SIGTERM and checks that it exits 0 within 10 s.
 * Returns the server's complete stderr.
 */
export function withApiServer(
  fn: (server: ApiServer) => Promise<void>,
  options: ApiServerOptions = {},
): Promise<string> {
  return withSite(async (site) => {
    const tokens = await buildSite(site, options);
    // Read access to the sources: start_job/stop_job write on a Worker, as in production.
    const child = startCli(site, ["-server", "-loglevel", options.logLevel ?? "info"], {
      extraRead: [SERVER_SOURCES],
    });
    const stdout = { text: "" };
    const stderr = { text: "" };
    const stderrDone = (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        stderr.text += chunk;
      }
    })();
    const { match, done: stdoutDone } = await waitForLine(
      child.stdout,
      /listening at http:\/\/127\.0\.0\.1:(\d+)\//,
      15_000,
      stdout,
    );
    let exited = false;
    try {
      if (!match) {
        throw new Error(`no "listening at" line within 15 s; stderr:\n${stderr.text}`);
      }
      const port = Number(match[1]);
      const base = `http://127.0.0.1:${port}`;
      const responses: ApiResponse[] = [];
      const server: ApiServer = {
        base,
        port,
        pid: child.pid,
        site,
        tokens,
        responses,
        stderr: () => stderr.text,
        async call(method, path, callOptions = {}) {
          const headers: Record<string, string> = { ...callOptions.headers };
          const token = callOptions.token === undefined ? "admin" : callOptions.token;
          if (token !== null) {
            const value = token in tokens ? tokens[token as Account] : token;
            headers.Authorization = `Bearer ${value}`;
          }
          const res = await fetch(base + path, {
            method,
            headers,
            // fetch refuses a body on GET and HEAD.
            body: method === "GET" || method === "HEAD" ? undefined : bodyOf(callOptions.body),
          });
          const response: ApiResponse = {
            method,
            path,
            status: res.status,
            headers: res.headers,
            text: await res.text(),
          };
          responses.push(response);
          return response;
        },
      };
      await fn(server);
      child.kill("SIGTERM");
      const status = await Promise.race([
        child.status,
        new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 10_000)),
      ]);
      if (status === "timeout") throw new Error("server still running 10 s after SIGTERM");
      exited = true;
      await Promise.all([stdoutDone, stderrDone]);
      if (status.code !== 0) {
        throw new Error(`server exited with ${status.code}; stderr:\n${stderr.text}`);
      }
      return stderr.text;
    } finally {
      if (!exited) {
        try {
          child.kill("SIGKILL");
        } catch {
          // already gone
        }
        await child.status;
        await Promise.all([stdoutDone, stderrDone]);
      }
    }
  });
}

/** Lines of `stderr` that show a crash: stack frames, uncaught errors, unexpected errors. */
export function crashLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) =>
    /^\s+at .+:\d+:\d+\)?$/.test(line) || /Uncaught|unexpected error/.test(line)
  );
}

/**
 * The answers that break the suite's invariants: a 200 with an empty body, a
 * 500 from an unexpected error (the handler's generic "internal server error"),
 * or an error status whose body is empty (except 405, empty as in the
 * original).
 */
export function badAnswers(responses: ApiResponse[]): string[] {
  return responses.filter((r) =>
    (r.status === 200 && r.text === "") ||
    (r.status >= 500 && /"error":"internal server error"/.test(r.text)) ||
    (r.status >= 400 && r.status !== 405 && r.text === "")
  ).map(show);
}
