/**
 * The job taggers: application detection from job scripts (on job start)
 * and job classification from archived statistics (after archiving), with
 * rules from `./var/tagger/{apps,jobclasses}` or the built-in copies of
 * cc-backend's shipped rules, a safe expression language for the rules,
 * file watching, and on-demand runs over all jobs.
 *
 * @module
 */
export { type AppRule, matchApps, parseAppRules } from "./app_rules.ts";
export { APP_TAG_TYPE, AppTagger, DEFAULT_APPS_DIR } from "./app_tagger.ts";
export {
  appendHints,
  applyTagging,
  MESSAGE_KEY,
  type TaggerDeps,
  type TaggingChange,
  type TaggingResult,
} from "./apply_tagging.ts";
export { classifyJob, type JobClassification, jobEnvironment } from "./classify_job.ts";
export { ExprError } from "./expr_error.ts";
export type { ExprObject, ExprValue } from "./expr_eval.ts";
export { compileExpression, type Expression } from "./expression.ts";
export { compileHint, formatValue, type HintTemplate } from "./hint_template.ts";
export { type JobClassRule, PARAMETERS_FILE, parseJobClassRules } from "./job_class_rules.ts";
export { DEFAULT_JOBCLASSES_DIR, JOB_CLASS_TAG_TYPE, JobClassTagger } from "./job_class_tagger.ts";
export type { JobTagger, TaggerType } from "./job_tagger.ts";
export { type TaggerRun } from "./run_tagger.ts";
export { type TaggerControl, type TaggerInfo, Taggers, type TaggersOptions } from "./taggers.ts";
export { applyTags } from "./apply_tags.ts";
