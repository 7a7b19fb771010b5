/**
 * The checks a job must pass before it enters the database, from the archive,
 * an import or the start_job API: known cluster and subcluster, valid state,
 * resources that match the node count. The order is cc-backend's
 * (`importer.SanityChecks`); the API speaks cc-backend's exact messages,
 * the importer messages that name the job.
 *
 * @module
 */
import { type ClusterInfo, subClusterByNode, type SubClusterInfo } from "../archive/mod.ts";
import { type Job, JOB_STATES } from "../archive/types.ts";
import { AppError } from "../errors.ts";

/** Options of {@link sanityCheck}. */
export interface SanityCheckOptions {
  /**
   * `"cc-backend"`: fail with the original's messages word for word (`no such
   * cluster: x`), as the start_job API must; `"descriptive"` (default): name
   * the job and the check (`job 1 on "x": unknown cluster`).
   */
  wording?: "descriptive" | "cc-backend";
}

/**
 * Checks `job` (setting `subCluster` when it is empty) and returns its
 * subcluster. Throws an AppError (400) naming the failed check.
 */
export function sanityCheck(
  clusters: readonly ClusterInfo[],
  job: Job,
  options: SanityCheckOptions = {},
): SubClusterInfo {
  const what = `job ${job.jobId} on ${JSON.stringify(job.cluster)}`;
  const original = options.wording === "cc-backend";
  const fail = (ccBackend: string, descriptive: string): never => {
    throw new AppError(400, original ? ccBackend : `${what}: ${descriptive}`);
  };
  const cluster = clusters.find((c) => c.name === job.cluster);
  if (!cluster) return fail(`no such cluster: ${job.cluster}`, "unknown cluster");
  const subCluster = assignSubCluster(cluster, job, fail);
  if (!(JOB_STATES as readonly string[]).includes(job.jobState)) {
    const state = JSON.stringify(job.jobState);
    fail(`not a valid job state: ${state}`, `invalid job state ${state}`);
  }
  const resources = Array.isArray(job.resources) ? job.resources : [];
  const emptyRule = "'resources' and 'user' should not be empty";
  if (resources.length === 0) fail(emptyRule, "resources are empty");
  if (typeof job.user !== "string" || job.user === "") fail(emptyRule, "user is empty");
  const countRule = "'numNodes', 'numAcc' or 'numHWThreads' invalid";
  if ((job.numAcc ?? 0) < 0) fail(countRule, `numAcc must not be negative, found ${job.numAcc}`);
  if ((job.numHwthreads ?? 0) < 0) {
    fail(countRule, `numHwthreads must not be negative, found ${job.numHwthreads}`);
  }
  if (!(job.numNodes >= 1)) fail(countRule, `numNodes must be at least 1, found ${job.numNodes}`);
  if (resources.length !== job.numNodes) {
    fail(
      `len(resources) does not equal numNodes (${resources.length} vs ${job.numNodes})`,
      `numNodes is ${job.numNodes} but ${resources.length} resources are listed`,
    );
  }
  return subCluster;
}

/**
 * A given subcluster must exist; otherwise the first resource's host decides
 * ({@link subClusterByNode}) and is written to `job.subCluster`.
 */
function assignSubCluster(
  cluster: ClusterInfo,
  job: Job,
  fail: (ccBackend: string, descriptive: string) => never,
): SubClusterInfo {
  const prefix = "ARCHIVE/CLUSTERCONFIG > ";
  if (job.subCluster) {
    const given = cluster.subClusters.find((s) => s.name === job.subCluster);
    // "unkown" is the original's spelling; clients may match on it.
    return given ?? fail(
      `${prefix}already assigned subcluster ${job.subCluster} unkown (cluster: ${job.cluster})`,
      `unknown subcluster ${JSON.stringify(job.subCluster)}`,
    );
  }
  if (!Array.isArray(job.resources) || job.resources.length === 0) {
    return fail(`${prefix}job without any resources/hosts`, "job has no resources");
  }
  const host = job.resources[0]?.hostname ?? "";
  const found = subClusterByNode(cluster, host) ?? fail(
    `${prefix}no subcluster found for cluster ${job.cluster} and host ${host}`,
    `no subcluster lists host ${JSON.stringify(host)}`,
  );
  job.subCluster = found.name;
  return found;
}
