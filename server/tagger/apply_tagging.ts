/**
 * Writing what a tagger found: `global` tags of one job (skipped when the job
 * already carries a tag of that type and name, whatever its scope) and hint
 * lines appended to the job's `message` metadata (a line already there is
 * not added again, so repeated runs do not pile up). The database changes are
 * one transaction; an archived job then gets its meta.json tags and metadata
 * rewritten from the database.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { FileArchive, Job } from "../archive/mod.ts";
import { type TagSpec, withTransaction } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import { ARCHIVING_SUCCESSFUL, updateArchivedMeta } from "../jobs/mod.ts";
import { reposOf } from "../jobs/job_service_deps.ts";
import { log } from "../log/logger.ts";

/** What the taggers work on. */
export interface TaggerDeps {
  db: DatabaseSync;
  archive: FileArchive;
}

/** What to add to one job. */
export interface TaggingChange {
  /** Tags to attach (created with scope `global` when missing). */
  tags: Pick<TagSpec, "type" | "name">[];
  /** Hint lines for the `message` metadata key. */
  hints?: string[];
}

/** What {@link applyTagging} changed. */
export interface TaggingResult {
  /** `type:name` of each tag attached now. */
  added: string[];
  messageChanged: boolean;
}

/** The metadata key the job-class hints go to. */
export const MESSAGE_KEY = "message";

/** `message` with every hint appended that is not already one of its lines. */
export function appendHints(message: string | undefined, hints: readonly string[]): string {
  let result = message ?? "";
  for (const hint of hints) {
    if (`\n${result}\n`.includes(`\n${hint}\n`)) continue;
    result = result === "" ? hint : `${result}\n${hint}`;
  }
  return result;
}

/**
 * Applies `change` to `job` (which needs its database id). With `archived`,
 * the job's meta.json is updated too; failures there are logged, as the
 * database already holds the change.
 */
export async function applyTagging(
  job: Job,
  change: TaggingChange,
  deps: TaggerDeps,
  options: { archived: boolean },
): Promise<TaggingResult> {
  const { jobs, tags: repo } = reposOf(deps.db);
  const id = job.id!;
  const hints = change.hints ?? [];
  let message: string | undefined;
  const result = withTransaction(deps.db, () => {
    const done: TaggingResult = { added: [], messageChanged: false };
    const present = repo.tagsOfJob(id);
    for (const spec of change.tags) {
      if (present.some((t) => t.type === spec.type && t.name === spec.name)) continue;
      const label = `${spec.type}:${spec.name}`;
      try {
        const tag = repo.getOrCreateTag({ type: spec.type, name: spec.name, scope: "global" });
        if (repo.addTagToJob(id, tag.id)) done.added.push(label);
      } catch (error) {
        // The tag exists under a private scope: leave it alone rather than widen or share it.
        if (!(error instanceof AppError) || error.status !== 422) throw error;
        log.warn(`tagger: cannot tag job ${id} with ${label}: ${error.message}`);
      }
    }
    if (hints.length > 0) {
      const metaData = jobs.metadataOf(id);
      if (metaData !== null) {
        const next = appendHints(metaData[MESSAGE_KEY], hints);
        if (next !== (metaData[MESSAGE_KEY] ?? "")) {
          jobs.setMetadata(id, MESSAGE_KEY, next);
          message = next;
          done.messageChanged = true;
        }
      }
    }
    return done;
  });
  if (options.archived && (result.added.length > 0 || result.messageChanged)) {
    try {
      await syncArchive(job, deps, message);
    } catch (error) {
      log.error(`tagger: ${(error as Error).message}`);
    }
  }
  return result;
}

async function syncArchive(job: Job, deps: TaggerDeps, message: string | undefined) {
  const archived = { ...job, monitoringStatus: ARCHIVING_SUCCESSFUL };
  if (archived.jobState === "running") return;
  await updateArchivedMeta(archived, deps, (meta) => {
    // The archive stores no database ids.
    meta.tags = reposOf(deps.db).tags.tagsOfJob(job.id!).map((t) => ({
      type: t.type,
      name: t.name,
      scope: t.scope,
    }));
    if (message !== undefined) meta.metaData = { ...meta.metaData, [MESSAGE_KEY]: message };
  });
}
