/**
 * Lists a user's jobs through cc-backend's REST API, page by page.
 *
 * ```sh
 * export CC_URL=https://monitoring.example.org CC_JWT=<token>
 * # The token's own jobs (a token of a user with roles api and user):
 * deno run --allow-net --allow-env examples/list_user_jobs.ts
 * # Any user's jobs (a token with exactly the role api, or admin and api):
 * deno run --allow-net --allow-env examples/list_user_jobs.ts --user alice --cluster fritz
 * ```
 *
 * Without `--user` it reads `/userapi/jobs/`, which returns the jobs the
 * token's user may see. With `--user` it reads `/api/jobs/` and keeps the
 * jobs of that user (the API has no user filter, so it pages through all
 * jobs matching the other filters). Options: `--cluster`, `--project`,
 * `--state` (repeatable), `--page-size` (default 100), `--max-pages`,
 * `--url` and `--json` (one JSON object per line instead of a table).
 *
 * @module
 */
import { parseArgs } from "node:util";

/** The job fields this script shows. */
export interface JobSummary {
  id: number;
  jobId: number;
  user: string;
  project: string;
  cluster: string;
  jobState: string;
  startTime: number;
  duration: number;
  numNodes: number;
}

/** What to list. */
export interface ListOptions {
  url: string;
  token: string;
  user?: string;
  cluster?: string;
  project?: string;
  states?: string[];
  pageSize?: number;
  maxPages?: number;
}

/** Yields the matching jobs, newest start first, fetching one page at a time. */
export async function* listJobs(options: ListOptions): AsyncGenerator<JobSummary> {
  const base = options.url.replace(/\/+$/, "");
  const path = options.user === undefined ? "/userapi/jobs/" : "/api/jobs/";
  const pageSize = options.pageSize ?? 100;
  for (let page = 1; options.maxPages === undefined || page <= options.maxPages; page++) {
    const query = new URLSearchParams({ page: String(page), "items-per-page": String(pageSize) });
    if (options.cluster) query.set("cluster", options.cluster);
    if (options.project) query.set("project", options.project);
    for (const state of options.states ?? []) query.append("state", state);
    const response = await fetch(`${base}${path}?${query}`, {
      headers: { Authorization: `Bearer ${options.token}` },
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text.trim();
      try {
        message = JSON.parse(text).error ?? message;
      } catch {
        // not JSON: show the text as it is
      }
      throw new Error(`GET ${path} page ${page} failed (${response.status}): ${message}`);
    }
    const { jobs } = JSON.parse(text) as { jobs: JobSummary[] | null };
    for (const job of jobs ?? []) {
      if (options.user === undefined || job.user === options.user) yield job;
    }
    if ((jobs ?? []).length < pageSize) return;
  }
}

function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${h}:${String(m).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
}

/** One table row. */
export function formatJob(job: JobSummary): string {
  const start = new Date(job.startTime * 1000).toISOString().replace(/\.000Z$/, "Z");
  return [
    String(job.jobId).padStart(10),
    String(job.id).padStart(8),
    job.cluster.padEnd(10),
    job.user.padEnd(12),
    job.jobState.padEnd(10),
    start,
    formatDuration(job.duration).padStart(10),
    String(job.numNodes).padStart(5),
  ].join("  ");
}

const HEADER = [
  "jobId".padStart(10),
  "dbId".padStart(8),
  "cluster".padEnd(10),
  "user".padEnd(12),
  "state".padEnd(10),
  "start".padEnd(20),
  "duration".padStart(10),
  "nodes".padStart(5),
].join("  ");

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: "string" },
      user: { type: "string" },
      cluster: { type: "string" },
      project: { type: "string" },
      state: { type: "string", multiple: true },
      "page-size": { type: "string" },
      "max-pages": { type: "string" },
      json: { type: "boolean" },
    },
  });
  const url = values.url ?? Deno.env.get("CC_URL");
  const token = Deno.env.get("CC_JWT");
  if (!url || !token) {
    console.error("set CC_URL (or --url) and CC_JWT");
    return 2;
  }
  let count = 0;
  if (!values.json) console.log(HEADER);
  for await (
    const job of listJobs({
      url,
      token,
      user: values.user,
      cluster: values.cluster,
      project: values.project,
      states: values.state,
      pageSize: positiveInt("page-size", values["page-size"]),
      maxPages: positiveInt("max-pages", values["max-pages"]),
    })
  ) {
    console.log(values.json ? JSON.stringify(job) : formatJob(job));
    count++;
  }
  if (!values.json) console.log(`${count} job(s)`);
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(`list_user_jobs: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
