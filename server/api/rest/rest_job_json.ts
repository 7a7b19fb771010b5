/**
 * The JSON the job read endpoints answer with, key for key as cc-backend 1.5:
 * a job as its repository scans it (no `energyFootprint`, no `submitTime`,
 * `concurrentJobs` always empty), and metric data as `{metric, scope}`
 * entries or a `JobData` map.
 *
 * @module
 */

import { encodeJobData, encodeJobMeta, encodeJobMetric } from "../../archive/mod.ts";
import { goString } from "../../archive/go_json.ts";
import {
  type Job,
  type JobData,
  type JobMetric,
  METRIC_SCOPES,
  type MetricScope,
} from "../../archive/types.ts";

/** A job object in the reference's key order and omitempty rules. */
export function restJobJson(job: Job): string {
  return encodeJobMeta({
    ...job,
    // cc-backend's job scan reads neither column, so the API never shows them.
    energyFootprint: null,
    submitTime: undefined,
    requestedMemory: undefined,
    metaData: job.metaData ?? null,
    concurrentJobs: { items: null, count: 0 },
  });
}

/** A metric with one of its scopes. */
export interface NamedMetric {
  name: string;
  scope: MetricScope;
  metric: JobMetric;
}

/**
 * The (metric, scope) pairs of `data`: in `order` first (requested metric
 * names), then the rest by name; scopes from coarse to fine.
 */
export function namedMetrics(data: JobData, order: readonly string[] = []): NamedMetric[] {
  const names = [...new Set([...order, ...Object.keys(data).sort()])]
    .filter((n) => Object.hasOwn(data, n));
  return names.flatMap((name) => {
    const perScope = data[name];
    const present = Object.keys(perScope) as MetricScope[];
    // Known scopes from coarse to fine, then anything else an archive may hold.
    const scopes = [
      ...METRIC_SCOPES.filter((s) => present.includes(s)),
      ...present.filter((s) => !METRIC_SCOPES.includes(s)).sort(),
    ];
    return scopes.filter((scope) => perScope[scope])
      .map((scope) => ({ name, scope, metric: perScope[scope]! }));
  });
}

/** `[{"metric":...,"name":...,"scope":...}]` as `POST /api/jobs/{id}` answers. */
export function metricListJson(data: JobData, order?: readonly string[]): string {
  return `[${
    namedMetrics(data, order).map(({ name, scope, metric }) =>
      `{"metric":${encodeJobMetric(metric)},"name":${goString(name)},"scope":${goString(scope)}}`
    ).join(",")
  }]`;
}

/** `[{"name":...,"scope":...,"metric":...}]` as the GraphQL-shaped metrics endpoint answers. */
export function jobMetricsJson(data: JobData, order?: readonly string[]): string {
  return `[${
    namedMetrics(data, order).map(({ name, scope, metric }) =>
      `{"name":${goString(name)},"scope":${goString(scope)},"metric":${encodeJobMetric(metric)}}`
    ).join(",")
  }]`;
}

/** A `JobData` map, or `null`. */
export function jobDataJson(data: JobData | null): string {
  return data === null ? "null" : encodeJobData(data);
}
