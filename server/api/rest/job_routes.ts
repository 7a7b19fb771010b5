/**
 * The job-control routes of `/api`: start and stop (only without NATS
 * `api-subjects`), used nodes, metadata edits and deletes. Handlers decode
 * and answer; the work is done by the job services in `server/jobs/`.
 *
 * The job read routes (`GET /jobs/`, `GET|POST /jobs/:id`, `GET
 * /jobs/metrics/:id`) live in `job_read_routes.ts` and must be mounted AFTER
 * these: Hono tries routes in registration order, and `/jobs/:id` would
 * otherwise swallow `/jobs/used_nodes`.
 *
 * @module
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { AppError } from "../../errors.ts";
import { OMIT_TAGGED_VALUES, type OmitTagged } from "../../db/mod.ts";
import {
  announceStart,
  announceStop,
  deleteJobById,
  deleteJobByLookup,
  deleteJobsBefore,
  editJobMeta,
  findJobByLookup,
  findVisibleJob,
  inProcessJobWriter,
  type JobServiceDeps,
  prepareStart,
  readableTags,
  type StartJobRequest,
  type StopJobRequest,
  usedNodes,
} from "../../jobs/mod.ts";
import type { ApiEnv } from "./api_env.ts";
import { parseGoInt } from "./go_int.ts";
import {
  DELETE_JOB_SCHEMA,
  EDIT_META_BY_REQUEST_SCHEMA,
  EDIT_META_SCHEMA,
  START_JOB_SCHEMA,
  STOP_JOB_SCHEMA,
} from "./job_control_schemas.ts";
import { jobResponse, pathInteger } from "./job_control_http.ts";
import { jsonResponse } from "./json_response.ts";
import { readJson } from "./read_json.ts";
import type { RestDeps } from "./rest_deps.ts";
import { requireRole } from "./role_check.ts";

/** The service dependencies of one request: the app's, plus the request's user. */
export function jobServiceDeps(deps: RestDeps, c: Context<ApiEnv>): JobServiceDeps {
  return {
    db: deps.db,
    archive: deps.archive,
    user: c.get("user"),
    now: deps.now,
    hooks: deps.jobHooks,
  };
}

interface MetaEditBody {
  key?: string | null;
  value?: string | null;
}

interface MetaEditByRequestBody {
  jobId?: number | null;
  cluster?: string | null;
  startTime?: number | null;
  payload?: MetaEditBody | null;
}

/** The routes of this group; each route carries `options.guard`. */
export function jobRoutes(
  deps: RestDeps,
  options: { guard: MiddlewareHandler<ApiEnv> },
): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  const { guard } = options;

  // With NATS api-subjects, jobs are started and stopped over NATS only.
  if (!deps.config.main.apiSubjects) {
    const writer = deps.jobWriter ?? inProcessJobWriter(deps.db);
    r.on(["POST", "PUT"], "/jobs/start_job/", guard, async function startJobHandler(c) {
      const request = await readJson<StartJobRequest>(
        c,
        START_JOB_SCHEMA,
        "parsing request body failed",
      );
      const service = jobServiceDeps(deps, c);
      // Group commit: concurrent starts and stops share one transaction.
      announceStart(await writer.start(prepareStart(request, service)), service);
      return jsonResponse(c, { msg: "success" }, { status: 201 });
    });

    r.on(["POST", "PUT"], "/jobs/stop_job/", guard, async function stopJobHandler(c) {
      const request = await readJson<StopJobRequest>(
        c,
        STOP_JOB_SCHEMA,
        "parsing request body failed",
      );
      const service = jobServiceDeps(deps, c);
      const job = await writer.stop(request);
      announceStop(job, service);
      return jobResponse(c, { ...job, tags: readableTags(job.id!, service) });
    });
  }

  r.get("/jobs/used_nodes", guard, function usedNodesHandler(c) {
    requireRole(c, "api", "missing role: api");
    const ts = c.req.query("ts");
    if (!ts) throw new AppError(400, "missing required query parameter: ts");
    const parsed = parseGoInt(ts);
    if (!parsed.ok) throw new AppError(400, `invalid timestamp format: ${parsed.error}`);
    const used = usedNodes(Number(parsed.value), jobServiceDeps(deps, c));
    return jsonResponse(c, { usedNodes: used });
  });

  // The by-request route first: `/edit_meta/` must not reach `/edit_meta/:id`.
  r.patch("/jobs/edit_meta/", guard, async function editMetaByRequestHandler(c) {
    const prefix = "parsing request body failed";
    const body = await readJson<MetaEditByRequestBody>(c, EDIT_META_BY_REQUEST_SCHEMA, prefix);
    if (body.jobId === undefined || body.jobId === null) {
      throw new AppError(400, "the field 'jobId' is required");
    }
    const key = requireKey(body.payload?.key, `${prefix}: the field 'payload.key' is required`);
    const service = jobServiceDeps(deps, c);
    const job = findJobByLookup(body, service, { notFoundStatus: 422 });
    const value = body.payload?.value ?? "";
    return jobResponse(c, await editJobMeta(job, { key, value }, service));
  });

  r.patch("/jobs/edit_meta/:id", guard, async function editMetaHandler(c) {
    const id = pathInteger(c.req.param("id"), "parsing job ID failed");
    const service = jobServiceDeps(deps, c);
    const job = findVisibleJob(id.id, service);
    const prefix = "decoding request failed";
    const body = await readJson<MetaEditBody>(c, EDIT_META_SCHEMA, prefix);
    const key = requireKey(body.key, `${prefix}: the field 'key' is required`);
    return jobResponse(c, await editJobMeta(job, { key, value: body.value ?? "" }, service));
  });

  r.delete("/jobs/delete_job/", guard, async function deleteJobByRequestHandler(c) {
    const body = await readJson<{ jobId?: number | null }>(
      c,
      DELETE_JOB_SCHEMA,
      "parsing request body failed",
    );
    const id = deleteJobByLookup(body, jobServiceDeps(deps, c));
    return jsonResponse(c, { msg: `Successfully deleted job ${id}` });
  });

  r.delete("/jobs/delete_job/:id", guard, function deleteJobHandler(c) {
    const id = pathInteger(c.req.param("id"), "integer expected in path for id");
    deleteJobById(id.id, jobServiceDeps(deps, c));
    return jsonResponse(c, { msg: `Successfully deleted job ${id.text}` });
  });

  r.delete("/jobs/delete_job_before/:ts", guard, function deleteJobsBeforeHandler(c) {
    const ts = pathInteger(c.req.param("ts"), "integer expected in path for ts");
    const omitTagged = c.req.query("omit-tagged") || "none";
    if (!(OMIT_TAGGED_VALUES as readonly string[]).includes(omitTagged)) {
      throw new AppError(400, `omit-tagged must be one of: ${OMIT_TAGGED_VALUES.join(", ")}`);
    }
    const n = deleteJobsBefore(ts.value, omitTagged as OmitTagged, jobServiceDeps(deps, c));
    return jsonResponse(c, { msg: `Successfully deleted ${n} jobs` });
  });

  return r;
}

function requireKey(key: string | null | undefined, message: string): string {
  if (!key) throw new AppError(400, message);
  return key;
}
