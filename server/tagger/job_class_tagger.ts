/**
 * The job-class tagger: evaluates the job-class rules on an archived job's
 * statistics, tags `jobClass:<tag>` (scope `global`) for each matching rule
 * and appends the rule's hint to the job's `message` metadata. Runs after a
 * job is archived and on demand.
 *
 * @module
 */
import type { Job } from "../archive/mod.ts";
import { isArchived } from "../jobs/mod.ts";
import { log } from "../log/logger.ts";
import { applyTagging, type TaggerDeps, type TaggingResult } from "./apply_tagging.ts";
import { classifyJob } from "./classify_job.ts";
import { DEFAULT_JOBCLASS_FILES } from "./default_rules/jobclasses.ts";
import { type JobClassRule, parseJobClassRules } from "./job_class_rules.ts";
import type { JobTagger } from "./job_tagger.ts";
import { readRuleFiles, type RuleFile } from "./rule_files.ts";

/** Where cc-backend reads the job-class rules from (relative to the working directory). */
export const DEFAULT_JOBCLASSES_DIR = "./var/tagger/jobclasses";

/** The tag type of job classes. */
export const JOB_CLASS_TAG_TYPE = "jobClass";

const BUILT_IN: RuleFile[] = Object.entries(DEFAULT_JOBCLASS_FILES).map(([name, content]) => ({
  name,
  text: JSON.stringify(content),
}));

/** Options of {@link JobClassTagger.tagJob}. */
export interface ClassifyOptions {
  /** The job is known to be archived (the archiver's hook); default: judged from the job. */
  archived?: boolean;
}

/** Classifies archived jobs by their statistics. */
export class JobClassTagger implements JobTagger {
  readonly name = "JobClassTagger";
  readonly type = "stop";
  readonly dir: string;
  readonly #deps: TaggerDeps;
  #rules: JobClassRule[] = [];

  /** Rules come from `options.dir` (default `./var/tagger/jobclasses`); call {@link load} first. */
  constructor(deps: TaggerDeps, options: { dir?: string } = {}) {
    this.#deps = deps;
    this.dir = options.dir ?? DEFAULT_JOBCLASSES_DIR;
  }

  /** The loaded rules, in order. */
  get rules(): readonly JobClassRule[] {
    return this.#rules;
  }

  async load(): Promise<void> {
    const read = await readRuleFiles(this.dir, {
      accept: (name) => name.endsWith(".json"),
      defaults: BUILT_IN,
    });
    const parsed = parseJobClassRules(read.files);
    for (const problem of [...read.errors, ...parsed.errors, ...parsed.warnings]) {
      log.warn(`${this.name}: ${problem}`);
    }
    this.#rules = parsed.rules;
    log.info(`${this.name}: ${parsed.rules.length} rules loaded from ${read.origin}`);
  }

  /**
   * Classifies `job`. Statistics come from the job itself when it carries
   * them (the archiver's copy), else from its meta.json; a job that is not
   * archived has none and is left alone.
   */
  async tagJob(job: Job, options: ClassifyOptions = {}): Promise<TaggingResult | null> {
    const archived = options.archived ?? isArchived(job);
    let statistics = job.statistics;
    if (!statistics) {
      if (!archived) return null;
      try {
        statistics = (await this.#deps.archive.loadJobMeta(job)).statistics;
      } catch (error) {
        throw new Error(
          `cannot load the statistics of job ${job.jobId} on ${JSON.stringify(job.cluster)} ` +
            `(id ${job.id}): ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
    const subCluster = this.#deps.archive.cluster(job.cluster)?.subClusters
      .find((sc) => sc.name === job.subCluster);
    const outcome = classifyJob(
      { job, statistics, metricConfig: subCluster?.metricConfig ?? [] },
      this.#rules,
    );
    for (const { tag, reason } of outcome.skipped) {
      log.debug(`${this.name}: rule ${JSON.stringify(tag)} skipped for job ${job.id}: ${reason}`);
    }
    if (outcome.matches.length === 0) return null;
    return await applyTagging(
      job,
      {
        tags: outcome.matches.map((m) => ({ type: JOB_CLASS_TAG_TYPE, name: m.tag })),
        hints: outcome.matches.map((m) => m.hint).filter((hint) => hint !== ""),
      },
      this.#deps,
      { archived },
    );
  }
}
