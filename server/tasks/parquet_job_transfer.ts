/**
 * Writes archived jobs as Parquet (retention `copy` and `move` with
 * `format: parquet`), in cc-backend's layout and columns:
 * `<target>/<cluster>/cluster.json` (2-space indented) and
 * `<target>/<cluster>/cc-archive-<YYYY-MM-DD>-<NNN>.parquet`, one row per
 * job with the nested fields as JSON and the metric data as gzipped
 * data.json (best compression). Rows of a file are sorted by subcluster,
 * project and start time.
 *
 * @module
 */

import { join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { FileArchive, Job } from "../archive/mod.ts";
import { gunzipFile, readIfExists, writeFileAtomic } from "../archive/fs_util.ts";
import { log } from "../log/logger.ts";
import type { JobRef } from "./job_task_queries.ts";
import type { TransferResult } from "./json_job_transfer.ts";
import { type ColumnSource, localDate, ParquetBatchWriter } from "./parquet_files.ts";

const gzipAsync = promisify(gzip);
const encoder = new TextEncoder();

interface JobRow {
  ref: JobRef;
  meta: Job;
  resources: Uint8Array;
  statistics: Uint8Array | null;
  tags: Uint8Array | null;
  metaData: Uint8Array | null;
  footprint: Uint8Array | null;
  energyFootprint: Uint8Array | null;
  metricData: Uint8Array;
}

function jsonBytes(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function optionalJson(value: unknown): Uint8Array | null {
  return value === undefined || value === null ? null : jsonBytes(value);
}

/** cc-backend's size estimate: 200 bytes plus strings and blobs. */
function estimate(row: JobRow): number {
  const m = row.meta;
  let size = 200 + m.cluster.length + m.subCluster.length + (m.partition ?? "").length +
    m.project.length + m.user.length + m.jobState.length;
  for (
    const blob of [
      row.resources,
      row.statistics,
      row.tags,
      row.metaData,
      row.footprint,
      row.energyFootprint,
      row.metricData,
    ]
  ) {
    size += blob?.length ?? 0;
  }
  return size;
}

function compareRows(a: JobRow, b: JobRow): number {
  const x = a.meta, y = b.meta;
  if (x.subCluster !== y.subCluster) return x.subCluster < y.subCluster ? -1 : 1;
  if (x.project !== y.project) return x.project < y.project ? -1 : 1;
  return x.startTime - y.startTime;
}

function columns(batch: JobRow[]): ColumnSource[] {
  const rows = [...batch].sort(compareRows);
  const m = rows.map((r) => r.meta);
  const int64 = (f: (j: Job) => number) => BigInt64Array.from(m, (j) => BigInt(f(j)));
  const int32 = (f: (j: Job) => number) => Int32Array.from(m, f);
  const str = (f: (j: Job) => string) => m.map(f);
  const required = { nullable: false } as const;
  return [
    { name: "job_id", data: int64((j) => j.jobId), type: "INT64", ...required },
    { name: "cluster", data: str((j) => j.cluster), type: "STRING", ...required },
    { name: "sub_cluster", data: str((j) => j.subCluster), type: "STRING", ...required },
    { name: "partition", data: m.map((j) => j.partition || null), type: "STRING" },
    { name: "project", data: str((j) => j.project), type: "STRING", ...required },
    { name: "user", data: str((j) => j.user), type: "STRING", ...required },
    { name: "job_state", data: str((j) => j.jobState), type: "STRING", ...required },
    { name: "start_time", data: int64((j) => j.startTime), type: "INT64", ...required },
    { name: "duration", data: int32((j) => j.duration), type: "INT32", ...required },
    { name: "walltime", data: int64((j) => j.walltime ?? 0), type: "INT64", ...required },
    { name: "num_nodes", data: int32((j) => j.numNodes), type: "INT32", ...required },
    { name: "num_hwthreads", data: int32((j) => j.numHwthreads ?? 0), type: "INT32", ...required },
    { name: "num_acc", data: int32((j) => j.numAcc ?? 0), type: "INT32", ...required },
    // Present in cc-backend's schema but never filled there either.
    { name: "exclusive", data: new Int32Array(m.length), type: "INT32", ...required },
    {
      name: "energy",
      data: Float64Array.from(m, (j) => j.energy ?? 0),
      type: "DOUBLE",
      ...required,
    },
    { name: "smt", data: int32((j) => j.smt ?? 0), type: "INT32", ...required },
    { name: "resources_json", data: rows.map((r) => r.resources), type: "BYTE_ARRAY", ...required },
    { name: "statistics_json", data: rows.map((r) => r.statistics), type: "BYTE_ARRAY" },
    { name: "tags_json", data: rows.map((r) => r.tags), type: "BYTE_ARRAY" },
    { name: "meta_data_json", data: rows.map((r) => r.metaData), type: "BYTE_ARRAY" },
    { name: "footprint_json", data: rows.map((r) => r.footprint), type: "BYTE_ARRAY" },
    {
      name: "energy_footprint_json",
      data: rows.map((r) => r.energyFootprint),
      type: "BYTE_ARRAY",
    },
    {
      name: "metric_data_gz",
      data: rows.map((r) => r.metricData),
      type: "BYTE_ARRAY",
      ...required,
    },
  ];
}

/** Raw data.json bytes of a job directory (from data.json.gz when present). */
async function readJobData(dir: string): Promise<Uint8Array> {
  const gzFile = join(dir, "data.json.gz");
  const gz = await readIfExists(gzFile);
  if (gz) return await gunzipFile(gz, gzFile);
  const plain = await readIfExists(join(dir, "data.json"));
  if (!plain) throw new Error(`no data.json(.gz) in ${dir}`);
  return plain;
}

async function toRow(archive: FileArchive, ref: JobRef): Promise<JobRow> {
  const meta = await archive.loadJobMeta(ref);
  const data = await readJobData(archive.jobDir(ref));
  return {
    ref,
    meta,
    resources: jsonBytes(meta.resources),
    statistics: optionalJson(meta.statistics),
    tags: meta.tags && meta.tags.length > 0 ? jsonBytes(meta.tags) : null,
    metaData: optionalJson(meta.metaData),
    footprint: optionalJson(meta.footprint),
    energyFootprint: optionalJson(meta.energyFootprint),
    metricData: new Uint8Array(await gzipAsync(data, { level: 9 })),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Writes `jobs` of `archive` as Parquet files below `targetPath`, a new set
 * of files per cluster; `now` (unix seconds) dates the file names.
 */
export async function writeJobsAsParquet(
  archive: FileArchive,
  jobs: readonly JobRef[],
  options: { targetPath: string; maxFileSizeMb: number; now: number },
): Promise<TransferResult> {
  const result: TransferResult = { done: [], missing: [], failed: 0 };
  const writers = new Map<string, ParquetBatchWriter<JobRow>>();
  const prefix = `cc-archive-${localDate(options.now)}`;
  const maxBytes = options.maxFileSizeMb * 1024 * 1024;
  const writerFor = async (cluster: string) => {
    let writer = writers.get(cluster);
    if (!writer) {
      const dir = join(options.targetPath, cluster);
      await Deno.mkdir(dir, { recursive: true });
      const config = JSON.parse(
        await Deno.readTextFile(join(archive.root, cluster, "cluster.json")),
      );
      await writeFileAtomic(join(dir, "cluster.json"), JSON.stringify(config, null, 2));
      writer = new ParquetBatchWriter<JobRow>({
        dir,
        prefix,
        maxBytes,
        estimate,
        columns,
        onWritten: (rows) => result.done.push(...rows.map((r) => r.ref)),
      });
      writers.set(cluster, writer);
    }
    return writer;
  };
  for (const ref of jobs) {
    try {
      if (!(await exists(archive.jobDir(ref)))) {
        result.missing.push(ref);
        continue;
      }
      const row = await toRow(archive, ref);
      await (await writerFor(ref.cluster)).add(row);
    } catch (error) {
      log.warn(
        `retention: cannot write job ${ref.jobId} on "${ref.cluster}" as Parquet: ${
          (error as Error).message
        }`,
      );
    }
  }
  for (const [cluster, writer] of writers) {
    try {
      await writer.flush();
    } catch (error) {
      log.error(
        `retention: cannot write Parquet file for cluster "${cluster}" in ${options.targetPath}: ${
          (error as Error).message
        }`,
      );
    }
  }
  // Rows of a batch whose file could not be written count as failed too.
  result.failed = jobs.length - result.done.length - result.missing.length;
  return result;
}
