/**
 * Deterministic generator of the finished jobs of the demo site: meta.json
 * and data.json contents for jobs that ran over the last days, from a few
 * dozen users running typical HPC applications.
 *
 * @module
 */

import type { Job, JobData, JobState, JobStatistics } from "../archive/types.ts";
import { renderJobScript } from "./demo_apps.ts";
import {
  allocate,
  createDemoSite,
  type DemoSite,
  type DemoSiteOptions,
  type Draft,
  draftJob,
  partitionOf,
} from "./demo_site.ts";
import { estimateStatistics, generateJobData, type JobPlan } from "./generate_data.ts";
import { planMetrics } from "./job_profiles.ts";
import { jobStatistics } from "./job_statistics.ts";
import { computeFootprint } from "../importer/enrich_job.ts";
import { deriveSeed, Rng } from "./rng.ts";

/** Options of the finished-job generators. */
export interface DemoJobOptions extends DemoSiteOptions {
  /** The current time (unix seconds); all jobs end before it. */
  now: number;
  /** Length of the history in days (default 30). */
  days?: number;
  /** Number of jobs (default 1000). */
  count?: number;
  /** Job id of the first job (default 1,000,000); ids grow with the start time. */
  firstJobId?: number;
  /** Longest series of data.json (default 1440 samples). */
  maxPoints?: number;
}

/** A finished job: the contents of its meta.json and data.json. */
export interface DemoJob {
  meta: Job;
  data: JobData;
}

const FINAL_STATES = [
  ["completed", 78],
  ["failed", 8],
  ["cancelled", 7],
  ["timeout", 5],
  ["out_of_memory", 2],
] as const satisfies readonly (readonly [JobState, number])[];

interface Timed {
  draft: Draft;
  state: JobState;
  start: number;
  duration: number;
}

function timeJob(rng: Rng, draft: Draft, options: { now: number; days: number }): Timed {
  const state = rng.weighted(FINAL_STATES);
  const window = Math.max(300, options.days * 86400);
  let { walltime } = draft;
  let duration = state === "timeout"
    ? walltime
    : state === "failed"
    ? rng.logUniform(120, Math.min(walltime, 7200))
    : rng.logUniform(120, walltime * 0.98);
  duration = Math.min(Math.round(duration), window - 60);
  if (state === "timeout") walltime = duration;
  const latest = options.now - duration - 30;
  const start = rng.int(latest - (window - duration - 60), latest);
  return { draft: { ...draft, walltime }, state, start, duration };
}

/** Builds the plan of one job: placement, ids, script, meta.json and metric levels. */
function planJob(
  rng: Rng,
  spec: Timed & { jobId: number; seed: number | string; end: number },
): JobPlan {
  const { draft, start, duration, jobId, state } = spec;
  const { target, app, user, numNodes, gpusPerNode, walltime, profile } = draft;
  const resources = allocate(rng, { draft, start, end: spec.end });
  const coresPerNode = target.subCluster.socketsPerNode * target.subCluster.coresPerSocket;
  const coreShare = gpusPerNode > 0 ? gpusPerNode / target.slots : 1;
  const jobName = rng.pick(app.jobNames);
  const jobScript = renderJobScript(app, {
    rng,
    jobName,
    numNodes,
    tasksPerNode: gpusPerNode > 0 ? gpusPerNode : profile === "serial" ? 1 : coresPerNode,
    gpusPerNode,
    partition: partitionOf(draft),
    gpuModel: target.subCluster.topology.accelerators?.[0]?.model.toLowerCase(),
    walltime,
  });
  const numAcc = gpusPerNode * numNodes;
  const meta: Job = {
    jobId,
    user: user.user,
    project: user.project,
    cluster: target.cluster.name,
    subCluster: target.subCluster.name,
    partition: partitionOf(draft),
    numNodes,
    numHwthreads: resources.reduce((n, r) => n + (r.hwthreads?.length ?? 0), 0),
    ...(numAcc > 0 ? { numAcc } : {}),
    shared: coreShare < 1 ? "multi_user" : "none",
    monitoringStatus: state === "running" ? 1 : 3,
    smt: target.subCluster.threadsPerCore,
    jobState: state,
    submitTime: start - Math.round(rng.logUniform(5, 4 * 3600)),
    startTime: start,
    duration,
    walltime,
    resources,
    metaData: { jobScript, jobName },
    tags: [],
  };
  const metrics = planMetrics(rng, {
    metrics: target.metrics,
    profile,
    numNodes,
    coreShare,
    cores: coresPerNode * coreShare,
    gpusPerNode,
    outOfMemory: state === "out_of_memory",
  });
  return {
    meta,
    metrics,
    dataSeed: deriveSeed(spec.seed, `${meta.cluster}/${jobId}`),
    crashed: state === "failed" || state === "out_of_memory",
    dips: profile !== "serial" && profile !== "idle" && rng.chance(0.5),
  };
}

/** Site plus the jobs of one generator run, in start order with increasing ids. */
function planWith(
  site: DemoSite,
  options: DemoJobOptions,
  timing: (rng: Rng, draft: Draft) => Timed & { end: number },
): JobPlan[] {
  const rng = new Rng(options.seed);
  const drafts: (Timed & { end: number })[] = [];
  for (let i = 0; i < (options.count ?? 1000); i++) drafts.push(timing(rng, draftJob(rng, site)));
  drafts.sort((a, b) => a.start - b.start);
  let jobId = (options.firstJobId ?? 1_000_000) - 1;
  return drafts.map((d) => {
    jobId += rng.int(1, 3);
    return planJob(rng, { ...d, jobId, seed: options.seed });
  });
}

/** Plans of the finished jobs, in start order; the base of all other generators here. */
export function planDemoJobs(options: DemoJobOptions): JobPlan[] {
  const time = { now: options.now, days: options.days ?? 30 };
  return planWith(createDemoSite(options), options, (rng, draft) => {
    const timed = timeJob(rng, draft, time);
    return { ...timed, end: timed.start + timed.duration };
  });
}

/** meta.json of a planned job with the given statistics, footprint and energy. */
export function completeMeta(plan: JobPlan, statistics: Record<string, JobStatistics>): Job {
  const metrics = plan.metrics.map((m) => m.config);
  const { numNodes, duration } = plan.meta;
  return {
    ...plan.meta,
    statistics,
    ...computeFootprint({ statistics, numNodes, duration }, {
      footprint: metrics.filter((m) => m.footprint).map((m) => m.name),
      energyFootprint: metrics.filter((m) => m.energy).map((m) => m.name),
      metricConfig: metrics,
    }),
  };
}

/**
 * Only the meta.json of each finished job, without generating series: fast
 * enough for 20,000+ jobs. Statistics are model estimates from the planned
 * metric levels; everything else equals {@link generateDemoJobs}' meta.
 */
export function generateJobMeta(options: DemoJobOptions): Job[] {
  return planDemoJobs(options).map((plan) => completeMeta(plan, estimateStatistics(plan)));
}

/**
 * The finished jobs with their data, one at a time, so that large demo sites
 * need not be held in memory. Statistics in meta are computed from the data.
 */
export function* iterateDemoJobs(options: DemoJobOptions): Generator<DemoJob> {
  for (const plan of planDemoJobs(options)) {
    const data = generateJobData(plan, { maxPoints: options.maxPoints });
    const metrics = plan.metrics.map((m) => m.config);
    const statistics = jobStatistics(data, { metrics, numNodes: plan.meta.numNodes });
    yield { meta: completeMeta(plan, statistics), data };
  }
}

/** All finished jobs with their data; see {@link iterateDemoJobs}. */
export function generateDemoJobs(options: DemoJobOptions): DemoJob[] {
  return Array.from(iterateDemoJobs(options));
}

/** Options of {@link generateRunningJobs}. */
export interface RunningJobOptions extends DemoSiteOptions {
  now: number;
  /** Number of running jobs (default 16). */
  count?: number;
  /** Job id of the first running job (default 2,000,000, above the finished jobs). */
  firstJobId?: number;
}

/**
 * Jobs running at `now`: state `running`, duration 0, monitoring status 1, no
 * statistics and no data. They occupy distinct hosts (or GPUs) while capacity
 * lasts. The same seed gives the same users as the finished jobs.
 */
export function generateRunningJobs(options: RunningJobOptions): Job[] {
  const site = createDemoSite(options);
  const seed = deriveSeed(options.seed, "running");
  const count = options.count ?? 16;
  const firstJobId = options.firstJobId ?? 2_000_000;
  const plans = planWith(site, { ...options, seed, count, firstJobId }, (rng, draft) => {
    const start = options.now - rng.int(60, Math.max(60, draft.walltime - 300));
    return { draft, state: "running", start, duration: 0, end: Infinity };
  });
  return plans.map(({ meta }) => meta);
}
