/**
 * `-apply-tags`: runs AppTagger and JobClassTagger over every non-running
 * job with the rules of `./var/tagger` (or the built-in ones) and prints
 * what each did. The program then goes on, as cc-backend does.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { FileArchive } from "../../server/archive/mod.ts";
import { applyTags } from "../../server/tagger/mod.ts";

/** Runs both taggers on all non-running jobs and prints one summary line per tagger. */
export async function runApplyTags(db: DatabaseSync, archive: FileArchive): Promise<void> {
  for (const run of await applyTags({ db, archive })) {
    console.log(
      `${run.tagger}: ${run.jobs} jobs, ${run.changedJobs} changed, ` +
        `${run.tagsAdded} tags added, ${run.failed} failed`,
    );
  }
}
