/**
 * The checks a job must pass before it enters the database from the archive
 * or an import: known cluster and subcluster, valid state, resources that
 * match the node count.
 *
 * @module
 */
import { assignSubCluster, type ClusterInfo, type SubClusterInfo } from "../archive/mod.ts";
import { type Job, JOB_STATES } from "../archive/types.ts";
import { AppError } from "../errors.ts";

/**
 * Checks `job` (setting `subCluster` when it is empty) and returns its
 * subcluster. Throws an AppError (400) naming the job and the failed check.
 */
export function sanityCheck(clusters: readonly ClusterInfo[], job: Job): SubClusterInfo {
  const what = `job ${job.jobId} on ${JSON.stringify(job.cluster)}`;
  const fail = (reason: string): never => {
    throw new AppError(400, `${what}: ${reason}`);
  };
  if (!clusters.some((c) => c.name === job.cluster)) fail("unknown cluster");
  const subCluster = assignSubCluster(clusters, job);
  if (!(JOB_STATES as readonly string[]).includes(job.jobState)) {
    fail(`invalid job state ${JSON.stringify(job.jobState)}`);
  }
  if (!Array.isArray(job.resources) || job.resources.length === 0) fail("resources are empty");
  if (typeof job.user !== "string" || job.user === "") fail("user is empty");
  if ((job.numAcc ?? 0) < 0) fail(`numAcc must not be negative, found ${job.numAcc}`);
  if ((job.numHwthreads ?? 0) < 0) {
    fail(`numHwthreads must not be negative, found ${job.numHwthreads}`);
  }
  if (!(job.numNodes >= 1)) fail(`numNodes must be at least 1, found ${job.numNodes}`);
  if (job.resources.length !== job.numNodes) {
    fail(`numNodes is ${job.numNodes} but ${job.resources.length} resources are listed`);
  }
  return subCluster;
}
