/**
 * The real server's worker threads: start_job/stop_job write on the job
 * writer, and large /api/write bodies are parsed on the metric store's
 * parse worker. Both fall back to the event loop silently when they cannot
 * start, so this checks that they did start, and that answers through them
 * are right.
 */
import assert from "node:assert/strict";
import { badAnswers, crashLines, json, startBody, withApiServer } from "./api_server.ts";

Deno.test("the server writes starts and stops and parses large metric bodies on workers", async (t) => {
  const stderr = await withApiServer(async (server) => {
    await t.step("both workers started", () => {
      assert.match(server.stderr(), /job writer: starts and stops are written on a worker thread/);
      assert.match(server.stderr(), /metric store: large bodies are parsed on a worker thread/);
    });

    await t.step("concurrent starts and stops through the job writer", async () => {
      const t0 = 1_700_000_000;
      const starts = await Promise.all(
        Array.from(
          { length: 30 },
          (_, i) =>
            server.call("POST", "/api/jobs/start_job/", { body: startBody(5000 + i, t0 + i) }),
        ),
      );
      assert.deepEqual(starts.map((r) => r.status), Array(30).fill(201));
      // A second start of the same jobs in the same batch of requests: all 422.
      const again = await Promise.all(
        Array.from(
          { length: 5 },
          (_, i) =>
            server.call("POST", "/api/jobs/start_job/", { body: startBody(5000 + i, t0 + i) }),
        ),
      );
      assert.deepEqual(again.map((r) => r.status), Array(5).fill(422));
      const stops = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          server.call("POST", "/api/jobs/stop_job/", {
            body: { jobId: 5000 + i, cluster: "fritz", startTime: t0 + i, stopTime: t0 + i + 60 },
          })),
      );
      assert.deepEqual(stops.map((r) => r.status), Array(30).fill(200));
      for (const [i, stop] of stops.entries()) {
        const job = json<{ jobId: number; jobState: string; duration: number }>(stop);
        assert.equal(job.jobId, 5000 + i);
        assert.equal(job.jobState, "completed");
        assert.equal(job.duration, 60);
      }
      const list = json<{ jobs: { jobId: number; jobState: string }[] }>(
        await server.call("GET", "/api/jobs/?items-per-page=1000&state=completed"),
      );
      assert.equal(list.jobs.filter((j) => j.jobId >= 5000 && j.jobId < 5030).length, 30);
    });

    await t.step("a large line-protocol body through the parse worker", async () => {
      const now = Math.floor(Date.now() / 1000);
      // 30 hosts of 100 hardware threads: every host is a snapshot file to write (and
      // fsync) at shutdown, which must end within the harness's 10 s on a loaded machine.
      const lines = Array.from(
        { length: 3000 },
        (_, i) =>
          `cpu_load,cluster=fritz,hostname=w${i % 30},type=hwthread,type-id=${
            Math.floor(i / 30)
          } value=${i % 7} ${now}`,
      );
      lines.splice(10, 0, "cpu_load,cluster=fritz,hostname=../up value=1");
      const body = lines.join("\n") + "\n";
      assert.ok(body.length > 128 * 1024, "the body must be large enough for the worker");
      const answer = await server.call("POST", "/api/write?cluster=fritz", { body });
      assert.equal(answer.status, 200);
      const result = json<
        { accepted: number; rejectedTotal: number; rejected: { line: number }[] }
      >(
        answer,
      );
      assert.equal(result.accepted, 3000);
      assert.equal(result.rejectedTotal, 1);
      assert.equal(result.rejected[0].line, 11);
      const dump = json<{ data: Record<string, unknown> }>(
        await server.call("GET", "/api/debug?selector=fritz:w29:hwthread99"),
      );
      assert.ok("cpu_load" in dump.data, JSON.stringify(dump));
    });

    await t.step(
      "bodies over 128 KiB are read into buffers the worker hands back",
      async () => {
        // Several at once and one after another: a buffer is the worker's until it hands
        // it back, so no body may be read into it meanwhile.
        const now = Math.floor(Date.now() / 1000);
        // One host per body (a host is one snapshot file at shutdown), 8,000 hardware threads.
        const big = (k: number) =>
          Array.from(
            { length: 8000 },
            (_, i) =>
              `cpu_load,cluster=fritz,hostname=big${k},type=hwthread,type-id=${i} value=${k} ${now}\n`,
          ).join("");
        assert.ok(big(0).length > 128 * 1024);
        for (let round = 0; round < 3; round++) {
          const answers = await Promise.all(
            [0, 1, 2].map((k) =>
              server.call("POST", "/api/write?cluster=fritz", { body: big(3 * round + k) })
            ),
          );
          for (const answer of answers) {
            assert.equal(answer.status, 200);
            assert.deepEqual(json(answer), { accepted: 8000, rejected: [], rejectedTotal: 0 });
          }
        }
        const dump = json<{ data: Record<string, unknown> }>(
          await server.call("GET", "/api/debug?selector=fritz:big8:hwthread7999"),
        );
        assert.ok("cpu_load" in dump.data, JSON.stringify(dump));
      },
    );

    await t.step("a body cut short of its Content-Length fails alone", async () => {
      const now = Math.floor(Date.now() / 1000);
      // 2,000 lines (150 KB) go to the parse worker, 100 are read in the request thread.
      // One host (each host is a snapshot file to write at shutdown).
      for (const count of [2000, 100, 2000]) {
        const lines = Array.from(
          { length: count },
          (_, i) =>
            `cpu_load,cluster=fritz,hostname=cut,type=hwthread,type-id=${i} value=1 ${now}\n`,
        ).join("");
        const bytes = new TextEncoder().encode(lines);
        if (count === 2000) assert.ok(bytes.length > 128 * 1024, "large enough for the worker");
        const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
        const head = `POST /api/write?cluster=fritz HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
          `Authorization: Bearer ${server.tokens.admin}\r\n` +
          `Content-Length: ${bytes.length}\r\n\r\n`;
        await conn.write(new TextEncoder().encode(head));
        await conn.write(bytes.subarray(0, bytes.length >> 1));
        await conn.closeWrite();
        // The server answers an error or just closes; it must not hang or die.
        const answer = new TextDecoder().decode(
          new Uint8Array(await new Response(conn.readable).arrayBuffer()),
        );
        assert.ok(answer === "" || /^HTTP\/1\.1 [45]\d\d /.test(answer), answer.slice(0, 200));
        // The same body whole right after is stored in full.
        const whole = await server.call("POST", "/api/write?cluster=fritz", { body: lines });
        assert.equal(whole.status, 200);
        assert.deepEqual(json(whole), { accepted: count, rejected: [], rejectedTotal: 0 });
      }
    });

    assert.deepEqual(badAnswers(server.responses), []);
  }, { logLevel: "debug" });
  assert.deepEqual(crashLines(stderr), []);
});
