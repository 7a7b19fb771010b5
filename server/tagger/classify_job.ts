/**
 * Evaluating job-class rules on one job, without touching the database: the
 * environment cc-backend builds (`job`, one object per listed metric with its
 * statistics and subcluster limits, the parameters, then the variables) and
 * which rules match with which hints. A rule whose metric has no statistics
 * or no subcluster config, or whose requirement or variable fails, is skipped
 * for that job (the reason is reported).
 *
 * @module
 */
import type { Job, JobStatistics, SubClusterMetricConfig } from "../archive/mod.ts";
import type { ExprObject, ExprValue } from "./expr_eval.ts";
import type { JobClassRule } from "./job_class_rules.ts";

/** What the rules see of a job. */
export interface JobClassInput {
  job: Job;
  /** meta.json `statistics` of the archived job. */
  statistics: Readonly<Record<string, JobStatistics>> | undefined | null;
  /** The metric configs of the job's subcluster (for `limits`). */
  metricConfig: readonly SubClusterMetricConfig[];
}

/** A rule that matched, with its rendered hint. */
export interface JobClassMatch {
  tag: string;
  hint: string;
}

/** The outcome for one job. */
export interface JobClassification {
  matches: JobClassMatch[];
  /** Rules that could not be evaluated for this job, with the reason. */
  skipped: { tag: string; reason: string }[];
}

/** The `job` object of a rule's environment, with the fields cc-backend provides. */
export function jobEnvironment(job: Job): ExprObject {
  return {
    shared: job.shared ?? "",
    duration: job.duration ?? 0,
    numCores: job.numHwthreads ?? 0,
    numNodes: job.numNodes ?? 0,
    jobState: job.jobState ?? "",
    numAcc: job.numAcc ?? 0,
    smt: job.smt ?? 0,
  };
}

/** The environment of `rule` for this job before its variables, or the reason there is none. */
function ruleEnvironment(
  rule: JobClassRule,
  input: JobClassInput,
): Record<string, ExprValue> | string {
  const env: Record<string, ExprValue> = { job: jobEnvironment(input.job) };
  for (const metric of rule.metrics) {
    const stats = input.statistics?.[metric];
    if (!stats) return `the job has no statistics for metric ${JSON.stringify(metric)}`;
    const config = input.metricConfig.find((m) => m.name === metric);
    if (!config) {
      return `metric ${JSON.stringify(metric)} is not configured for subcluster ${
        JSON.stringify(input.job.subCluster)
      } of cluster ${JSON.stringify(input.job.cluster)}`;
    }
    env[metric] = {
      min: stats.min,
      max: stats.max,
      avg: stats.avg,
      limits: {
        peak: config.peak ?? 0,
        normal: config.normal ?? 0,
        caution: config.caution ?? 0,
        alert: config.alert ?? 0,
      },
    };
  }
  Object.assign(env, rule.parameters);
  return env;
}

/** Evaluates `rules` in order on one job. */
export function classifyJob(
  input: JobClassInput,
  rules: readonly JobClassRule[],
): JobClassification {
  const result: JobClassification = { matches: [], skipped: [] };
  for (const rule of rules) {
    const env = ruleEnvironment(rule, input);
    if (typeof env === "string") {
      result.skipped.push({ tag: rule.tag, reason: env });
      continue;
    }
    try {
      if (!rule.requirements.every((r) => r.evaluateBool(env))) continue;
      for (const variable of rule.variables) {
        env[variable.name] = variable.expr.evaluateNumber(env);
      }
      if (!rule.rule.evaluateBool(env)) continue;
    } catch (error) {
      result.skipped.push({ tag: rule.tag, reason: (error as Error).message });
      continue;
    }
    result.matches.push({ tag: rule.tag, hint: rule.hint.render(env) });
  }
  return result;
}
