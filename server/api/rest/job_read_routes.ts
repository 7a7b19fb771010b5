/**
 * The job read endpoints, shared by `/api` and `/userapi`:
 * `GET /jobs/` (paged list with filters), `GET /jobs/metrics/:id` (metric
 * data in a GraphQL-like envelope, always 200), `POST /jobs/:id` (job plus
 * the listed metrics) and `GET /jobs/:id` (job, plus all metrics with
 * `?all-metrics=true`). Every job is read under the viewer's visibility.
 *
 * @module
 */
import { type Context, type Handler, Hono, type MiddlewareHandler } from "hono";
import { goString } from "../../archive/go_json.ts";
import {
  type Job,
  JOB_STATES,
  type JobData,
  type JobState,
  METRIC_SCOPES,
  type MetricScope,
} from "../../archive/types.ts";
import { hasAnyRole } from "../../auth/auth_user.ts";
import type { JobPage, JobQueryFilter } from "../../db/job_query.ts";
import { AppError } from "../../errors.ts";
import { JobReader } from "../../jobs/job_reader.ts";
import type { ApiEnv } from "./api_env.ts";
import { type GoIntResult, narrowInt, parseGoInt } from "./go_int.ts";
import { jsonResponse } from "./json_response.ts";
import { readJson } from "./read_json.ts";
import type { RestDeps } from "./rest_deps.ts";
import { jobDataJson, jobMetricsJson, metricListJson, restJobJson } from "./rest_job_json.ts";

/** Page size of `GET /jobs/` without `items-per-page`. */
export const DEFAULT_ITEMS_PER_PAGE = 25;

/** The query keys of `GET /jobs/`, grouped by key in order of first appearance. */
function queryGroups(c: Context): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [key, value] of new URL(c.req.url).searchParams) {
    const list = groups.get(key);
    if (list) list.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

function intOrThrow(result: GoIntResult): bigint {
  if (!result.ok) throw new AppError(400, result.error);
  return result.value;
}

function atLeastOne(result: GoIntResult, name: string): bigint {
  const value = intOrThrow(result);
  if (value < 1n) throw new AppError(400, `${name} must be >= 1`);
  return value;
}

/** The list request of `GET /jobs/` with cc-backend's validation and messages. */
export function parseListQuery(groups: Map<string, string[]>): {
  filter: JobQueryFilter;
  page: JobPage & { itemsPerPage: bigint; page: bigint };
  withMetadata: boolean;
} {
  const filter: JobQueryFilter = {};
  const page = { itemsPerPage: BigInt(DEFAULT_ITEMS_PER_PAGE), page: 1n };
  let withMetadata = false;
  for (const [key, values] of groups) {
    switch (key) {
      case "project":
        filter.project = { eq: values[0] };
        break;
      case "cluster":
        filter.cluster = { eq: values[0] };
        break;
      case "state":
        for (const value of values) {
          if (!JOB_STATES.includes(value as JobState)) {
            throw new AppError(400, "invalid query parameter value: state");
          }
        }
        filter.state = [...(filter.state ?? []), ...values as JobState[]];
        break;
      case "start-time": {
        const parts = values[0].split("-");
        if (parts.length !== 2) {
          throw new AppError(400, "invalid query parameter value: startTime");
        }
        const [from, to] = parts.map((p) => narrowInt(intOrThrow(parseGoInt(p))));
        filter.startTime = { from, to };
        break;
      }
      case "page":
        page.page = atLeastOne(parseGoInt(values[0], { fn: "Atoi" }), "page");
        break;
      case "items-per-page":
        page.itemsPerPage = atLeastOne(parseGoInt(values[0], { fn: "Atoi" }), "items-per-page");
        break;
      case "with-metadata":
        // Its presence alone counts, whatever the value.
        withMetadata = true;
        break;
      default:
        throw new AppError(400, `invalid query parameter: ${key}`);
    }
  }
  return { filter, page, withMetadata };
}

const DECODE_PREFIX = "decoding request failed";

function goKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "bool";
  return typeof value === "object" ? "object" : typeof value;
}

/**
 * The body of `POST /jobs/:id`: an array of metric names or null (all), with
 * the texts of Go's decoder for anything else (a null element is "").
 */
export function metricNamesBody(value: unknown): string[] | null {
  if (value === null) return null;
  const fail = (kind: string, type: string) =>
    new AppError(
      400,
      `${DECODE_PREFIX}: json: cannot unmarshal ${kind} into Go value of type ${type}`,
    );
  if (!Array.isArray(value)) throw fail(goKind(value), "[]string");
  return value.map((item) => {
    if (item === null) return "";
    if (typeof item !== "string") throw fail(goKind(item), "string");
    return item;
  });
}

/** The DB id of the `:id` path segment, or Go's parse error. */
function pathId(c: Context): { raw: string; id: GoIntResult } {
  const raw = c.req.param("id") ?? "";
  return { raw, id: parseGoInt(raw) };
}

/** The scopes cc-backend's job endpoints request: `core` for one node, else `node`. */
function defaultScopes(job: Job): MetricScope[] {
  return job.numNodes === 1 ? ["core"] : ["node"];
}

/** Builds the four routes; `options.guard` (if any) is attached to each. */
export function jobReadRoutes(
  deps: RestDeps,
  options: { guard?: MiddlewareHandler<ApiEnv> } = {},
): Hono<ApiEnv> {
  const reader = new JobReader({
    db: deps.db,
    archive: deps.archive,
    live: deps.liveJobData,
    now: deps.now,
    minimumPoints: deps.config.main.resampling?.minimumPoints,
  });

  /** The visible job of the path id, or the 400/422 of getJobByID. */
  function visibleJob(c: Context<ApiEnv>): Job {
    const { raw, id } = pathId(c);
    if (!id.ok) throw new AppError(400, `integer expected in path for id: ${id.error}`);
    const job = reader.findJob(c.get("user"), id.value);
    if (!job) {
      throw new AppError(422, `finding job with db id ${raw} failed: sql: no rows in result set`);
    }
    return job;
  }

  /** Metric data for the job endpoints; any failure is a 500 naming the job. */
  async function jobEndpointData(job: Job, metrics: string[] | null): Promise<JobData> {
    const cluster = deps.archive.cluster(job.cluster);
    if (!cluster) {
      throw new AppError(
        500,
        `cannot load metric data of job ${job.jobId} (id ${job.id}): ` +
          `unknown cluster ${JSON.stringify(job.cluster)}`,
      );
    }
    const resolution = Math.max(0, ...cluster.metricConfig.map((m) => m.timestep));
    try {
      return await reader.loadData(job, { metrics, scopes: defaultScopes(job), resolution });
    } catch (error) {
      // cc-backend answers an empty 200 here; an error body says what failed.
      if (error instanceof AppError) throw new AppError(500, error.message, { cause: error });
      throw error;
    }
  }

  const listJobs: Handler<ApiEnv> = async (c) => {
    const request = parseListQuery(queryGroups(c));
    const jobs = await reader.listJobs(c.get("user"), request);
    const text =
      `{"jobs":[${jobs.map(restJobJson).join(",")}],"items":${request.page.itemsPerPage},` +
      `"page":${request.page.page}}`;
    return jsonResponse(c, null, { text });
  };

  const getCompleteJob: Handler<ApiEnv> = async (c) => {
    const job = visibleJob(c);
    const data = c.req.query("all-metrics") === "true" ? await jobEndpointData(job, null) : null;
    return jsonResponse(c, null, {
      text: `{"Meta":${restJobJson(job)},"Data":${jobDataJson(data)}}`,
    });
  };

  const getJobWithMetrics: Handler<ApiEnv> = async (c) => {
    const job = visibleJob(c);
    const metrics = metricNamesBody(await readJson<unknown>(c, {}, DECODE_PREFIX));
    const data = await jobEndpointData(job, metrics);
    const text = `{"Meta":${restJobJson(job)},"Data":${metricListJson(data, metrics ?? [])}}`;
    return jsonResponse(c, null, { text });
  };

  const jobMetrics: Handler<ApiEnv> = async (c) => {
    const query = new URL(c.req.url).searchParams;
    const metricNames = query.has("metric") ? query.getAll("metric") : null;
    const scopeNames = query.getAll("scope");
    for (const scope of scopeNames) {
      if (!METRIC_SCOPES.includes(scope as MetricScope)) {
        throw new AppError(
          400,
          `unmarshaling scope failed: SCHEMA/METRICS > ${scope} is not a valid MetricScope`,
        );
      }
    }
    const scopes = scopeNames.length ? scopeNames as MetricScope[] : null;
    // From here on cc-backend always answers 200, with errors inside the envelope.
    const failure = (message: string) =>
      jsonResponse(c, null, { text: `{"data":null,"error":{"message":${goString(message)}}}` });
    const { id } = pathId(c);
    if (!id.ok) return failure(id.error);
    const user = c.get("user");
    const job = reader.findJob(user, id.value);
    if (!job) return failure("sql: no rows in result set");
    // The GraphQL job resolver's extra rule, which even api-only tokens fail.
    if (
      user && job.user !== user.username && !hasAnyRole(user, ["admin", "support", "manager"])
    ) {
      return failure("you are not allowed to see this job");
    }
    const resolutions = deps.config.main.resampling?.resolutions ?? [];
    const resolution = resolutions.length ? Math.max(...resolutions) : 0;
    let data: JobData;
    try {
      data = await reader.loadData(job, { metrics: metricNames, scopes, resolution });
    } catch (error) {
      if (error instanceof AppError) return failure(error.message);
      throw error;
    }
    return jsonResponse(c, null, {
      text: `{"data":{"jobMetrics":${jobMetricsJson(data, metricNames ?? [])}},"error":null}`,
    });
  };

  const app = new Hono<ApiEnv>();
  const route = (method: "GET" | "POST", path: string, handler: Handler<ApiEnv>) => {
    if (options.guard) app.on(method, path, options.guard, handler);
    else app.on(method, path, handler);
  };
  route("GET", "/jobs/", listJobs);
  // Static paths before ":id".
  route("GET", "/jobs/metrics/:id", jobMetrics);
  route("POST", "/jobs/:id", getJobWithMetrics);
  route("GET", "/jobs/:id", getCompleteJob);
  return app;
}
