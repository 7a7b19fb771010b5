/**
 * `-apply-tags`: load both taggers' rules and run them, one after the other,
 * over every non-running job. It does not need `main.enable-job-taggers`.
 *
 * @module
 */
import type { TaggerDeps } from "./apply_tagging.ts";
import type { TaggerRun } from "./run_tagger.ts";
import { Taggers, type TaggersOptions } from "./taggers.ts";

/** Runs AppTagger then JobClassTagger over all non-running jobs; resolves to their counts. */
export async function applyTags(
  deps: TaggerDeps,
  options: TaggersOptions = {},
): Promise<TaggerRun[]> {
  const taggers = new Taggers(deps, options);
  try {
    return await taggers.runAll();
  } finally {
    await taggers.close();
  }
}
