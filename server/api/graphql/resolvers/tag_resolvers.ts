/**
 * Tags: the readable list, creating and deleting tags, and attaching them
 * to and detaching them from jobs, with the tag-scope rules of
 * `auth/tag_scope.ts` (the same as the REST API). Archived jobs get their
 * meta.json tag list rewritten after a change.
 *
 * @module
 */
import type { Job } from "../../../archive/types.ts";
import { hasRole } from "../../../auth/auth_user.ts";
import { canWriteTagScope } from "../../../auth/tag_scope.ts";
import { type Tag, withTransaction } from "../../../db/mod.ts";
import { AppError } from "../../../errors.ts";
import { updateArchivedMeta } from "../../../jobs/archived_meta.ts";
import { log } from "../../../log/logger.ts";
import { canReadTag, type GraphqlContext, parseId } from "../graphql_context.ts";
import { visibleJob } from "./job_resolvers.ts";
import type { ResolverMap } from "./resolver_types.ts";

/** The tags of `ids`, each checked to exist; a 404 names the first missing one. */
function existingTags(ctx: GraphqlContext, ids: readonly unknown[]): Tag[] {
  const parsed = ids.map((id) => parseId(id, "tag id"));
  const found = ctx.services.lookups.tagsById(parsed);
  return parsed.map((id) => {
    const tag = found.get(id);
    if (!tag) throw new AppError(404, `tag does not exist (ID): ${id}`);
    return tag;
  });
}

function mayWrite(ctx: GraphqlContext, scope: string): boolean {
  return !ctx.viewer || canWriteTagScope(ctx.viewer, scope);
}

/** Deleting a tag everywhere: administrators for global and admin tags, owners for private ones. */
function mayDelete(ctx: GraphqlContext, tag: Tag): boolean {
  const viewer = ctx.viewer;
  if (!viewer) return true;
  if (tag.scope === "global" || tag.scope === "admin") return hasRole(viewer, "admin");
  return tag.scope === viewer.username;
}

/** Rewrites the tag list of an archived job's meta.json from the database. */
async function syncArchivedTags(ctx: GraphqlContext, job: Job): Promise<void> {
  await updateArchivedMeta(job, { archive: ctx.services.deps.archive }, (meta) => {
    // The archive stores no database ids (cc-backend writes id 0).
    meta.tags = ctx.services.tags.tagsOfJob(job.id!).map((t) => ({
      type: t.type,
      name: t.name,
      scope: t.scope,
    }));
  });
}

function readableTagsOf(ctx: GraphqlContext, jobId: number): Tag[] {
  ctx.jobTags.clear();
  return ctx.services.tags.tagsOfJob(jobId).filter((t) => canReadTag(ctx, t.scope));
}

async function changeJobTags(
  ctx: GraphqlContext,
  args: { job: string; tagIds: string[] },
  action: "add" | "remove",
): Promise<Tag[]> {
  const job = visibleJob(ctx, args.job);
  const tags = existingTags(ctx, args.tagIds);
  for (const tag of tags) {
    if (!mayWrite(ctx, tag.scope)) {
      throw new AppError(403, `not authorized to ${action} tag: ${tag.id}`);
    }
  }
  const repo = ctx.services.tags;
  withTransaction(ctx.services.deps.db, () => {
    for (const tag of tags) {
      if (action === "add") repo.addTagToJob(job.id!, tag.id);
      else repo.removeTagFromJob(job.id!, tag.id);
    }
  });
  await syncArchivedTags(ctx, job);
  return readableTagsOf(ctx, job.id!);
}

async function deleteTags(ctx: GraphqlContext, ids: readonly unknown[]): Promise<number[]> {
  const tags = existingTags(ctx, ids);
  for (const tag of tags) {
    if (!mayDelete(ctx, tag)) throw new AppError(403, `not authorized to delete tag: ${tag.id}`);
  }
  const repo = ctx.services.tags;
  const affected = withTransaction(
    ctx.services.deps.db,
    () => tags.flatMap((t) => repo.deleteTag(t.id)),
  );
  ctx.jobTags.clear();
  for (const id of new Set(affected)) {
    const job = ctx.services.jobs.findById(id, { visibility: null });
    if (!job) continue;
    try {
      await syncArchivedTags(ctx, job);
    } catch (error) {
      // The tags are gone from the database either way; the archive catches up on re-import.
      log.error(`deleting tags: ${(error as Error).message}`);
    }
  }
  return tags.map((t) => t.id);
}

/** Resolvers of `tags` and the tag mutations. */
export const tagResolvers: ResolverMap = {
  Query: {
    tags: (_: unknown, __: unknown, ctx: GraphqlContext) =>
      ctx.services.tags.listTags().filter((t) => canReadTag(ctx, t.scope)),
  },
  Mutation: {
    createTag: (
      _: unknown,
      args: { type: string; name: string; scope: string },
      ctx: GraphqlContext,
    ) => {
      const scope = args.scope === "" && !ctx.viewer ? "global" : args.scope;
      if (!mayWrite(ctx, scope)) {
        throw new AppError(403, `not authorized to create tag with scope: ${scope}`);
      }
      return ctx.services.tags.getOrCreateTag({ type: args.type, name: args.name, scope });
    },
    deleteTag: async (_: unknown, args: { id: string }, ctx: GraphqlContext) =>
      String((await deleteTags(ctx, [args.id]))[0]),
    addTagsToJob: (_: unknown, args: { job: string; tagIds: string[] }, ctx: GraphqlContext) =>
      changeJobTags(ctx, args, "add"),
    removeTagsFromJob: (_: unknown, args: { job: string; tagIds: string[] }, ctx: GraphqlContext) =>
      changeJobTags(ctx, args, "remove"),
    removeTagFromList: (_: unknown, args: { tagIds: string[] }, ctx: GraphqlContext) =>
      deleteTags(ctx, args.tagIds),
  },
};
