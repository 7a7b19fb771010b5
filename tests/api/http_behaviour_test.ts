/**
 * The HTTP layer of the REST API over real connections: compression when the
 * client accepts it, CORS preflight, the security headers on every kind of
 * answer, the cross-site guard, and concurrent writes from parallel fetches
 * (of identical starts exactly one wins).
 *
 * @module
 */

import assert from "node:assert/strict";
import { PAGE_CONTENT_SECURITY_POLICY } from "../../server/render/content_security_policy.ts";
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
import { decompress, rawRequest } from "./raw_http.ts";

function start(server: ApiServer, body: Record<string, unknown>): Promise<ApiResponse> {
  return server.call("POST", "/api/jobs/start_job/", { body });
}

function statusCounts(responses: ApiResponse[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

async function jobsWithId(server: ApiServer, jobId: number): Promise<{ id: number }[]> {
  const response = await server.call("GET", "/api/jobs/?items-per-page=10000");
  return json<{ jobs: { id: number; jobId: number }[] }>(response).jobs.filter((j) =>
    j.jobId === jobId
  );
}

const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "same-origin",
  "content-security-policy": "frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
};

Deno.test("HTTP behaviour: compression, CORS, security headers, concurrent writes", async (t) => {
  const stderr = await withApiServer(async (server) => {
    const auth = { Authorization: `Bearer ${server.tokens.admin}` };
    for (let i = 0; i < 40; i++) {
      assert.equal((await start(server, startBody(100 + i, 1_600_000_000 + i))).status, 201);
    }

    await t.step("gzip and deflate when the client accepts them, identity otherwise", async () => {
      for (const path of ["/api/jobs/?items-per-page=100", "/api/clusters/"]) {
        const plain = await rawRequest(server.port, { method: "GET", path, headers: auth });
        assert.equal(plain.status, 200);
        assert.equal(plain.headers.get("content-encoding"), undefined);
        const text = new TextDecoder().decode(plain.body);
        assert.ok(text.length > 1024, `${path} too small to be compressed`);
        for (const format of ["gzip", "deflate"] as const) {
          const packed = await rawRequest(server.port, {
            method: "GET",
            path,
            headers: { ...auth, "Accept-Encoding": format },
          });
          assert.equal(packed.status, 200);
          assert.equal(packed.headers.get("content-encoding"), format, path);
          assert.match(packed.headers.get("vary") ?? "", /Accept-Encoding/i);
          assert.match(packed.headers.get("content-type") ?? "", /^application\/json/);
          assert.ok(packed.body.length < text.length / 2, `${format} of ${path} is not smaller`);
          assert.equal(await decompress(packed.body, format), text);
          for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
            assert.equal(packed.headers.get(name), value);
          }
        }
      }
      // Error bodies are small: they may go uncompressed, but must decode either way.
      const error = await rawRequest(server.port, {
        method: "GET",
        path: "/api/jobs/abc",
        headers: { ...auth, "Accept-Encoding": "gzip" },
      });
      assert.equal(error.status, 400);
      const errorText = error.headers.get("content-encoding") === "gzip"
        ? await decompress(error.body, "gzip")
        : new TextDecoder().decode(error.body);
      assert.match(errorText, /integer expected in path for id/);
    });

    await t.step(
      "CORS preflight allows any origin, GET/POST/HEAD/OPTIONS, no X-Auth-Token",
      async () => {
        for (const path of ["/api/jobs/start_job/", "/api/jobs/", "/userapi/jobs/1"]) {
          const response = await rawRequest(server.port, {
            method: "OPTIONS",
            path,
            headers: {
              Origin: "https://portal.example.org",
              "Access-Control-Request-Method": "POST",
              "Access-Control-Request-Headers": "authorization, content-type",
            },
          });
          assert.ok(response.status === 200 || response.status === 204, `${response.status}`);
          assert.equal(response.headers.get("access-control-allow-origin"), "*");
          const methods = (response.headers.get("access-control-allow-methods") ?? "").split(
            /,\s*/,
          );
          assert.deepEqual(methods.toSorted(), ["GET", "HEAD", "OPTIONS", "POST"]);
          const allowed = (response.headers.get("access-control-allow-headers") ?? "")
            .toLowerCase().split(/,\s*/);
          for (const h of ["authorization", "content-type", "x-requested-with", "origin"]) {
            assert.ok(allowed.includes(h), `${h} not allowed: ${allowed}`);
          }
          assert.ok(!allowed.includes("x-auth-token"));
          assert.equal(response.headers.get("access-control-allow-credentials"), undefined);
        }
        const simple = await server.call("GET", "/api/jobs/?items-per-page=1", {
          headers: { Origin: "https://portal.example.org" },
        });
        assert.equal(simple.status, 200);
        assert.equal(simple.headers.get("access-control-allow-origin"), "*");
      },
    );

    await t.step("security headers on every kind of answer; HSTS only behind https", async () => {
      const big = "{" + " ".repeat(9 * 1024 * 1024) + "}";
      const answers = [
        await server.call("GET", "/api/jobs/?items-per-page=1"),
        await start(server, startBody(1, 1_500_000_000)),
        await start(server, startBody(1, 1_500_000_000)),
        await server.call("GET", "/api/jobs/abc"),
        await server.call("GET", "/api/jobs/", { token: null }),
        await server.call("GET", "/api/no/such/route"),
        await server.call("GET", "/no/such/page"),
        await server.call("DELETE", "/api/jobs/start_job/"),
        await server.call("POST", "/api/jobs/start_job/", { body: big }),
        await server.call("GET", "/api/clusters/"),
        await server.call("GET", "/"),
      ];
      assert.deepEqual(answers.map((r) => r.status), [
        200,
        201,
        422,
        400,
        401,
        404,
        404,
        405,
        413,
        200,
        200,
      ]);
      for (const response of answers) {
        // HTML pages get the strict policy they are built for, the rest the base policy.
        const html = response.headers.get("content-type")?.startsWith("text/html");
        const expected = {
          ...SECURITY_HEADERS,
          ...(html ? { "content-security-policy": PAGE_CONTENT_SECURITY_POLICY } : {}),
        };
        for (const [name, value] of Object.entries(expected)) {
          assert.equal(response.headers.get(name), value, `${name} of ${show(response)}`);
        }
        assert.equal(response.headers.get("strict-transport-security"), null);
      }
      assert.deepEqual(
        answers.map((r) => r.headers.get("content-type")?.startsWith("text/html") ?? false),
        [false, false, false, false, false, false, true, false, false, false, true],
        "the page answers are HTML",
      );
      const proxied = await server.call("GET", "/api/jobs/?items-per-page=1", {
        headers: { "X-Forwarded-Proto": "https" },
      });
      assert.equal(
        proxied.headers.get("strict-transport-security"),
        "max-age=31536000; includeSubDomains",
      );
    });

    await t.step("cross-site writes are refused with 403 before anything happens", async () => {
      const crossSite = { "Sec-Fetch-Site": "cross-site" };
      for (const method of ["POST", "PUT"]) {
        const response = await server.call(method, "/api/jobs/start_job/", {
          body: startBody(2, 1_500_000_000),
          headers: crossSite,
        });
        assert.equal(response.status, 403, show(response));
        assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
        assert.equal(response.text, "cross-site request blocked\n");
      }
      for (
        const [method, path] of [["DELETE", "/api/jobs/delete_job/1"], [
          "PATCH",
          "/api/jobs/edit_meta/1",
        ]]
      ) {
        const response = await server.call(method, path, { body: "{}", headers: crossSite });
        assert.equal(response.status, 403, show(response));
      }
      assert.deepEqual(await jobsWithId(server, 2), []);
      const read = await server.call("GET", "/api/jobs/?items-per-page=1", { headers: crossSite });
      assert.equal(read.status, 200);
      const sameSite = await server.call("POST", "/api/jobs/start_job/", {
        body: startBody(2, 1_500_000_000),
        headers: { "Sec-Fetch-Site": "same-origin" },
      });
      assert.equal(sameSite.status, 201, show(sameSite));
    });

    await t.step("of 32 concurrent identical starts exactly one is 201, the rest 422", async () => {
      const answers = await Promise.all(
        Array.from({ length: 32 }, () => start(server, startBody(5000, 1_650_000_000))),
      );
      assert.deepEqual(statusCounts(answers), { 201: 1, 422: 31 });
      for (const r of answers.filter((r) => r.status === 422)) {
        assert.match(json<{ error: string }>(r).error, /already exists: dbid: \d+, jobid: 5000$/);
      }
      assert.equal((await jobsWithId(server, 5000)).length, 1);
    });

    await t.step("of 32 concurrent starts of one jobId within a day exactly one wins", async () => {
      const answers = await Promise.all(
        Array.from(
          { length: 32 },
          (_, i) => start(server, startBody(5001, 1_650_000_000 + i * 60)),
        ),
      );
      assert.deepEqual(statusCounts(answers), { 201: 1, 422: 31 });
      assert.equal((await jobsWithId(server, 5001)).length, 1);
    });

    await t.step("64 concurrent starts of distinct jobs all succeed", async () => {
      const answers = await Promise.all(
        Array.from({ length: 64 }, (_, i) => start(server, startBody(6000 + i, 1_660_000_000))),
      );
      assert.deepEqual(statusCounts(answers), { 201: 64 });
    });

    await t.step("of 16 concurrent stops of one job exactly one is 200, the rest 422", async () => {
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          server.call("POST", "/api/jobs/stop_job/", {
            body: { jobId: 5000, cluster: "fritz", stopTime: 1_650_000_100 + i },
          })),
      );
      assert.deepEqual(statusCounts(answers), { 200: 1, 422: 15 });
      for (const r of answers.filter((r) => r.status === 422)) {
        assert.match(json<{ error: string }>(r).error, /job has already been stopped/);
      }
    });

    await t.step(
      "concurrent reads, writes and errors on all connections stay consistent",
      async () => {
        const work: Promise<ApiResponse>[] = [];
        for (let i = 0; i < 32; i++) {
          work.push(start(server, startBody(7000 + i, 1_670_000_000)));
          work.push(server.call("GET", "/api/jobs/?items-per-page=5"));
          work.push(server.call("POST", "/api/jobs/start_job/", { body: "{bad" }));
          work.push(server.call("GET", "/api/jobs/used_nodes?ts=1670000001"));
        }
        const answers = await Promise.all(work);
        assert.deepEqual(statusCounts(answers), { 201: 32, 200: 64, 400: 32 });
        const used = json<{ usedNodes: Record<string, string[]> }>(
          await server.call("GET", "/api/jobs/used_nodes?ts=1670000001"),
        );
        assert.deepEqual(used.usedNodes, { fritz: ["f0101"] });
      },
    );

    await t.step("no answer was an empty 200 or a crash", () => {
      assert.deepEqual(badAnswers(server.responses), []);
    });
  });
  assert.deepEqual(crashLines(stderr), []);
});
