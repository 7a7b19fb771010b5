/**
 * The tagger service of `-server`. It always publishes the taggers as
 * `provided.taggers` for the admin API's on-demand runs; with
 * `main.enable-job-taggers` it also tags started jobs with their apps,
 * classifies archived jobs, and reloads the rules when `./var/tagger/apps`
 * or `./var/tagger/jobclasses` change. Stopping waits for on-demand runs.
 *
 * @module
 */
import { Taggers, type TaggersOptions } from "../tagger/mod.ts";
import type { RunningService, ServiceContext, ServiceFactory } from "./service_context.ts";

/** The running service, with its taggers. */
export interface TaggerService extends RunningService {
  taggers: Taggers;
}

/** Starts the taggers; `options` moves the rule directories (tests). */
export async function startTaggerService(
  ctx: ServiceContext,
  options: TaggersOptions = {},
): Promise<TaggerService> {
  const taggers = new Taggers({ db: ctx.db, archive: ctx.archive }, options);
  ctx.provided.taggers = taggers;
  const enabled = ctx.config.main.enableJobTaggers;
  let unsubscribe = () => {};
  if (enabled) {
    await taggers.load();
    unsubscribe = taggers.subscribe(ctx.jobHooks);
    taggers.watch();
  }
  return {
    // Without enable-job-taggers the rules load only when an admin starts a run.
    name: enabled ? "taggers" : "taggers (on demand only)",
    taggers,
    async stop() {
      unsubscribe();
      await taggers.close();
    },
  };
}

/** {@link startTaggerService} with the default rule directories, for the service list. */
export const taggerService: ServiceFactory = (ctx) => startTaggerService(ctx);
