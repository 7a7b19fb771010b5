/**
 * Types of the job-archive documents (archive version 3): cluster.json,
 * meta.json and data.json, in the shape cc-backend reads and writes them.
 *
 * @module
 */

/** A physical unit: a base such as `B/s` and an optional SI prefix such as `G`. */
export interface Unit {
  base: string;
  prefix?: string;
}

/** The metric scopes, from coarse to fine. */
export type MetricScope =
  | "node"
  | "socket"
  | "memoryDomain"
  | "core"
  | "hwthread"
  | "accelerator";

/** All scope names, in order of decreasing granularity rank. */
export const METRIC_SCOPES: readonly MetricScope[] = [
  "node",
  "socket",
  "memoryDomain",
  "core",
  "hwthread",
  "accelerator",
];

/** The job states cc-backend accepts. */
export const JOB_STATES = [
  "boot_fail",
  "cancelled",
  "completed",
  "deadline",
  "failed",
  "node_fail",
  "out_of_memory",
  "pending",
  "preempted",
  "running",
  "suspended",
  "timeout",
] as const;

/** One of {@link JOB_STATES}. */
export type JobState = typeof JOB_STATES[number];

/** How a job shares its nodes. */
export const SHARED_VALUES = ["none", "single_user", "multi_user"] as const;

/** One of {@link SHARED_VALUES}. */
export type Shared = typeof SHARED_VALUES[number];

/** Per-subcluster override of a metric in cluster.json. */
export interface MetricSubClusterOverride {
  name: string;
  peak?: number;
  normal?: number;
  caution?: number;
  alert?: number;
  footprint?: "avg" | "min" | "max";
  energy?: "power" | "energy";
  lowerIsBetter?: boolean;
  restrict?: boolean;
  remove?: boolean;
}

/** A metric as defined in cluster.json's `metricConfig`. */
export interface MetricConfig {
  name: string;
  unit: Unit;
  scope: MetricScope;
  aggregation: "sum" | "avg";
  timestep: number;
  peak: number;
  normal: number;
  caution: number;
  alert: number;
  footprint?: "avg" | "min" | "max";
  energy?: "power" | "energy";
  lowerIsBetter?: boolean;
  restrict?: boolean;
  subClusters?: MetricSubClusterOverride[];
}

/** An accelerator of a node's topology. */
export interface Accelerator {
  id: string;
  type: string;
  model: string;
}

/** Hardware-thread layout of one node. Outer index is the unit id. */
export interface Topology {
  node: number[];
  socket: number[][];
  memoryDomain: number[][];
  core?: number[][];
  die?: number[][];
  accelerators?: Accelerator[];
}

/** A value with a unit, e.g. a peak flop rate. */
export interface MetricValue {
  unit: Unit;
  value: number;
}

/** A homogeneous part of a cluster. */
export interface SubCluster {
  name: string;
  nodes: string;
  processorType: string;
  socketsPerNode: number;
  coresPerSocket: number;
  threadsPerCore: number;
  flopRateScalar: MetricValue;
  flopRateSimd: MetricValue;
  memoryBandwidth: MetricValue;
  topology: Topology;
}

/** cluster.json. */
export interface Cluster {
  name: string;
  metricConfig: MetricConfig[];
  subClusters: SubCluster[];
}

/** One allocated node of a job. */
export interface Resource {
  hostname: string;
  hwthreads?: number[];
  accelerators?: string[];
  configuration?: string;
}

/** A tag as stored in meta.json. */
export interface JobTag {
  id?: number;
  type: string;
  name: string;
  scope?: string;
}

/** Per-metric job statistics in meta.json. */
export interface JobStatistics {
  unit: Unit;
  avg: number;
  min: number;
  max: number;
}

/** meta.json: a job as archived (and as accepted by start_job, with fewer fields). */
export interface Job {
  id?: number;
  jobId: number;
  user: string;
  project: string;
  cluster: string;
  subCluster: string;
  partition?: string;
  arrayJobId?: number;
  numNodes: number;
  numHwthreads?: number;
  numAcc?: number;
  shared: Shared;
  monitoringStatus?: number;
  smt?: number;
  jobState: JobState;
  submitTime?: number;
  startTime: number;
  duration: number;
  walltime?: number;
  requestedMemory?: number;
  resources: Resource[];
  metaData?: Record<string, string> | null;
  tags?: JobTag[];
  statistics?: Record<string, JobStatistics>;
  footprint?: Record<string, number> | null;
  energyFootprint?: Record<string, number> | null;
  energy?: number;
  concurrentJobs?: { items: { id: number; jobId: number }[] | null; count: number };
}

/** Min/avg/max of one series over time. */
export interface SeriesStatistics {
  min: number;
  avg: number;
  max: number;
}

/** One time series of data.json; `null` in JSON is NaN in memory. */
export interface Series {
  hostname: string;
  id?: string;
  statistics: SeriesStatistics;
  data: number[];
}

/** Per-timestep statistics across the series of one metric. */
export interface StatisticsSeries {
  min?: number[] | null;
  mean?: number[] | null;
  median?: number[] | null;
  max?: number[] | null;
  percentiles?: Record<string, number[]>;
}

/** The data of one metric at one scope. */
export interface JobMetric {
  unit: Unit;
  timestep: number;
  series: Series[];
  statisticsSeries?: StatisticsSeries;
}

/** data.json: metric → scope → data. */
export type JobData = Record<string, Partial<Record<MetricScope, JobMetric>>>;
