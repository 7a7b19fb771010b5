/**
 * Headless Chromium for the browser tests: Debian's `chromium` started with
 * a fresh profile and a DevTools port, driven by playwright-core over CDP.
 * Missing Chromium skips the tests with a message naming the package, or
 * fails them when `CI` is set.
 *
 * @module
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { PAGE_CONTENT_SECURITY_POLICY } from "../../server/render/content_security_policy.ts";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** Path of the Chromium executable (env `CHROMIUM`, else the usual places), if any. */
export function findChromium(): string | undefined {
  const fromEnv = Deno.env.get("CHROMIUM");
  for (const path of fromEnv ? [fromEnv] : CANDIDATES) {
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // Not installed at this path.
    }
  }
  return undefined;
}

/**
 * Whether to skip the browser tests; prints why. Throws when Chromium is
 * missing on CI, where it must be installed.
 */
export function skipWithoutChromium(): boolean {
  if (findChromium()) return false;
  const message = "Chromium not found: install the Debian package `chromium` (apt-get install -y " +
    "chromium) or set CHROMIUM to its path";
  if (Deno.env.get("CI")) throw new Error(message);
  console.warn(`skipping browser tests: ${message}`);
  return true;
}

/** A running headless Chromium. */
export interface HeadlessChromium {
  browser: Browser;
  close(): Promise<void>;
}

async function devtoolsUrl(stderr: ReadableStream<Uint8Array<ArrayBuffer>>): Promise<string> {
  const reader = stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const deadline = setTimeout(() => reader.cancel(), 30_000);
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match) return match[1];
    }
  } finally {
    clearTimeout(deadline);
    reader.releaseLock();
  }
  throw new Error(`chromium did not report its DevTools URL:\n${seen}`);
}

/**
 * Removes a profile directory. Chromium's helper processes may still write
 * to it for a moment after the browser exits, so "not empty" is retried.
 */
async function removeProfile(profile: string): Promise<void> {
  for (let attempt = 1;; attempt++) {
    try {
      await Deno.remove(profile, { recursive: true });
      return;
    } catch (error) {
      if (attempt >= 50 || !/not empty/i.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Starts Chromium headless with a new empty profile and connects to it. */
export async function launchChromium(): Promise<HeadlessChromium> {
  const executable = findChromium();
  if (!executable) throw new Error("chromium is not installed");
  const profile = await Deno.makeTempDir({ prefix: "cc-chromium-" });
  const child = new Deno.Command(executable, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      `--user-data-dir=${profile}`,
      "--remote-debugging-port=0",
      "about:blank",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let browser: Browser;
  try {
    browser = await chromium.connectOverCDP(await devtoolsUrl(child.stderr));
  } catch (error) {
    child.kill("SIGKILL");
    await child.status;
    await Deno.remove(profile, { recursive: true });
    throw error;
  }
  // Keep draining stderr so that Chromium never blocks on a full pipe.
  const drain = child.stderr.pipeTo(new WritableStream()).catch(() => {});
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      child.kill("SIGTERM");
      await child.status;
      await drain;
      await removeProfile(profile);
    },
  };
}

/**
 * Records console errors, uncaught exceptions, error responses and failed
 * requests of `page` into `problems` (several pages may share one list).
 * Fetches aborted on purpose (superseded, or cut off by a reload or
 * navigation) are not failures.
 */
export function watchProblems(page: Page, problems: string[] = []): string[] {
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`exception: ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  page.on("requestfailed", (request) => {
    if (request.failure()?.errorText !== "net::ERR_ABORTED") {
      problems.push(`failed: ${request.url()} ${request.failure()?.errorText ?? ""}`);
    }
  });
  return problems;
}

/**
 * Serves an in-process app on a free 127.0.0.1 port with the strict policy the
 * pages are built for, so that a violation shows up as a console error.
 */
export function servePagesStrictly(
  fetch: (req: Request) => Response | Promise<Response>,
): { server: Deno.HttpServer; base: string } {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      const response = await fetch(req);
      const headers = new Headers(response.headers);
      headers.set("Content-Security-Policy", PAGE_CONTENT_SECURITY_POLICY);
      return new Response(response.body, { status: response.status, headers });
    },
  );
  return { server, base: `http://127.0.0.1:${server.addr.port}` };
}
