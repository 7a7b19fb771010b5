/**
 * Mapping between rows of the `job` table and {@link Job} objects, and the
 * allow-lists of job fields that may be used to filter and sort.
 *
 * @module
 */

import type { SQLInputValue, SQLOutputValue } from "node:sqlite";
import { type Job, JOB_STATES, type JobState, SHARED_VALUES } from "../archive/types.ts";
import { AppError, badInput } from "../errors.ts";
import { JOB_TABLE_COLUMNS } from "./migrations/schema_v11.ts";
import { type Row, textOf } from "./statements.ts";

/** The columns written on insert, in the order of {@link jobToValues}. */
export const JOB_INSERT_COLUMNS = JOB_TABLE_COLUMNS.filter((c) => c !== "id");

/**
 * Job fields with a scalar column of their own, mapped to that column. This is
 * the allow-list for filtering and sorting: only these names reach SQL.
 */
export const JOB_FIELD_COLUMNS: Readonly<Record<string, string>> = Object.freeze({
  id: "id",
  jobId: "job_id",
  cluster: "cluster",
  subCluster: "subcluster",
  submitTime: "submit_time",
  startTime: "start_time",
  user: "hpc_user",
  project: "project",
  partition: "cluster_partition",
  arrayJobId: "array_job_id",
  duration: "duration",
  walltime: "walltime",
  jobState: "job_state",
  numNodes: "num_nodes",
  numHwthreads: "num_hwthreads",
  numAcc: "num_acc",
  smt: "smt",
  shared: "shared",
  monitoringStatus: "monitoring_status",
  energy: "energy",
});

/** Returns the column of an allow-listed job field, or throws naming the field. */
export function jobColumn(field: string): string {
  if (!Object.hasOwn(JOB_FIELD_COLUMNS, field)) {
    throw badInput(
      `unknown job field "${field}" (allowed: ${Object.keys(JOB_FIELD_COLUMNS).join(", ")})`,
    );
  }
  return JOB_FIELD_COLUMNS[field];
}

/** Describes a job in error messages: `job 123 on "fritz"`. */
export function describeJob(job: Pick<Job, "jobId" | "cluster">): string {
  return `job ${job.jobId} on ${JSON.stringify(job.cluster)}`;
}

/** Throws a 400 naming the field and value when a job cannot be stored as given. */
export function validateJob(job: Job): void {
  const fail = (field: string, value: unknown, rule: string) => {
    throw badInput(
      `cannot store ${describeJob(job)}: invalid ${field} ${JSON.stringify(value)} (${rule})`,
    );
  };
  for (const field of ["jobId", "startTime", "duration", "numNodes"] as const) {
    if (!Number.isSafeInteger(job[field])) fail(field, job[field], "must be an integer");
  }
  for (const field of ["cluster", "subCluster", "user"] as const) {
    if (typeof job[field] !== "string" || job[field] === "") {
      fail(field, job[field], "must be a non-empty string");
    }
  }
  // cc-backend accepts jobs without a project (the scheduler may not know one).
  if (typeof job.project !== "string") fail("project", job.project, "must be a string");
  for (const field of ["cluster", "subCluster", "user", "project", "partition"] as const) {
    // node:sqlite reads TEXT up to the first NUL, so such a value would not survive.
    if (job[field]?.includes("\0")) fail(field, job[field], "must not contain NUL characters");
  }
  if (!JOB_STATES.includes(job.jobState as JobState)) {
    fail("jobState", job.jobState, `allowed: ${JOB_STATES.join(", ")}`);
  }
  if (!SHARED_VALUES.includes(job.shared)) {
    fail("shared", job.shared, `allowed: ${SHARED_VALUES.join(", ")}`);
  }
  const status = job.monitoringStatus;
  if (status !== undefined && ![0, 1, 2, 3].includes(status)) {
    fail("monitoringStatus", status, "allowed: 0, 1, 2, 3");
  }
  if (!Array.isArray(job.resources)) fail("resources", job.resources, "must be an array");
}

function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * The values of {@link JOB_INSERT_COLUMNS} for a job. Absent optional numbers
 * are stored as cc-backend stores them (0), absent JSON documents as NULL.
 */
export function jobToValues(job: Job): SQLInputValue[] {
  return [
    job.jobId,
    job.cluster,
    job.subCluster,
    job.submitTime ?? 0,
    job.startTime,
    job.user,
    job.project,
    job.partition ?? "",
    job.arrayJobId ?? 0,
    job.duration,
    job.walltime ?? 0,
    job.jobState,
    jsonOrNull(job.metaData),
    JSON.stringify(job.resources),
    job.numNodes,
    job.numHwthreads ?? 0,
    job.numAcc ?? 0,
    job.smt ?? 0,
    job.shared,
    job.monitoringStatus ?? 1,
    job.energy ?? 0,
    jsonOrNull(job.energyFootprint),
    jsonOrNull(job.footprint),
  ];
}

function json<T>(row: Row, column: string): T | null {
  const source = textOf(row[column]);
  if (source === null || source === "") return null;
  try {
    return JSON.parse(source) as T;
  } catch (error) {
    throw new AppError(500, `job ${row.id}: column ${column} does not hold valid JSON`, {
      cause: error,
    });
  }
}

function num(value: SQLOutputValue): number | undefined {
  if (value === null || value instanceof Uint8Array) return undefined;
  return Number(value);
}

/** Builds a {@link Job} from a `job` row; NULL columns become absent fields. */
export function rowToJob(row: Row): Job {
  const job: Job = {
    id: Number(row.id),
    jobId: Number(row.job_id),
    user: String(row.hpc_user),
    project: String(row.project),
    cluster: String(row.cluster),
    subCluster: String(row.subcluster),
    numNodes: Number(row.num_nodes),
    shared: String(row.shared) as Job["shared"],
    monitoringStatus: Number(row.monitoring_status),
    smt: Number(row.smt),
    jobState: String(row.job_state) as JobState,
    submitTime: Number(row.submit_time),
    startTime: Number(row.start_time),
    duration: Number(row.duration),
    walltime: Number(row.walltime),
    resources: json<Job["resources"]>(row, "resources") ?? [],
    energy: Number(row.energy),
  };
  const partition = textOf(row.cluster_partition);
  if (partition) job.partition = partition;
  const optional = {
    arrayJobId: num(row.array_job_id),
    numHwthreads: num(row.num_hwthreads),
    numAcc: num(row.num_acc),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) job[key as keyof typeof optional] = value;
  }
  const metaData = json<Record<string, string>>(row, "meta_data");
  if (metaData) job.metaData = metaData;
  const footprint = json<Record<string, number>>(row, "footprint");
  if (footprint) job.footprint = footprint;
  const energyFootprint = json<Record<string, number>>(row, "energy_footprint");
  if (energyFootprint) job.energyFootprint = energyFootprint;
  return job;
}
