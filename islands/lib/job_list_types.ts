/**
 * The data of the job list views as the island gets it: jobs as the list
 * query returns them, and the slice of the cluster configuration the list
 * needs (metric thresholds, scope sizes, availability).
 *
 * @module
 */
import type { MetricInfo } from "./job_types.ts";
import type { UnitLike } from "./plot_units.ts";
import type { ResamplingOptions } from "./plot_resolution.ts";
import type { ScopeCounts } from "./plot_thresholds.ts";
import type { JobFilterState, JobSort } from "./job_filters.ts";

/** A tag of a job. */
export interface TagInfo {
  id: string;
  type: string;
  name: string;
  scope: string;
}

/** One job of the list (the fields of the list query). */
export interface JobItem {
  id: string;
  jobId: number;
  user: string;
  project: string;
  cluster: string;
  subCluster: string;
  startTime: string;
  duration: number;
  numNodes: number;
  numHWThreads: number;
  numAcc: number;
  walltime: number;
  resources: { hostname: string }[];
  SMT: number;
  shared: string;
  partition: string;
  arrayJobId: number;
  monitoringStatus: number;
  state: string;
  tags: TagInfo[];
  userData: { name?: string | null } | null;
  metaData: Record<string, unknown> | null;
  footprint: { name: string; stat: string; value: number }[] | null;
}

/** A page of the list. */
export interface JobPage {
  items: JobItem[];
  count: number | null;
  hasNextPage: boolean;
}

export type { MetricInfo };

/** A subcluster: its metrics and how many units of each scope a node has. */
export interface SubClusterInfo {
  name: string;
  numberOfNodes: number;
  /** Units per node of each scope. */
  scopeCounts: ScopeCounts;
  metrics: MetricInfo[];
}

/** A cluster. */
export interface ClusterInfo {
  name: string;
  partitions: string[];
  subClusters: SubClusterInfo[];
}

/** A metric of `globalMetrics`. */
export interface GlobalMetric {
  name: string;
  scope: string;
  footprint?: string | null;
  unit?: UnitLike | null;
  availability: { cluster: string; subClusters: string[] }[];
}

/** The statistics header of the user view (`jobsStatistics`). */
export interface UserStatistics {
  totalJobs: number;
  shortJobs: number;
  totalWalltime: number;
  totalCoreHours: number;
  totalAccHours: number;
  histDuration: { count: number; value: number }[];
  histNumNodes: { count: number; value: number }[];
  histMetrics: {
    metric: string;
    unit: string;
    stat?: string | null;
    data: { min?: number | null; max?: number | null; count: number; bin?: number | null }[] | null;
  }[];
}

/** The user the user view is about. */
export interface UserHeader {
  username: string;
  name?: string;
  email?: string;
}

/** Props of the job list island. */
export interface JobListViewProps {
  /** Present on the user view: every filter is restricted to this user. */
  user?: UserHeader;
  filter: JobFilterState;
  sort: JobSort;
  page: number;
  itemsPerPage: number;
  list: JobPage;
  /** Why the list could not be loaded. */
  error?: string;
  clusters: ClusterInfo[];
  globalMetrics: GlobalMetric[];
  tags: TagInfo[];
  /** The viewer's UI configuration (the keys the list reads). */
  config: Record<string, unknown>;
  /** `main.resampling` (null: plots at the native resolution). */
  resampling: ResamplingOptions | null;
  /** Managers and staff may search by user. */
  canFilterUsers: boolean;
  /** User view: statistics of the filtered jobs. */
  stats?: UserStatistics | null;
  statsError?: string;
}
