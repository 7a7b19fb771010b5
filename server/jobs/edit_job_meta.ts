/**
 * Setting one metadata key of a job (REST `edit_meta`): merged into the
 * database's `meta_data` and, for an archived job, into its meta.json.
 *
 * @module
 */
import type { Job } from "../archive/types.ts";
import { AppError } from "../errors.ts";
import { updateArchivedMeta } from "./archived_meta.ts";
import { NO_ROWS, presentJob } from "./job_lookup.ts";
import { type JobServiceDeps, reposOf } from "./job_service_deps.ts";
import { stepError } from "./step_error.ts";

/** One metadata entry to set. */
export interface MetadataEdit {
  key: string;
  value: string;
}

/**
 * Sets `edit.key` to `edit.value` in the metadata of `job` (found by the
 * caller) and returns the job as answered, with the merged metadata.
 * Failures are 500 `updating metadata failed: ...` (404 if the job vanished).
 */
export async function editJobMeta(
  job: Job,
  edit: MetadataEdit,
  deps: JobServiceDeps,
): Promise<Job> {
  let metaData: Record<string, string> | null;
  try {
    metaData = reposOf(deps.db).jobs.setMetadata(job.id!, edit.key, edit.value);
    if (metaData === null) throw new AppError(404, NO_ROWS);
    await updateArchivedMeta(job, deps, (meta) => {
      meta.metaData = { ...meta.metaData, [edit.key]: edit.value };
    });
  } catch (error) {
    throw stepError(error, "updating metadata failed");
  }
  return presentJob({ ...job, metaData }, deps);
}
