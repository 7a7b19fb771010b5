import assert from "node:assert/strict";
import {
  DEV_TOOL_CONTENT_SECURITY_POLICY,
  PAGE_CONTENT_SECURITY_POLICY,
} from "../../server/render/content_security_policy.ts";
import { join } from "node:path";
import {
  copyDir,
  copyFile,
  describe,
  editConfig,
  FIXTURES,
  initSite,
  runCli,
  startCli,
  withInitSite,
  withSite,
} from "./cli_helpers.ts";

/** Collects a stream's text in the background; `text()` resolves at its end. */
function collect(stream: ReadableStream<Uint8Array>): { text: () => Promise<string> } {
  const done = new Response(stream).text();
  return { text: () => done };
}

/**
 * Reads `stream` until a line matches `pattern` (or `timeoutMs` passes) and
 * returns the match, and a promise of everything read including the rest.
 */
async function waitForLine(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
  pattern: RegExp,
  timeoutMs: number,
): Promise<{ match: RegExpExecArray | null; all: Promise<string> }> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  let match: RegExpExecArray | null = null;
  try {
    while (!(match = pattern.exec(seen))) {
      const next = await Promise.race([reader.read(), timeout]);
      if (next === "timeout" || next.done) break;
      seen += next.value;
    }
  } finally {
    clearTimeout(timer);
  }
  const rest = (async () => {
    let all = seen;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return all;
      all += value;
    }
  })();
  return { match, all: rest };
}

/** Resolves to the exit status, or "timeout" after `ms`. */
async function statusWithin(
  child: Deno.ChildProcess,
  ms: number,
): Promise<Deno.CommandStatus | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  try {
    return await Promise.race([child.status, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** An -init site with clusters alex, emmy and fritz and the two fritz importer jobs. */
function withClusterSite<T>(fn: (site: string) => Promise<T>): Promise<T> {
  return withInitSite(async (site) => {
    const archive = join(site, "var/job-archive");
    await Deno.remove(archive, { recursive: true });
    await copyDir(join(FIXTURES, "archive"), archive);
    await copyFile(
      join(FIXTURES, "importer/cluster-fritz.json"),
      join(archive, "fritz/cluster.json"),
    );
    const pairs = ["fritzMinimal", "fritzError"].map((name) => {
      return `${join(FIXTURES, "importer", `meta-${name}.input`)}:` +
        join(FIXTURES, "importer", `data-${name}.json`);
    }).join(",");
    // The inputs lie outside the site, so this set-up run may read them.
    const imported = await runCli(site, ["-import-job", pairs], {
      extraRead: [join(FIXTURES, "importer")],
    });
    if (imported.code !== 0) throw new Error(`set-up import failed: ${describe(imported)}`);
    await editConfig(site, (config) => config.main.addr = "127.0.0.1:0");
    return await fn(site);
  });
}

Deno.test("cc-backend -server serves pages behind login and stops cleanly on SIGTERM", async (t) => {
  await withClusterSite(async (site) => {
    const child = startCli(site, ["-server", "-dev", "-loglevel", "info"]);
    const stderr = collect(child.stderr);
    const { match, all: stdout } = await waitForLine(
      child.stdout,
      /cc-backend listening at http:\/\/127\.0\.0\.1:(\d+)\/\n/,
      15_000,
    );
    let stopped = false;
    try {
      await t.step("it reports the address it listens at", () => {
        assert.ok(match, "no 'listening at' line within 15 s");
      });
      if (!match) return;
      const base = `http://127.0.0.1:${match[1]}`;

      await t.step("GET / without a login answers the login page, keeping the URL", async () => {
        const response = await fetch(`${base}/?x=1`);
        assert.equal(response.status, 401);
        assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
        assert.equal(response.headers.get("x-content-type-options"), "nosniff");
        assert.equal(response.headers.get("x-frame-options"), "DENY");
        assert.equal(
          response.headers.get("content-security-policy"),
          PAGE_CONTENT_SECURITY_POLICY,
        );
        const html = await response.text();
        assert.match(html, /^<!doctype html>/i);
        assert.match(html, /name="username"/);
        assert.match(html, /name="password"/);
        assert.match(html, /value="\/\?x=1"/);
      });

      await t.step("an unknown /api/ path is cc-backend's JSON 404", async () => {
        const response = await fetch(`${base}/api/no/such/endpoint`);
        assert.equal(response.status, 404);
        assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
        assert.deepEqual(await response.json(), {
          error: "the requested endpoint does not exist",
          status: "Resource not found",
        });
      });

      await t.step("any other unknown path is a 404", async () => {
        const response = await fetch(`${base}/no/such/page`);
        assert.equal(response.status, 404);
        await response.body?.cancel();
      });

      await t.step("-dev serves Swagger UI with its assets from the program", async () => {
        const page = await fetch(`${base}/swagger/`);
        assert.equal(page.status, 200);
        // Its own policy (Swagger UI adds style elements and data: fonts), not the pages'.
        assert.equal(
          page.headers.get("content-security-policy"),
          DEV_TOOL_CONTENT_SECURITY_POLICY,
        );
        assert.match(await page.text(), /swagger/i);
        // Loaded on first use by a dynamic import: no read outside the site needed.
        const css = await fetch(`${base}/swagger/swagger-ui.css`);
        assert.equal(css.status, 200);
        assert.match(css.headers.get("content-type") ?? "", /^text\/css/);
        assert.ok((await css.arrayBuffer()).byteLength > 10_000);
      });

      await t.step("SIGTERM stops it with exit 0 within a few seconds", async () => {
        child.kill("SIGTERM");
        const status = await statusWithin(child, 5_000);
        assert.notEqual(status, "timeout", "still running 5 s after SIGTERM");
        stopped = true;
        assert.equal((status as Deno.CommandStatus).code, 0, await stderr.text());
        const log = await stderr.text();
        assert.match(log, /shutting down/);
        assert.match(log, /server stopped/);
        assert.doesNotMatch(log, /\[(ERROR|CRITICAL)\]/);
        assert.doesNotMatch(await stdout, /No errors, server flag not set/);
      });
    } finally {
      if (!stopped) {
        try {
          child.kill("SIGKILL");
        } catch {
          // already gone
        }
        await child.status;
      }
      await stdout;
      await stderr.text();
    }
  });
});

Deno.test("cc-backend -server without -dev has no Swagger UI and stops on SIGINT", async () => {
  await withInitSite(async (site) => {
    await editConfig(site, (config) => config.main.addr = "127.0.0.1:0");
    const child = startCli(site, ["--server"]);
    const stderr = collect(child.stderr);
    const { match, all } = await waitForLine(child.stdout, /listening at (\S+)/, 15_000);
    try {
      assert.ok(match, "no 'listening at' line within 15 s");
      const response = await fetch(new URL("/login", match[1]));
      assert.equal(response.status, 200);
      await response.body?.cancel();
      // Without -dev there is no Swagger UI.
      const swagger = await fetch(new URL("/swagger/", match[1]));
      assert.equal(swagger.status, 404);
      await swagger.body?.cancel();
      child.kill("SIGINT");
      const status = await statusWithin(child, 5_000);
      assert.notEqual(status, "timeout", "still running 5 s after SIGINT");
      assert.equal((status as Deno.CommandStatus).code, 0, await stderr.text());
    } finally {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await child.status;
      await all;
      await stderr.text();
    }
  });
});

// Only the start of an existing demo site: creating one generates 3000 jobs
// and listens on the fixed 127.0.0.1:8080 of configs/config-demo.json.
Deno.test("cc-backend -demo starts an existing ./demo-site with -server -dev", async () => {
  await withSite(async (site) => {
    const demo = join(site, "demo-site");
    await Deno.mkdir(demo);
    await initSite(demo);
    await editConfig(demo, (config) => config.main.addr = "127.0.0.1:0");
    const child = startCli(site, ["-demo"]);
    const stderr = collect(child.stderr);
    const { match, all } = await waitForLine(
      child.stdout,
      /listening at (\S+)\nLog in as demo with password demo\.\n/,
      15_000,
    );
    try {
      assert.ok(match, "no 'listening at' and login lines within 15 s");
      const response = await fetch(new URL("/login", match[1]));
      assert.equal(response.status, 200);
      assert.match(await response.text(), /name="username"/);
      child.kill("SIGTERM");
      const status = await statusWithin(child, 5_000);
      assert.notEqual(status, "timeout", "still running 5 s after SIGTERM");
      assert.equal((status as Deno.CommandStatus).code, 0, await stderr.text());
      // It used the existing site and created nothing next to it.
      assert.deepEqual((await Array.fromAsync(Deno.readDir(site))).map((e) => e.name), [
        "demo-site",
      ]);
    } finally {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await child.status;
      await all;
      await stderr.text();
    }
  });
});

Deno.test("cc-backend -server fails clearly when it cannot listen", async (t) => {
  await withInitSite(async (site) => {
    await t.step("an address in use", async () => {
      using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = (listener.addr as Deno.NetAddr).port;
      await editConfig(site, (config) => config.main.addr = `127.0.0.1:${port}`);
      const result = await runCli(site, ["-server"], { timeoutMs: 15_000 });
      assert.equal(result.code, 1, describe(result));
      assert.match(result.stderr, /in use/i);
      assert.doesNotMatch(result.stdout, /listening at/);
    });

    await t.step("a malformed main.addr is named", async () => {
      await editConfig(site, (config) => config.main.addr = "localhost");
      const result = await runCli(site, ["-server"], { timeoutMs: 15_000 });
      assert.equal(result.code, 1, describe(result));
      assert.match(result.stderr, /main\.addr: expected "host:port".*found "localhost"/);
    });
  });
});
