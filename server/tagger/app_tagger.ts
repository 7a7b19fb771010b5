/**
 * The application tagger: tags a job `app:<name>` (scope `global`) for every
 * app whose pattern matches its job script (`metaData.jobScript`). Runs on
 * job start and on demand.
 *
 * @module
 */
import type { Job } from "../archive/mod.ts";
import { reposOf } from "../jobs/job_service_deps.ts";
import { isArchived } from "../jobs/mod.ts";
import { log } from "../log/logger.ts";
import { type AppRule, matchApps, parseAppRules } from "./app_rules.ts";
import { applyTagging, type TaggerDeps, type TaggingResult } from "./apply_tagging.ts";
import { DEFAULT_APP_FILES } from "./default_rules/apps.ts";
import type { JobTagger } from "./job_tagger.ts";
import { readRuleFiles, type RuleFile } from "./rule_files.ts";

/** Where cc-backend reads the app rules from (relative to the working directory). */
export const DEFAULT_APPS_DIR = "./var/tagger/apps";

/** The tag type of detected applications. */
export const APP_TAG_TYPE = "app";

const BUILT_IN: RuleFile[] = Object.entries(DEFAULT_APP_FILES).map(([name, text]) => ({
  name,
  text,
}));

/** Detects applications from job scripts. */
export class AppTagger implements JobTagger {
  readonly name = "AppTagger";
  readonly type = "start";
  readonly dir: string;
  readonly #deps: TaggerDeps;
  #apps: AppRule[] = [];

  /** Rules come from `options.dir` (default `./var/tagger/apps`); call {@link load} first. */
  constructor(deps: TaggerDeps, options: { dir?: string } = {}) {
    this.#deps = deps;
    this.dir = options.dir ?? DEFAULT_APPS_DIR;
  }

  /** The loaded apps, in rule order. */
  get apps(): readonly AppRule[] {
    return this.#apps;
  }

  async load(): Promise<void> {
    const read = await readRuleFiles(this.dir, { accept: () => true, defaults: BUILT_IN });
    const parsed = parseAppRules(read.files);
    for (const problem of [...read.errors, ...parsed.errors]) log.warn(`${this.name}: ${problem}`);
    this.#apps = parsed.apps;
    log.info(`${this.name}: ${parsed.apps.length} apps loaded from ${read.origin}`);
  }

  async tagJob(job: Job): Promise<TaggingResult | null> {
    const metaData = job.metaData ?? reposOf(this.#deps.db).jobs.metadataOf(job.id!);
    const script = metaData?.jobScript;
    if (typeof script !== "string" || script === "") return null;
    const apps = matchApps(script, this.#apps);
    if (apps.length === 0) return null;
    return await applyTagging(
      job,
      { tags: apps.map((name) => ({ type: APP_TAG_TYPE, name })) },
      this.#deps,
      { archived: isArchived(job) },
    );
  }
}
