/**
 * Running one tagger over every non-running job (`-apply-tags`,
 * `POST /config/taggers/run/`): counts what it did, logs failures per job
 * and carries on, yields to the event loop now and then so a server stays
 * responsive, and stops early when aborted.
 *
 * @module
 */
import { reposOf } from "../jobs/job_service_deps.ts";
import { log } from "../log/logger.ts";
import type { TaggerDeps } from "./apply_tagging.ts";
import type { JobTagger } from "./job_tagger.ts";
import { nonRunningJobIds } from "./taggable_jobs.ts";

/** What one run did. */
export interface TaggerRun {
  tagger: string;
  /** Jobs visited. */
  jobs: number;
  /** Jobs that got a tag or a new message line. */
  changedJobs: number;
  /** Tags attached. */
  tagsAdded: number;
  /** Jobs whose tagging failed (logged). */
  failed: number;
  /** Whether the run stopped early (server shutdown). */
  aborted: boolean;
}

/** How many jobs to tag between two yields to the event loop. */
const BATCH = 100;

/** Runs `tagger` over all non-running jobs of `deps.db`. */
export async function runTagger(
  tagger: JobTagger,
  deps: TaggerDeps,
  options: { signal?: AbortSignal } = {},
): Promise<TaggerRun> {
  const run: TaggerRun = {
    tagger: tagger.name,
    jobs: 0,
    changedJobs: 0,
    tagsAdded: 0,
    failed: 0,
    aborted: false,
  };
  const { jobs } = reposOf(deps.db);
  const ids = nonRunningJobIds(deps.db);
  log.info(`${tagger.name}: tagging ${ids.length} jobs`);
  for (const [index, id] of ids.entries()) {
    if (index % BATCH === 0 && index > 0) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (options.signal?.aborted) {
      run.aborted = true;
      break;
    }
    const job = jobs.findById(id);
    // Deleted or restarted since the ids were read.
    if (!job || job.jobState === "running") continue;
    run.jobs++;
    try {
      const result = await tagger.tagJob(job);
      if (result && (result.added.length > 0 || result.messageChanged)) run.changedJobs++;
      run.tagsAdded += result?.added.length ?? 0;
    } catch (error) {
      run.failed++;
      log.warn(`${tagger.name}: job ${id}: ${(error as Error).message}`);
    }
  }
  log.info(
    `${tagger.name}: ${run.jobs} jobs tagged${run.aborted ? " (stopped early)" : ""}: ` +
      `${run.changedJobs} changed, ${run.tagsAdded} tags added, ${run.failed} failed`,
  );
  return run;
}
