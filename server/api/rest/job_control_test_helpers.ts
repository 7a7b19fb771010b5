/**
 * Test support for the job-control and tag route tests (not used by the
 * program): start payloads on the fixture cluster fritz, an archived job from
 * the fixture archive, and response assertions.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Job } from "../../archive/types.ts";
import { JobRepository } from "../../db/mod.ts";
import type { TestSite } from "./test_app.ts";

/** The fixed clock of the tests (unix seconds). */
export const NOW = 1_700_000_000;

/**
 * A start_job body like cc-backend's TestRestApi, moved to cluster fritz
 * (host f0101 lies in subcluster `main`: 2 sockets x 36 cores).
 */
export function startBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    jobId: 123,
    user: "testuser",
    project: "testproj",
    cluster: "fritz",
    partition: "default",
    walltime: 3600,
    arrayJobId: 0,
    numNodes: 1,
    numHwthreads: 72,
    numAcc: 0,
    shared: "none",
    monitoringStatus: 1,
    smt: 1,
    resources: [{ hostname: "f0101", hwthreads: [0, 1, 2, 3, 4, 5, 6, 7] }],
    metaData: { jobScript: "blablabla..." },
    startTime: 123456789,
    ...overrides,
  };
}

/** Asserts a cc-backend error body with `status` and exactly `message`. */
export async function assertError(res: Response, status: number, message: string | RegExp) {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.equal(res.headers.get("Content-Type"), "application/json");
  assert.ok(text.endsWith("}\n"), `no trailing newline: ${JSON.stringify(text)}`);
  const body = JSON.parse(text);
  assert.deepEqual(Object.keys(body), ["status", "error"]);
  if (typeof message === "string") assert.equal(body.error, message);
  else assert.match(body.error, message);
}

/** Asserts a 200/201 JSON answer and returns the parsed body. */
export async function okJson(res: Response, status = 200): Promise<Record<string, unknown>> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.equal(res.headers.get("Content-Type"), "application/json");
  assert.ok(text.endsWith("\n") && text.length > 1, "empty or unterminated body");
  return JSON.parse(text);
}

/** Starts a job through the API (asserting 201) and returns its database id. */
export async function startViaApi(
  site: TestSite,
  overrides: Record<string, unknown> = {},
): Promise<number> {
  const body = startBody(overrides);
  const res = await site.call("POST", "/api/jobs/start_job/", { body });
  assert.equal(res.status, 201, await res.text());
  const job = new JobRepository(site.db).find(body.jobId as number, {
    cluster: body.cluster as string,
    startTime: body.startTime as number,
  });
  assert.ok(job);
  return job.id!;
}

/** The key of the fixture archive's emmy job 1403244. */
export const ARCHIVED_KEY = { cluster: "emmy", jobId: 1403244, startTime: 1608923076 };

/** Inserts the fixture archive's emmy job 1403244 as archived (monitoringStatus 3); returns its id. */
export async function insertArchivedJob(site: TestSite): Promise<number> {
  const meta = await site.archive.loadJobMeta(ARCHIVED_KEY);
  return new JobRepository(site.db).insertJob({ ...meta, monitoringStatus: 3 });
}

/** The archived meta.json of {@link ARCHIVED_KEY} as stored on disk. */
export async function archivedMeta(site: TestSite): Promise<Job> {
  const file = join(site.archive.jobDir(ARCHIVED_KEY), "meta.json");
  return JSON.parse(await Deno.readTextFile(file));
}
