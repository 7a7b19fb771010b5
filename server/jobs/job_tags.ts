/**
 * Tagging jobs (REST `tag_job`, `DELETE /api/tags/`): attach and detach tags
 * of one job, delete tags everywhere. The database changes of one request are
 * one transaction; archived jobs get their meta.json tag list rewritten from
 * the database afterwards.
 *
 * @module
 */
import type { Job, JobTag } from "../archive/types.ts";
import { assertCanWriteTagScope } from "../auth/tag_scope.ts";
import { type Tag, withTransaction } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import { log } from "../log/logger.ts";
import { isArchived, updateArchivedMeta } from "./archived_meta.ts";
import { presentJob, readableTags } from "./job_lookup.ts";
import { type JobServiceDeps, reposOf } from "./job_service_deps.ts";
import { stepError } from "./step_error.ts";

/** A tag as API requests name it; an empty scope means `global`. */
export interface TagRequest {
  type: string;
  name: string;
  scope?: string;
}

/** Scopes whose tags the API may remove; private tags are skipped, as in cc-backend. */
const REMOVABLE_SCOPES = new Set(["global", "admin"]);

function scopeOf(tag: TagRequest): string {
  return tag.scope || "global";
}

function tagNotFound(tag: TagRequest): AppError {
  // Name before type, as cc-backend words it.
  return new AppError(
    404,
    `tag does not exist (name, type, scope): ${tag.name}, ${tag.type}, ${tag.scope ?? ""}`,
  );
}

/**
 * Attaches `tags` to `job` (found by the caller), creating missing tags.
 * Re-attaching a tag is a no-op. Returns the job with the tags the user may
 * read plus the ones just attached. Errors are `adding tag failed: ...`: 403
 * for a scope the user may not write, 422 when the type and name exist under
 * another scope, 400 for an empty type or name.
 */
export async function addJobTags(
  job: Job,
  tags: TagRequest[],
  deps: JobServiceDeps,
): Promise<Job> {
  const { tags: repo } = reposOf(deps.db);
  const shown = readableTags(job.id!, deps);
  try {
    if (deps.user) { for (const tag of tags) assertCanWriteTagScope(deps.user, scopeOf(tag)); }
    const added = withTransaction(deps.db, () =>
      tags.map((spec) => {
        const tag = repo.getOrCreateTag({ type: spec.type, name: spec.name, scope: scopeOf(spec) });
        repo.addTagToJob(job.id!, tag.id);
        return tag;
      }));
    for (const tag of added) if (!shown.some((t) => t.id === tag.id)) shown.push(asJobTag(tag));
    await syncArchivedTags(job, deps);
  } catch (error) {
    throw stepError(error, "adding tag failed");
  }
  return presentJob(job, deps, { tags: shown });
}

/**
 * Detaches `tags` from `job`. Tags of private scopes are skipped; a tag that
 * does not exist is a 404 and nothing is detached. Returns the job with the
 * remaining tags the user may read. Errors are `removing tag failed: ...`.
 */
export async function removeJobTags(
  job: Job,
  tags: TagRequest[],
  deps: JobServiceDeps,
): Promise<Job> {
  try {
    const found = findRemovable(tags, deps);
    withTransaction(deps.db, () => {
      for (const tag of found) reposOf(deps.db).tags.removeTagFromJob(job.id!, tag.id);
    });
    await syncArchivedTags(job, deps);
  } catch (error) {
    throw stepError(error, "removing tag failed");
  }
  return presentJob(job, deps);
}

/** What {@link deleteTags} did. */
export interface DeletedTags {
  deleted: number;
  requested: number;
}

/**
 * Deletes `tags` and all their links to jobs; tags of private scopes are
 * skipped. A tag that does not exist is a 404 and nothing is deleted.
 * Archived jobs that carried a deleted tag get their meta.json rewritten;
 * failures there are logged (the tags are gone from the database either way).
 */
export async function deleteTags(tags: TagRequest[], deps: JobServiceDeps): Promise<DeletedTags> {
  const { jobs, tags: repo } = reposOf(deps.db);
  let affected: number[];
  let found: Tag[];
  try {
    found = findRemovable(tags, deps);
    affected = withTransaction(deps.db, () => found.flatMap((tag) => repo.deleteTag(tag.id)));
  } catch (error) {
    throw stepError(error, "removing tag failed");
  }
  for (const id of new Set(affected)) {
    const job = jobs.findById(id);
    if (!job || !isArchived(job)) continue;
    try {
      await syncArchivedTags(job, deps);
    } catch (error) {
      log.error(`deleting tags: ${(error as Error).message}`);
    }
  }
  return { deleted: found.length, requested: tags.length };
}

/** The stored tags of the removable scopes among `tags`, checking write rights and existence. */
function findRemovable(tags: TagRequest[], deps: JobServiceDeps): Tag[] {
  const found: Tag[] = [];
  for (const spec of tags) {
    if (!REMOVABLE_SCOPES.has(spec.scope ?? "")) {
      log.warn(`cannot delete private tag ${JSON.stringify(`${spec.type}:${spec.name}`)}: skip`);
      continue;
    }
    if (deps.user) assertCanWriteTagScope(deps.user, spec.scope!);
    const tag = reposOf(deps.db).tags.findTagInScope(spec);
    if (!tag) throw tagNotFound(spec);
    if (!found.some((t) => t.id === tag.id)) found.push(tag);
  }
  return found;
}

/** Rewrites an archived job's meta.json tag list from the database. */
async function syncArchivedTags(job: Job, deps: JobServiceDeps): Promise<void> {
  await updateArchivedMeta(job, deps, (meta) => {
    // The archive stores no database ids (cc-backend writes id 0).
    meta.tags = reposOf(deps.db).tags.tagsOfJob(job.id!).map((t) => ({
      type: t.type,
      name: t.name,
      scope: t.scope,
    }));
  });
}

function asJobTag(tag: Tag): JobTag {
  return { type: tag.type, name: tag.name, scope: tag.scope, id: tag.id };
}
