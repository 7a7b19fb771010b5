/**
 * Bad input on every REST endpoint over real HTTP: malformed JSON, 10 MB
 * bodies, negative and out-of-range integers, path ids that are not
 * numbers, wrong methods and missing or wrong tokens. Every answer must be a
 * 4xx with cc-backend's error body (405: empty with `Allow`), and the server
 * must stay healthy and log no crash.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  type ApiResponse,
  type ApiServer,
  badAnswers,
  crashLines,
  json,
  show,
  startBody,
  withApiServer,
} from "./api_server.ts";

/** Every route that reads a JSON body, with the prefix of its decoding errors. */
function bodyRoutes(id: number): { method: string; path: string; prefix: string }[] {
  const parsing = "parsing request body failed";
  const decoding = "decoding request failed";
  return [
    { method: "POST", path: "/api/jobs/start_job/", prefix: parsing },
    { method: "PUT", path: "/api/jobs/start_job/", prefix: parsing },
    { method: "POST", path: "/api/jobs/stop_job/", prefix: parsing },
    { method: "PUT", path: "/api/jobs/stop_job/", prefix: parsing },
    { method: "PATCH", path: "/api/jobs/edit_meta/", prefix: parsing },
    { method: "PATCH", path: `/api/jobs/edit_meta/${id}`, prefix: decoding },
    { method: "DELETE", path: "/api/jobs/delete_job/", prefix: parsing },
    { method: "POST", path: `/api/jobs/tag_job/${id}`, prefix: decoding },
    { method: "PATCH", path: `/api/jobs/tag_job/${id}`, prefix: decoding },
    { method: "DELETE", path: `/api/jobs/tag_job/${id}`, prefix: decoding },
    { method: "DELETE", path: "/api/tags/", prefix: decoding },
    { method: "POST", path: `/api/jobs/${id}`, prefix: decoding },
    { method: "POST", path: `/userapi/jobs/${id}`, prefix: decoding },
    { method: "POST", path: "/api/user/plain", prefix: decoding },
    { method: "POST", path: "/api/nodestate/", prefix: parsing },
    { method: "PUT", path: "/api/nodestate/", prefix: parsing },
    { method: "POST", path: "/api/healthcheck", prefix: parsing },
    { method: "POST", path: "/api/healthcheck/", prefix: parsing },
    { method: "POST", path: "/api/free?to=1", prefix: "free: decoding request failed" },
  ];
}

function expectError(response: ApiResponse, status: number, message?: RegExp | string): void {
  assert.equal(response.status, status, show(response));
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/, show(response));
  const body = json<{ status: string; error: string }>(response);
  assert.deepEqual(Object.keys(body), ["status", "error"], show(response));
  if (typeof message === "string") assert.equal(body.error, message, show(response));
  else if (message) assert.match(body.error, message, show(response));
}

async function expectHealthy(server: ApiServer): Promise<void> {
  const response = await server.call("GET", "/api/jobs/?items-per-page=1");
  assert.equal(response.status, 200, show(response));
  assert.ok(Array.isArray(json<{ jobs: unknown[] }>(response).jobs));
}

/** Starts a job and returns its DB id. */
async function startJob(server: ApiServer, jobId: number, startTime: number): Promise<number> {
  const response = await server.call("POST", "/api/jobs/start_job/", {
    body: startBody(jobId, startTime),
  });
  assert.equal(response.status, 201, show(response));
  const list = await server.call("GET", `/api/jobs/?start-time=${startTime}-${startTime}`);
  const job = json<{ jobs: { id: number; jobId: number }[] }>(list).jobs.find((j) =>
    j.jobId === jobId
  );
  assert.ok(job, `job ${jobId} not listed`);
  return job.id;
}

const MALFORMED: [string, string | Uint8Array][] = [
  ["an unterminated object", "{bad"],
  ["a trailing comma", '{"jobId": 1,}'],
  ["a truncated array", "[1,"],
  ["a bare word", "nul"],
  ["two values", "{}{}"],
  ["bytes that are not UTF-8", new Uint8Array([0xff, 0xfe, 0x7b, 0x7d])],
  ["an empty body", ""],
];

Deno.test("bad input on every REST endpoint is a 4xx with an error body; the server survives", async (t) => {
  const stderr = await withApiServer(async (server) => {
    const id = await startJob(server, 1, 1_700_000_000);

    await t.step("malformed JSON is a 400 with the endpoint's decoding prefix", async () => {
      for (const route of bodyRoutes(id)) {
        for (const [what, body] of MALFORMED) {
          const response = await server.call(route.method, route.path, { body });
          assert.equal(response.status, 400, `${what}: ${show(response)}`);
          expectError(response, 400);
          const error = json<{ error: string }>(response).error;
          assert.ok(error.startsWith(`${route.prefix}: `), `${what}: ${show(response)}`);
        }
      }
    });

    await t.step("JSON of the wrong shape is a 400 naming the field", async () => {
      const cases: [string, unknown, RegExp][] = [
        ["/api/jobs/start_job/", '"a string"', /expected object, found string/],
        ["/api/jobs/start_job/", [1], /expected object, found array/],
        ["/api/jobs/start_job/", { jobId: "12" }, /"jobId": expected integer/],
        ["/api/jobs/start_job/", { jobId: 1, foo: 1 }, /unknown field "foo"/],
        ["/api/jobs/start_job/", { resources: [{ hostname: "f0101", x: 1 }] }, /"resources\.0\.x"/],
        ["/api/jobs/start_job/", { jobId: 1.5 }, /"jobId"/],
        ["/api/jobs/stop_job/", { jobId: 1, stopTime: "soon" }, /"stopTime"/],
        ["/api/jobs/stop_job/", { cluster: "fritz", stopTime: 1 }, /'jobId' is required/],
        ["/api/nodestate/", { cluster: "fritz", nodes: "f0101" }, /"nodes"/],
      ];
      for (const [path, body, message] of cases) {
        expectError(await server.call("POST", path, { body }), 400, message);
      }
      expectError(
        await server.call("POST", `/api/jobs/${id}`, { body: { metric: "x" } }),
        400,
        /cannot unmarshal object into Go value of type \[\]string/,
      );
      expectError(
        await server.call("PATCH", `/api/jobs/tag_job/${id}`, { body: [{ type: 1 }] }),
        400,
        /"0\.type"/,
      );
    });

    await t.step("10 MB bodies are 413, with or without Content-Length", async () => {
      const big = new Uint8Array(10 * 1024 * 1024).fill(0x20);
      big[0] = 0x7b; // "{" then spaces: only the size is wrong
      big[big.length - 1] = 0x7d;
      const routes = [
        ...bodyRoutes(id),
        { method: "PUT", path: "/api/machine_state/fritz/f0101" },
        { method: "POST", path: "/api/machine_state/fritz/f0101" },
      ];
      for (const route of routes) {
        expectError(await server.call(route.method, route.path, { body: big }), 413);
      }
      for (const route of routes.slice(0, 3)) {
        // A stream body is sent chunked, without Content-Length.
        const body = new Blob([big]).stream();
        expectError(await server.call(route.method, route.path, { body }), 413);
      }
      await expectHealthy(server);
      expectError(
        await server.call("POST", "/api/jobs/start_job/", { body: startBody(1, 1_700_000_001) }),
        422,
        /already exists/,
      );
    });

    await t.step("an endless chunked body is cut off at the limit, not buffered", async () => {
      let sentMb = 0;
      const megabyte = new Uint8Array(1 << 20).fill(0x20);
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sentMb++ >= 500) controller.close();
          else controller.enqueue(megabyte);
        },
      });
      const response = await server.call("POST", "/api/jobs/start_job/", { body: endless });
      expectError(response, 413, /request body exceeds 8388608 bytes/);
      assert.ok(sentMb < 100, `the server read ${sentMb} MB before refusing`);
      // Multi-byte text: the limit counts bytes, not characters.
      const wide = new TextEncoder().encode(
        JSON.stringify({ ...startBody(9, 1_700_000_009), user: "é".repeat(4_500_000) }),
      );
      const chunked = new Blob([wide]).stream();
      expectError(await server.call("POST", "/api/jobs/start_job/", { body: chunked }), 413);
      const status = await Deno.readTextFile(`/proc/${server.pid}/status`).catch(() => "");
      const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      assert.ok(peakKb < 600_000, `server peak memory ${peakKb} kB`);
      await expectHealthy(server);
    });

    await t.step("10 MB of line protocol to /api/write is streamed, not refused", async () => {
      const line = "cpu_load,cluster=fritz,hostname=f0101,type=node value=1.5 1700000000\n";
      const body = new TextEncoder().encode(line.repeat(Math.ceil(10_485_760 / line.length)));
      const response = await server.call("POST", "/api/write", { body });
      assert.equal(response.status, 200, show(response));
      const result = json<{ accepted: number; rejectedTotal: number }>(response);
      assert.equal(result.accepted + result.rejectedTotal, body.length / line.length);
      const garbage = await server.call("POST", "/api/write", { body: "x".repeat(10_485_760) });
      assert.equal(garbage.status, 200, show(garbage));
      assert.equal(json<{ accepted: number }>(garbage).accepted, 0);
      await expectHealthy(server);
    });

    await t.step("negative and out-of-range integers in bodies", async () => {
      const start = (body: unknown) => server.call("POST", "/api/jobs/start_job/", { body });
      // Go's int64 takes negative ids and times: stored as sent.
      assert.equal((await start(startBody(-7, -5))).status, 201);
      const all = await server.call("GET", "/api/jobs/?items-per-page=100");
      const negative = json<{ jobs: { jobId: number; startTime: number }[] }>(all).jobs
        .find((j) => j.jobId === -7);
      assert.equal(negative?.startTime, -5);
      for (const field of ["jobId", "startTime", "numNodes", "walltime", "arrayJobId"]) {
        for (const raw of ["9223372036854775808", "1e400", "-9223372036854775809", "1.5"]) {
          const { [field]: _, ...rest } = startBody(2, 1_700_000_002);
          const text = JSON.stringify(rest).slice(0, -1) + `,"${field}":${raw}}`;
          expectError(await start(text), 400, new RegExp(`"${field}"`));
        }
      }
      for (const field of ["numNodes", "numHwthreads", "numAcc"]) {
        expectError(
          await start({ ...startBody(3, 1_700_000_003), [field]: -1 }),
          400,
          "'numNodes', 'numAcc' or 'numHWThreads' invalid",
        );
      }
      expectError(
        await start({ ...startBody(3, 1_700_000_003), numNodes: 2 }),
        400,
        "len(resources) does not equal numNodes (1 vs 2)",
      );
      expectError(
        await start({ ...startBody(3, 1_700_000_003), monitoringStatus: 99 }),
        400,
        /monitoringStatus/,
      );
      const stop = (body: unknown) => server.call("POST", "/api/jobs/stop_job/", { body });
      expectError(
        await stop({ jobId: 1, cluster: "fritz", stopTime: -1 }),
        400,
        /stopTime -1 must be larger\/equal than startTime 1700000000/,
      );
      expectError(
        await stop({ jobId: -123456, stopTime: 1 }),
        404,
        "finding job failed: sql: no rows in result set",
      );
      expectError(await stop({ jobId: 1, stopTime: 2 ** 63 }), 400, /"stopTime"/);
    });

    await t.step("negative and out-of-range integers in paths and queries", async () => {
      const cases: [string, string, number, RegExp | string][] = [
        [
          "GET",
          "/api/jobs/-1",
          422,
          "finding job with db id -1 failed: sql: no rows in result set",
        ],
        ["GET", "/api/jobs/9223372036854775807", 422, /finding job with db id 9223372036854775807/],
        ["GET", "/api/jobs/9223372036854775808", 400, /value out of range/],
        ["GET", "/api/jobs/-9223372036854775809", 400, /value out of range/],
        ["DELETE", "/api/jobs/delete_job_before/99999999999999999999", 400, /value out of range/],
        ["GET", "/api/jobs/?page=0", 400, "page must be >= 1"],
        ["GET", "/api/jobs/?page=-1", 400, "page must be >= 1"],
        ["GET", "/api/jobs/?items-per-page=0", 400, "items-per-page must be >= 1"],
        ["GET", "/api/jobs/?items-per-page=99999999999999999999", 400, /value out of range/],
        ["GET", "/api/jobs/?start-time=1-99999999999999999999", 400, /value out of range/],
        ["GET", "/api/jobs/?start-time=5", 400, "invalid query parameter value: startTime"],
        ["GET", "/api/jobs/used_nodes?ts=99999999999999999999", 400, /invalid timestamp format/],
        ["GET", "/api/jobs/used_nodes?ts=1.5", 400, /invalid timestamp format/],
        ["GET", "/api/jobs/used_nodes", 400, "missing required query parameter: ts"],
        ["POST", "/api/free?to=1e3", 400, /'to' must be an integer/],
      ];
      for (const [method, path, status, message] of cases) {
        expectError(
          await server.call(method, path, { body: method === "POST" ? [] : undefined }),
          status,
          message,
        );
      }
      for (const path of ["/api/jobs/?page=9223372036854775807", "/api/jobs/?start-time=-5--1"]) {
        const response = await server.call("GET", path);
        assert.ok(response.status === 200 || response.status === 400, show(response));
      }
      const huge = await server.call("GET", "/api/jobs/?page=9223372036854775807");
      assert.deepEqual(json<{ jobs: unknown[] }>(huge).jobs, []);
      const used = await server.call("GET", "/api/jobs/used_nodes?ts=-100");
      assert.equal(used.text, '{"usedNodes":{}}\n');
      const deleted = await server.call("DELETE", "/api/jobs/delete_job/-1");
      assert.equal(deleted.status, 200, show(deleted));
      assert.deepEqual(json(deleted), { msg: "Successfully deleted job -1" });
    });

    await t.step("path ids that are not numbers are a 400 quoting them", async () => {
      const ids = ["abc", "1.5", "0x10", "1e3", "%201", "%EF%BC%91", "-", "1_000", "%27%3B--"];
      for (const raw of ids) {
        const shown = JSON.stringify(decodeURIComponent(raw));
        const syntax = `strconv.ParseInt: parsing ${shown}: invalid syntax`;
        const cases: [string, string, string][] = [
          ["GET", `/api/jobs/${raw}`, `integer expected in path for id: ${syntax}`],
          ["POST", `/api/jobs/${raw}`, `integer expected in path for id: ${syntax}`],
          ["GET", `/userapi/jobs/${raw}`, `integer expected in path for id: ${syntax}`],
          ["PATCH", `/api/jobs/edit_meta/${raw}`, `parsing job ID failed: ${syntax}`],
          ["POST", `/api/jobs/tag_job/${raw}`, `parsing job ID failed: ${syntax}`],
          ["PATCH", `/api/jobs/tag_job/${raw}`, `parsing job ID failed: ${syntax}`],
          ["DELETE", `/api/jobs/tag_job/${raw}`, `parsing job ID failed: ${syntax}`],
          ["DELETE", `/api/jobs/delete_job/${raw}`, `integer expected in path for id: ${syntax}`],
          [
            "DELETE",
            `/api/jobs/delete_job_before/${raw}`,
            `integer expected in path for ts: ${syntax}`,
          ],
        ];
        for (const [method, path, message] of cases) {
          expectError(await server.call(method, path, { body: "[]" }), 400, message);
        }
        // The metric endpoint always answers 200 with the error in its envelope.
        const metrics = await server.call("GET", `/api/jobs/metrics/${raw}`);
        assert.equal(metrics.status, 200, show(metrics));
        assert.deepEqual(json(metrics), { data: null, error: { message: syntax } });
      }
    });

    await t.step(
      "a known path with a wrong method is 405 with Allow and an empty body",
      async () => {
        const cases: [string, string, string[]][] = [
          ["GET", "/api/jobs/start_job/", ["POST", "PUT"]],
          ["DELETE", "/api/jobs/stop_job/", ["POST", "PUT"]],
          ["DELETE", "/api/jobs/", ["GET"]],
          ["DELETE", "/api/jobs/used_nodes", ["GET"]],
          ["GET", `/api/jobs/tag_job/${id}`, ["POST", "PATCH", "DELETE"]],
          ["GET", `/api/jobs/edit_meta/${id}`, ["PATCH"]],
          ["POST", "/api/jobs/edit_meta/", ["PATCH"]],
          ["GET", "/api/jobs/delete_job/", ["DELETE"]],
          ["GET", `/api/jobs/delete_job/${id}`, ["DELETE"]],
          ["GET", "/api/jobs/delete_job_before/5", ["DELETE"]],
          ["PUT", `/api/jobs/${id}`, ["GET", "POST"]],
          ["POST", `/api/jobs/metrics/${id}`, ["GET"]],
          ["GET", "/api/tags/", ["DELETE"]],
          ["POST", "/api/users/", ["GET"]],
          ["GET", "/api/user/plain", ["POST"]],
          ["DELETE", "/api/clusters/", ["GET"]],
          ["GET", "/api/nodestate/", ["POST", "PUT"]],
          ["GET", "/api/healthcheck", ["POST"]],
          ["GET", "/api/write", ["POST"]],
          ["GET", "/api/free/", ["POST"]],
          ["POST", "/api/debug", ["GET"]],
          ["DELETE", "/api/machine_state/fritz/f0101", ["GET", "PUT", "POST"]],
          ["DELETE", "/userapi/jobs/", ["GET"]],
          ["PUT", `/userapi/jobs/${id}`, ["GET", "POST"]],
        ];
        for (const [method, path, allowed] of cases) {
          const response = await server.call(method, path);
          assert.equal(response.status, 405, show(response));
          assert.equal(response.text, "", show(response));
          const allow = (response.headers.get("allow") ?? "").split(/,\s*/);
          for (const m of allowed) {
            assert.ok(allow.includes(m), `${m} not in Allow of ${show(response)}: ${allow}`);
          }
          assert.ok(!allow.includes(method), `${method} in Allow of ${path}`);
          assert.equal(response.headers.get("x-content-type-options"), "nosniff");
        }
        const unknown = await server.call("GET", "/api/jobs");
        assert.equal(unknown.status, 404, show(unknown));
        assert.deepEqual(json(unknown), {
          error: "the requested endpoint does not exist",
          status: "Resource not found",
        });
      },
    );

    await t.step("missing, malformed and insufficient tokens are 401", async () => {
      const routes: [string, string][] = [
        ["POST", "/api/jobs/start_job/"],
        ["GET", "/api/jobs/"],
        ["GET", `/api/jobs/${id}`],
        ["GET", "/api/clusters/"],
        ["POST", "/api/nodestate/"],
        ["POST", "/api/write"],
        ["GET", "/userapi/jobs/"],
      ];
      for (const [method, path] of routes) {
        for (const token of [null, "plain", "not.a.token", "a'; DROP TABLE hpc_user; --"]) {
          const response = await server.call(method, path, { token, body: "{}" });
          assert.equal(response.status, 401, `${token}: ${show(response)}`);
          assert.ok(json<{ error: string }>(response).error.length > 0);
        }
      }
      const anonymous = await server.call("GET", "/api/jobs/", { token: null });
      assert.deepEqual(json(anonymous), {
        error: "no user for secured check",
        status: "Unauthorized",
      });
      const plain = await server.call("GET", "/api/users/", { token: "plain" });
      assert.deepEqual(json(plain), { error: "unauthorized", status: "Unauthorized" });
    });

    await t.step("the server is still healthy", () => expectHealthy(server));
    await t.step("no answer was an empty 200 or a crash", () => {
      assert.deepEqual(badAnswers(server.responses), []);
    });
  }, {
    config: (config) => config.main["machine-state-dir"] = "./var/machine-state",
  });
  assert.deepEqual(crashLines(stderr), []);
});
