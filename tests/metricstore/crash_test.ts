/**
 * End-to-end durability of the built-in metric store: the real server
 * (`main.ts -server`) in a site made with `-init`, samples posted to
 * `/api/write`, the process killed with SIGKILL after the WAL flush
 * interval, and every acknowledged sample read back through `/api/query`
 * after a restart. Then a graceful stop (SIGTERM) writes a snapshot that the
 * next start restores, and `-cleanup-checkpoints` cleans up.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  copyDir,
  describe,
  editConfig,
  FIXTURES,
  runCli,
  startCli,
  withInitSite,
} from "../cli/cli_helpers.ts";

/** Reads `stream` until `pattern` matches; the rest keeps draining in the background. */
async function waitFor(
  stream: ReadableStream<Uint8Array>,
  pattern: RegExp,
  ms: number,
): Promise<{ match: RegExpExecArray | null; rest: Promise<string> }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  let match: RegExpExecArray | null = null;
  const deadline = Date.now() + ms;
  while (!(match = pattern.exec(seen)) && Date.now() < deadline) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((r) =>
      timer = setTimeout(() => r(null), Math.max(0, deadline - Date.now()))
    );
    const next = await Promise.race([reader.read(), timeout]);
    clearTimeout(timer);
    if (next === null || next.done) break;
    seen += decoder.decode(next.value, { stream: true });
  }
  const rest = (async () => {
    let all = seen;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return all + decoder.decode();
      all += decoder.decode(value, { stream: true });
    }
  })();
  return { match, rest };
}

interface Server {
  child: Deno.ChildProcess;
  base: string;
  stderr: Promise<string>;
}

async function startServer(site: string): Promise<Server> {
  const child = startCli(site, ["-server", "-loglevel", "info"]);
  const stderr = new Response(child.stderr).text();
  const { match } = await waitFor(
    child.stdout,
    /cc-backend listening at http:\/\/127\.0\.0\.1:(\d+)\//,
    30_000,
  );
  if (!match) {
    child.kill("SIGKILL");
    await child.status;
    throw new Error(`the server did not start:\n${await stderr}`);
  }
  return { child, base: `http://127.0.0.1:${match[1]}`, stderr };
}

async function tokenFor(site: string, user: string): Promise<string> {
  const result = await runCli(site, ["-jwt", user]);
  const match = /^JWT for '.*': ([\w-]+\.[\w-]+\.[\w-]+)$/m.exec(result.stdout);
  if (result.code !== 0 || !match) throw new Error(`-jwt ${user} failed: ${describe(result)}`);
  return match[1];
}

Deno.test("metric store: samples acknowledged before the last WAL flush survive kill -9", async (t) => {
  await withInitSite(async (site) => {
    const archive = join(site, "var/job-archive");
    await Deno.remove(archive, { recursive: true });
    await copyDir(join(FIXTURES, "archive"), archive);
    await editConfig(site, (config) => config.main.addr = "127.0.0.1:0");
    const added = await runCli(site, ["-add-user", "x:api:pw"]);
    assert.equal(added.code, 0, describe(added));
    const token = await tokenFor(site, "x");
    const headers = { Authorization: `Bearer ${token}` };

    const now = Math.floor(Date.now() / 1000);
    const t0 = now - 3600 - (now % 60);
    const write = async (base: string, from: number, count: number) => {
      const lines: string[] = [];
      for (let i = from; i < from + count; i++) {
        const ts = t0 + 60 * i;
        lines.push(`cpu_load,cluster=fritz,hostname=f0101,type=node value=${i * 0.25} ${ts}`);
        lines.push(
          `cpu_user,cluster=fritz,hostname=f0101,type=hwthread,type-id=3 value=${i} ${ts}`,
        );
      }
      const res = await fetch(`${base}/api/write?cluster=fritz`, {
        method: "POST",
        headers,
        body: lines.join("\n") + "\n",
      });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal((await res.json()).accepted, 2 * count);
    };
    const query = async (base: string) => {
      const res = await fetch(`${base}/api/query`, {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({
          cluster: "fritz",
          from: t0,
          to: t0 + 60 * 60,
          "with-data": true,
          queries: [
            { metric: "cpu_load", host: "f0101" },
            { metric: "cpu_user", host: "f0101", type: "hwthread", "type-ids": ["3"] },
          ],
        }),
      });
      assert.equal(res.status, 200);
      const body = await res.json() as { results: { data: (number | null)[] }[][] };
      return body.results.map((r) => r[0]?.data);
    };
    const expected = (count: number) => [
      Array.from({ length: count }, (_, i) => i * 0.25),
      Array.from({ length: count }, (_, i) => i),
    ];

    let server = await startServer(site);
    try {
      await t.step("samples posted to the first server are readable", async () => {
        await write(server.base, 0, 20);
        await write(server.base, 20, 10);
        assert.deepEqual(await query(server.base), expected(30));
      });
      // Longer than the 1 s WAL flush interval.
      await new Promise((r) => setTimeout(r, 2500));
      server.child.kill("SIGKILL");
      await server.child.status;
      await server.stderr;

      await t.step("after kill -9 and a restart every acknowledged sample is back", async () => {
        const wal = await Deno.stat(join(site, "var/checkpoints/fritz/f0101/current.wal"));
        assert.ok(wal.size > 4, "the WAL holds the records");
        server = await startServer(site);
        assert.deepEqual(await query(server.base), expected(30));
      });

      await t.step("a graceful stop writes a snapshot that the next start restores", async () => {
        await write(server.base, 30, 10);
        server.child.kill("SIGTERM");
        const status = await server.child.status;
        const log = await server.stderr;
        assert.equal(status.code, 0, log);
        assert.match(log, /metric store: checkpoint wrote 1 files/);
        const files = [];
        for await (const e of Deno.readDir(join(site, "var/checkpoints/fritz/f0101"))) {
          files.push(e.name);
        }
        assert.equal(files.filter((n) => n.endsWith(".bin")).length, 1, files.join(", "));
        // The WAL restarted after the snapshot (header only).
        const wal = await Deno.stat(join(site, "var/checkpoints/fritz/f0101/current.wal"));
        assert.equal(wal.size, 4);
        server = await startServer(site);
        assert.deepEqual(await query(server.base), expected(40));
      });
    } finally {
      try {
        server.child.kill("SIGKILL");
      } catch {
        // already stopped
      }
      await server.child.status;
      await server.stderr;
    }

    await t.step("-cleanup-checkpoints deletes files older than the retention", async () => {
      const dir = join(site, "var/checkpoints/fritz/f0101");
      // 1000.bin is older than 48 h; a newer snapshot exists, so it goes.
      const names: string[] = [];
      for await (const e of Deno.readDir(dir)) names.push(e.name);
      const snapshot = names.find((n) => n.endsWith(".bin"))!;
      await Deno.copyFile(join(dir, snapshot), join(dir, "1000.bin"));
      await Deno.copyFile(join(dir, snapshot), join(dir, "1001.bin"));
      const result = await runCli(site, ["-cleanup-checkpoints"]);
      assert.equal(result.code, 0, describe(result));
      assert.equal(result.stdout, "Cleanup done: 1 checkpoint files deleted.\n");
    });
  });
});
