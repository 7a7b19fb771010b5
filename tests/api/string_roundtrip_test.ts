/**
 * Unicode and SQL metacharacters in every string field of the REST API over
 * real HTTP: what is stored comes back verbatim, filters match exactly (no
 * LIKE or GLOB wildcards), and values that are refused are quoted verbatim
 * in the error.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  type ApiResponse,
  badAnswers,
  crashLines,
  json,
  show,
  withApiServer,
} from "./api_server.ts";

/** Strings that break naive SQL, JSON, HTML, path or Unicode handling. */
const STRINGS: string[] = [
  "'; DROP TABLE job; --",
  '" OR "1"="1',
  "Robert'); DELETE FROM hpc_user WHERE ('1'='1",
  "%_*?[a-z]^$ LIKE GLOB",
  "ünïcödé Ελληνικά 日本語 العربية",
  "🚀 👩‍👩‍👧‍👦 🏳️‍🌈",
  "e\u0301 \ufb01 \u212b vs \u00c5",
  "\u202eRTL \u200bzero-width \ufeffBOM",
  "<script>alert(1)</script> & &amp; \u2028\u2029",
  'tab\tnewline\nCR\r"quote" \\backslash /slash',
  "\u0001\u001f\u007f controls",
  '{"json":"in a string"}',
  "   leading and trailing spaces   ",
  // Keys with a meaning in JavaScript objects (used below as metaData keys).
  "__proto__",
  "constructor",
  "x".repeat(300),
];

interface TagJson {
  type: string;
  name: string;
  scope: string;
}

interface JobJson {
  id: number;
  jobId: number;
  user: string;
  project: string;
  partition: string;
  subCluster: string;
  resources: { hostname: string; configuration?: string; accelerators?: string[] }[];
  metaData: Record<string, string> | null;
  tags?: TagJson[];
}

function expectStatus(response: ApiResponse, status: number): void {
  assert.equal(response.status, status, show(response));
}

function errorOf(response: ApiResponse): string {
  return json<{ error: string }>(response).error;
}

Deno.test("strings with unicode and SQL metacharacters round-trip verbatim", async (t) => {
  const stderr = await withApiServer(async (server) => {
    const ids = new Map<string, number>();

    await t.step("start_job stores every string field as sent", async () => {
      for (const [i, s] of STRINGS.entries()) {
        const jobId = 1000 + i;
        const response = await server.call("POST", "/api/jobs/start_job/", {
          body: {
            jobId,
            user: s,
            project: s,
            cluster: "fritz",
            subCluster: "main",
            partition: s,
            numNodes: 1,
            resources: [{ hostname: s, configuration: s, accelerators: [s, `${s}2`] }],
            metaData: { [s]: s, plain: s },
            tags: [{ type: s, name: s, scope: "global" }],
            startTime: 1_700_000_000 + i,
          },
        });
        expectStatus(response, 201);
        const list = await server.call(
          "GET",
          `/api/jobs/?start-time=${1_700_000_000 + i}-${1_700_000_000 + i}`,
        );
        const [job] = json<{ jobs: JobJson[] }>(list).jobs;
        assert.equal(job?.jobId, jobId, show(list));
        ids.set(s, job.id);
      }
    });

    await t.step("GET /api/jobs/{id} answers them verbatim", async () => {
      for (const s of STRINGS) {
        const response = await server.call("GET", `/api/jobs/${ids.get(s)}`);
        expectStatus(response, 200);
        // Go's encoder escapes <, > and & (and U+2028/9); the decoded value is unchanged.
        assert.doesNotMatch(response.text, /[<>&\u2028\u2029]/);
        const job = json<{ Meta: JobJson }>(response).Meta;
        assert.equal(job.user, s);
        assert.equal(job.project, s);
        assert.equal(job.partition, s);
        assert.equal(job.subCluster, "main");
        assert.deepEqual(job.resources, [
          { hostname: s, configuration: s, accelerators: [s, `${s}2`] },
        ]);
        assert.deepEqual(job.metaData, s === "plain" ? { plain: s } : { [s]: s, plain: s });
        assert.deepEqual(job.tags?.map(({ type, name, scope }) => ({ type, name, scope })), [
          { type: s, name: s, scope: "global" },
        ]);
      }
    });

    await t.step("list filters match exactly: no wildcard, no injection", async () => {
      for (const s of STRINGS) {
        const q = encodeURIComponent(s);
        const response = await server.call("GET", `/api/jobs/?project=${q}&with-metadata`);
        expectStatus(response, 200);
        const jobs = json<{ jobs: JobJson[] }>(response).jobs;
        assert.deepEqual(jobs.map((j) => j.id), [ids.get(s)], `project ${JSON.stringify(s)}`);
        assert.equal(jobs[0].metaData?.plain, s);
        const byCluster = await server.call("GET", `/api/jobs/?cluster=${q}`);
        expectStatus(byCluster, 200);
        assert.deepEqual(json<{ jobs: JobJson[] }>(byCluster).jobs, []);
      }
    });

    await t.step("edit_meta stores keys and values verbatim (by id and by request)", async () => {
      for (const [i, s] of STRINGS.entries()) {
        const id = ids.get(s)!;
        const byId = await server.call("PATCH", `/api/jobs/edit_meta/${id}`, {
          body: { key: `k${s}`, value: `v${s}` },
        });
        expectStatus(byId, 200);
        assert.equal(json<JobJson>(byId).metaData?.[`k${s}`], `v${s}`);
        const byRequest = await server.call("PATCH", "/api/jobs/edit_meta/", {
          body: {
            jobId: 1000 + i,
            cluster: "fritz",
            startTime: 1_700_000_000 + i,
            payload: { key: s, value: `${s}!` },
          },
        });
        expectStatus(byRequest, 200);
        const read = json<{ Meta: JobJson }>(await server.call("GET", `/api/jobs/${id}`)).Meta;
        assert.equal(read.metaData?.[`k${s}`], `v${s}`);
        assert.equal(read.metaData?.[s], `${s}!`);
      }
    });

    await t.step("tag_job adds and removes tags with such types and names", async () => {
      for (const s of STRINGS) {
        const id = ids.get(s)!;
        const tag = { type: `t${s}`, name: `n${s}`, scope: "global" };
        const added = await server.call("POST", `/api/jobs/tag_job/${id}`, { body: [tag] });
        expectStatus(added, 200);
        assert.ok(
          json<JobJson>(added).tags?.some((x) => x.type === tag.type && x.name === tag.name),
          show(added),
        );
        const removed = await server.call("DELETE", `/api/jobs/tag_job/${id}`, { body: [tag] });
        expectStatus(removed, 200);
        assert.ok(!json<JobJson>(removed).tags?.some((x) => x.type === tag.type));
        // The tag itself is still defined until DELETE /api/tags/.
        const deleted = await server.call("DELETE", "/api/tags/", { body: [tag] });
        expectStatus(deleted, 200);
        assert.equal(deleted.text, "Deleted Tags from DB: 1 successfull of 1 requested\n");
        const gone = await server.call("DELETE", "/api/tags/", { body: [tag] });
        expectStatus(gone, 404);
        assert.ok(errorOf(gone).includes(`${tag.name}, ${tag.type}, global`), show(gone));
      }
    });

    await t.step("refused values are quoted verbatim in the error", async () => {
      for (const s of STRINGS) {
        const start = await server.call("POST", "/api/jobs/start_job/", {
          body: { jobId: 1, user: "u", cluster: s, numNodes: 1, resources: [{ hostname: "h" }] },
        });
        expectStatus(start, 400);
        assert.equal(errorOf(start), `no such cluster: ${s}`);
        const sub = await server.call("POST", "/api/jobs/start_job/", {
          body: {
            jobId: 1,
            user: "u",
            cluster: "fritz",
            subCluster: s,
            numNodes: 1,
            resources: [{ hostname: "f0101" }],
          },
        });
        expectStatus(sub, 400);
        assert.ok(errorOf(sub).includes(s), show(sub));
        const stop = await server.call("POST", "/api/jobs/stop_job/", {
          body: { jobId: 1000, cluster: "fritz", jobState: s, stopTime: 1_800_000_000 },
        });
        expectStatus(stop, 400);
        assert.ok(errorOf(stop).includes("invalid requested job state"), show(stop));
        const cluster = await server.call("GET", `/api/clusters/?cluster=${encodeURIComponent(s)}`);
        expectStatus(cluster, 400);
        assert.equal(errorOf(cluster), `unknown cluster: ${s}`);
        const role = await server.call("POST", "/api/user/plain", { body: { "add-role": s } });
        expectStatus(role, 422);
        // Roles are case-insensitive: the original lower-cases the value before checking it.
        assert.ok(errorOf(role).endsWith(`: ${s.toLowerCase()}`), show(role));
      }
    });

    await t.step("node states name unknown hosts verbatim", async () => {
      const response = await server.call("POST", "/api/nodestate/", {
        body: {
          cluster: "fritz",
          nodes: STRINGS.map((s) => ({ hostname: s, states: [s] })),
        },
      });
      expectStatus(response, 200);
      assert.deepEqual(json<{ skipped: string[] }>(response).skipped, STRINGS);
    });

    await t.step("machine state of such hosts is stored and read back verbatim", async () => {
      for (const s of STRINGS) {
        const path = `/api/machine_state/fritz/${encodeURIComponent(s)}`;
        const body = JSON.stringify({ [s]: s });
        const put = await server.call("PUT", path, { body });
        if (/[/\\]|\.\./.test(s)) {
          expectStatus(put, 400);
          continue;
        }
        if (new TextEncoder().encode(s).length > 250) {
          // Longer than a file name may be: the file system refuses it (500 naming the host).
          expectStatus(put, 500);
          assert.ok(errorOf(put).startsWith(`cannot store machine state of host "${s}"`));
          continue;
        }
        expectStatus(put, 201);
        const get = await server.call("GET", path);
        expectStatus(get, 200);
        assert.equal(get.text, body);
      }
    });

    await t.step("NUL is refused naming the field; a lone surrogate becomes U+FFFD", async () => {
      const base = {
        jobId: 77,
        cluster: "fritz",
        numNodes: 1,
        resources: [{ hostname: "f0101" }],
      };
      const nul = await server.call("POST", "/api/jobs/start_job/", {
        body: { ...base, user: "a\u0000b", startTime: 1 },
      });
      expectStatus(nul, 400);
      assert.match(errorOf(nul), /user/);
      // JSON.stringify would escape the surrogate; send the escape as text.
      const lone = await server.call("POST", "/api/jobs/start_job/", {
        body: JSON.stringify({ ...base, user: "LONE", startTime: 2 }).replace("LONE", "x\\ud800y"),
      });
      expectStatus(lone, 201);
      const list = await server.call("GET", "/api/jobs/?start-time=2-2");
      assert.equal(json<{ jobs: JobJson[] }>(list).jobs[0]?.user, "x\ufffdy");
    });

    await t.step("no answer was an empty 200 or a crash", () => {
      assert.deepEqual(badAnswers(server.responses), []);
    });
  }, {
    config: (config) => config.main["machine-state-dir"] = "./var/machine-state",
  });
  assert.deepEqual(crashLines(stderr), []);
});
