/**
 * Archiving one stopped job (cc-backend's `ArchiveJob` plus the footprint
 * and energy updates): load its metric data from the metric store at native
 * resolution (node scope; core scope too for jobs of up to 8 nodes;
 * accelerator scope for jobs with accelerators), post-process it as every
 * read does, compute the job statistics, footprint and energy, and write
 * meta.json and the data file.
 *
 * Unlike cc-backend, meta.json holds the final footprint, energy, energy
 * footprint, tags and monitoring status 3, not the values the database had
 * before archiving.
 *
 * @module
 */
import type { ClusterInfo, SubClusterInfo } from "../archive/cluster_config.ts";
import type { FileArchive } from "../archive/file_archive.ts";
import type { Job, JobData, MetricScope } from "../archive/types.ts";
import { computeFootprint } from "../importer/enrich_job.ts";
import type { JobDataRequest } from "../jobs/job_data_source.ts";
import { prepareJobData } from "../jobs/prepare_job_data.ts";
import type { LoadedJobData } from "../metricstore/job_data_loader.ts";
import { jobStatistics } from "./job_statistics.ts";

/** Jobs with at most this many nodes are archived with core-scope data too (cc-backend: 8). */
export const CORE_SCOPE_MAX_NODES = 8;

/** The metric data of a job with the read errors met (the built-in store's JobDataLoader). */
export interface ArchiveDataReader {
  load(job: Job, request: JobDataRequest): LoadedJobData;
}

/** What archiving one job reads from and writes to. */
export interface ArchiveJobDeps {
  /** Cluster configs, and where meta.json and the data go. */
  archive: Pick<FileArchive, "cluster" | "writeJob">;
  /** The job's metric data. */
  reader: ArchiveDataReader;
}

/** An archived job. */
export interface ArchivedJob {
  /** meta.json as written: final statistics, footprint, energy, monitoring status 3. */
  meta: Job & Required<Pick<Job, "statistics">> & {
    footprint: Record<string, number>;
    energyFootprint: Record<string, number>;
    energy: number;
  };
  /** The data as written. */
  data: JobData;
  /** Metric reads that failed; the job is archived with the data that exists. */
  errors: string[];
}

/** The scopes a job's data is archived with. */
export function archiveScopes(job: Pick<Job, "numNodes" | "numAcc">): MetricScope[] {
  const scopes: MetricScope[] = ["node"];
  if (job.numNodes <= CORE_SCOPE_MAX_NODES) scopes.push("core");
  if ((job.numAcc ?? 0) > 0) scopes.push("accelerator");
  return scopes;
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function describe(job: Job): string {
  return `job ${job.jobId} (id ${job.id}) on ${JSON.stringify(job.cluster)}`;
}

function clusterOf(job: Job, deps: ArchiveJobDeps): { cluster: ClusterInfo; sc: SubClusterInfo } {
  const cluster = deps.archive.cluster(job.cluster);
  if (!cluster) throw new Error(`cannot archive ${describe(job)}: unknown cluster`);
  const sc = cluster.subClusters.find((s) => s.name === job.subCluster);
  if (!sc) {
    throw new Error(
      `cannot archive ${describe(job)}: unknown subcluster ${JSON.stringify(job.subCluster)}`,
    );
  }
  return { cluster, sc };
}

/**
 * Archives `job` (a stopped job as stored, with its tags and metadata) and
 * returns what was written. Throws when the cluster is unknown, when no
 * metric could be read at all, or when the archive cannot be written; the
 * database is not touched here.
 */
export async function archiveJob(job: Job, deps: ArchiveJobDeps): Promise<ArchivedJob> {
  const { cluster, sc } = clusterOf(job, deps);
  const scopes = archiveScopes(job);
  const { data, errors } = deps.reader.load(job, {
    metrics: cluster.metricConfig.map((m) => m.name),
    scopes,
    resolution: 0,
  });
  if (errors.length > 0 && Object.keys(data).length === 0) {
    throw new Error(`cannot archive ${describe(job)}: no metric could be read: ${errors[0]}`);
  }
  // Reading, post-processing and encoding are synchronous; letting other
  // tasks (HTTP requests) run in between keeps the pauses short.
  await nextTask();
  prepareJobData(data, scopes);
  await nextTask();
  const statistics = jobStatistics(data, { metrics: cluster.metricConfig, numNodes: job.numNodes });
  const { footprint, energyFootprint, energy } = computeFootprint(
    { statistics, numNodes: job.numNodes, duration: job.duration },
    sc,
  );
  const meta: ArchivedJob["meta"] = {
    ...job,
    monitoringStatus: 3,
    // cc-backend writes null for a job without metadata, which its own
    // metadata update then cannot handle; an empty object can be.
    metaData: job.metaData ?? {},
    tags: job.tags ?? [],
    statistics,
    footprint,
    energyFootprint,
    energy,
  };
  try {
    await deps.archive.writeJob(meta, data);
  } catch (error) {
    throw new Error(
      `cannot archive ${describe(job)}: writing the archive failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { meta, data, errors };
}
