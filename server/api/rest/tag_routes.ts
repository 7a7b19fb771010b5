/**
 * The tag routes of `/api`: attach tags to and detach them from one job
 * (`/jobs/tag_job/:id`), and delete tags everywhere (`DELETE /tags/`).
 *
 * @module
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { Job } from "../../archive/types.ts";
import {
  addJobTags,
  deleteTags,
  findVisibleJob,
  type JobServiceDeps,
  removeJobTags,
  type TagRequest,
} from "../../jobs/mod.ts";
import type { ApiEnv } from "./api_env.ts";
import { TAG_LIST_SCHEMA } from "./job_control_schemas.ts";
import { jobResponse, pathInteger } from "./job_control_http.ts";
import { jobServiceDeps } from "./job_routes.ts";
import { readJson } from "./read_json.ts";
import type { RestDeps } from "./rest_deps.ts";

type TagBody = { type?: string | null; name?: string | null; scope?: string | null }[];

async function readTags(c: Context<ApiEnv>): Promise<TagRequest[]> {
  const body = await readJson<TagBody>(c, TAG_LIST_SCHEMA, "decoding request failed");
  return body.map((t) => ({ type: t.type ?? "", name: t.name ?? "", scope: t.scope ?? "" }));
}

/** The routes of this group; each route carries `options.guard`. */
export function tagRoutes(
  deps: RestDeps,
  options: { guard: MiddlewareHandler<ApiEnv> },
): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  const { guard } = options;

  /** Finds the job of the path (before the body is read, as cc-backend does) and edits its tags. */
  function editTags(
    edit: (job: Job, tags: TagRequest[], service: JobServiceDeps) => Promise<Job>,
  ) {
    return async function tagJobHandler(c: Context<ApiEnv>) {
      const id = pathInteger(c.req.param("id") ?? "", "parsing job ID failed");
      const service = jobServiceDeps(deps, c);
      const job = findVisibleJob(id.id, service);
      return jobResponse(c, await edit(job, await readTags(c), service));
    };
  }

  r.on(["POST", "PATCH"], "/jobs/tag_job/:id", guard, editTags(addJobTags));
  r.delete("/jobs/tag_job/:id", guard, editTags(removeJobTags));

  r.delete("/tags/", guard, async function removeTagsHandler(c) {
    const tags = await readTags(c);
    const { deleted, requested } = await deleteTags(tags, jobServiceDeps(deps, c));
    // "successfull" is the original's spelling; scripts parse this line.
    return c.body(`Deleted Tags from DB: ${deleted} successfull of ${requested} requested\n`, 200, {
      "Content-Type": "text/plain; charset=utf-8",
    });
  });

  return r;
}
