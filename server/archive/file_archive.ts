/**
 * The file job archive (version 3): `<root>/<cluster>/<jobId/1000>/<jobId%1000>/<start>/`
 * holding meta.json and data.json or data.json.gz, plus `<root>/<cluster>/cluster.json`.
 *
 * @module
 */

import { join } from "node:path";
import { AppError } from "../errors.ts";
import { log } from "../log/logger.ts";
import { type ClusterInfo, loadClusterConfig } from "./cluster_config.ts";
import { encodeCluster } from "./cluster_codec.ts";
import { gunzipFile, gzipBytes, readIfExists, removeIfExists, writeFileAtomic } from "./fs_util.ts";
import { iterJobDirs, iterJobDirsSync, type JobEntry, readJobMeta } from "./job_iter.ts";
import { encodeJobData, jobDataFromJson } from "./json_codec.ts";
import { encodeJobMeta } from "./meta_codec.ts";
import type { Cluster, Job, JobData } from "./types.ts";
import { validateDocument } from "./validate.ts";

/** The archive version this code reads and writes. */
export const ARCHIVE_VERSION = 3;

/** Identifies a job in the archive. */
export interface JobKey {
  cluster: string;
  jobId: number;
  startTime: number;
}

/** Options of {@link FileArchive.open}. */
export interface FileArchiveOptions {
  /** Validate meta.json, data.json and cluster.json against the JSON schemas. */
  validate?: boolean;
  /** data.json larger than this many bytes is written gzipped (cc-backend: 2000). */
  compressThreshold?: number;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Checks a cluster name before it becomes a path segment. */
function checkClusterName(name: unknown): string {
  if (
    typeof name !== "string" || name === "" || name === "." || name.includes("..") ||
    /[/\\\0]/.test(name)
  ) {
    throw new AppError(400, `invalid cluster name ${JSON.stringify(name)}: not a plain name`);
  }
  return name;
}

function checkNumber(what: string, v: unknown, cluster: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new AppError(
      400,
      `invalid ${what} ${
        JSON.stringify(v)
      } for cluster "${cluster}": must be a non-negative integer`,
    );
  }
  return v;
}

/** Reads and checks version.txt, bootstrapping an empty directory with "3\n". */
async function checkVersion(root: string): Promise<void> {
  const file = join(root, "version.txt");
  const bytes = await readIfExists(file);
  if (bytes === undefined) {
    for await (const e of Deno.readDir(root)) {
      if (!e.name.startsWith(".")) {
        throw new Error(`job archive ${root} has no version.txt but is not empty`);
      }
    }
    await Deno.writeTextFile(file, `${ARCHIVE_VERSION}\n`);
    log.info(`created job archive version ${ARCHIVE_VERSION} in ${root}`);
    return;
  }
  const text = decoder.decode(bytes).trim();
  if (!/^\d+$/.test(text)) {
    throw new Error(`invalid ${file}: ${JSON.stringify(text)} is not a version`);
  }
  if (Number(text) !== ARCHIVE_VERSION) {
    throw new Error(`unsupported version ${text}, need ${ARCHIVE_VERSION} (${file})`);
  }
}

async function loadCluster(root: string, name: string, validate: boolean): Promise<ClusterInfo> {
  const file = join(root, name, "cluster.json");
  const bytes = await readIfExists(file);
  if (bytes === undefined) throw new Error(`cannot load cluster "${name}": ${file} is missing`);
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes));
  } catch (e) {
    throw new Error(`cannot load cluster "${name}": ${file}: ${(e as Error).message}`);
  }
  if (validate) validateDocument("cluster", raw, { source: file });
  const info = loadClusterConfig(raw, { source: file });
  if (info.name !== name) log.warn(`${file} names cluster "${info.name}", expected "${name}"`);
  return info;
}

/** A job archive in a directory tree. */
export class FileArchive {
  /** The archive root directory. */
  readonly root: string;
  /** The archive version (always {@link ARCHIVE_VERSION}). */
  readonly version = ARCHIVE_VERSION;
  readonly #validate: boolean;
  readonly #compressThreshold: number;
  #clusters: ClusterInfo[];

  private constructor(root: string, clusters: ClusterInfo[], options: FileArchiveOptions) {
    this.root = root;
    this.#clusters = clusters;
    this.#validate = options.validate ?? false;
    this.#compressThreshold = options.compressThreshold ?? 2000;
  }

  /**
   * Opens the archive at `root`: checks version.txt (bootstrapping an empty directory) and
   * loads every top-level directory's cluster.json (dot-directories are ignored).
   */
  static async open(root: string, options: FileArchiveOptions = {}): Promise<FileArchive> {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(root);
    } catch (e) {
      throw new Error(`cannot open job archive ${root}: ${(e as Error).message}`, { cause: e });
    }
    if (!info.isDirectory) throw new Error(`cannot open job archive ${root}: not a directory`);
    await checkVersion(root);
    const names: string[] = [];
    for await (const e of Deno.readDir(root)) {
      if (e.isDirectory && !e.name.startsWith(".")) names.push(e.name);
    }
    names.sort();
    const loaded = await Promise.allSettled(
      names.map((n) => loadCluster(root, n, options.validate ?? false)),
    );
    // The first failing cluster in name order is reported, whichever failed first in time.
    const failed = loaded.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const clusters = loaded.map((r) => (r as PromiseFulfilledResult<ClusterInfo>).value);
    return new FileArchive(root, clusters, options);
  }

  /** Creates `root` (if needed) with a version.txt, as `-init` does. */
  static async init(root: string): Promise<void> {
    await Deno.mkdir(root, { recursive: true });
    await checkVersion(root);
  }

  /** All loaded clusters, sorted by name. */
  clusters(): readonly ClusterInfo[] {
    return this.#clusters;
  }

  /** The cluster called `name`, if loaded. */
  cluster(name: string): ClusterInfo | undefined {
    return this.#clusters.find((c) => c.name === name);
  }

  /**
   * The directory of a job; rejects (AppError 400) cluster names and numbers that are not
   * plain path segments, so that no key can point outside the archive.
   */
  jobDir(key: JobKey): string {
    const cluster = checkClusterName(key.cluster);
    const jobId = checkNumber("job id", key.jobId, cluster);
    const start = checkNumber("start time", key.startTime, cluster);
    const l2 = String(jobId % 1000).padStart(3, "0");
    return join(this.root, cluster, String(Math.floor(jobId / 1000)), l2, String(start));
  }

  /** The job directory of a known cluster; unknown clusters are 404 on load, 400 on store. */
  #knownDir(key: JobKey, action: "load" | "load data of" | "store"): string {
    const dir = this.jobDir(key);
    if (!this.cluster(key.cluster)) {
      const status = action === "store" ? 400 : 404;
      throw new AppError(
        status,
        `cannot ${action} job ${key.jobId}: unknown cluster "${key.cluster}"`,
      );
    }
    return dir;
  }

  /** Whether the job's directory exists. */
  async exists(key: JobKey): Promise<boolean> {
    try {
      return (await Deno.stat(this.jobDir(key))).isDirectory;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false;
      throw e;
    }
  }

  /** Loads meta.json (404 when missing, 500 when unreadable or malformed). */
  async loadJobMeta(key: JobKey): Promise<Job> {
    const file = join(this.#knownDir(key, "load"), "meta.json");
    const bytes = await readIfExists(file);
    if (!bytes) {
      throw new AppError(
        404,
        `cannot load job ${key.jobId} on "${key.cluster}": ${file} not found`,
      );
    }
    try {
      return readJobMeta(decoder.decode(bytes), { source: file, validate: this.#validate });
    } catch (e) {
      throw new AppError(500, `cannot load job ${key.jobId}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  /** Loads data.json.gz or else data.json, with `null` data points as NaN. */
  async loadJobData(key: JobKey): Promise<JobData> {
    const dir = this.#knownDir(key, "load data of");
    let file = join(dir, "data.json.gz");
    let bytes = await readIfExists(file);
    try {
      if (bytes) {
        bytes = await gunzipFile(bytes, file);
      } else {
        file = join(dir, "data.json");
        bytes = await readIfExists(file);
        if (!bytes) {
          throw new AppError(404, `no data.json(.gz) in ${dir}`);
        }
      }
      let raw: unknown;
      try {
        raw = JSON.parse(decoder.decode(bytes));
      } catch (e) {
        throw new Error(`invalid ${file}: ${(e as Error).message}`);
      }
      if (this.#validate) validateDocument("data", raw, { source: file });
      return jobDataFromJson(raw, { source: file });
    } catch (e) {
      const status = e instanceof AppError ? e.status : 500;
      const msg = `cannot load data of job ${key.jobId} on "${key.cluster}": ${
        (e as Error).message
      }`;
      throw new AppError(status, msg, { cause: e });
    }
  }

  /** Writes meta.json only (e.g. after tags or metadata changed). */
  async writeJobMeta(meta: Job): Promise<void> {
    const dir = this.#knownDir(meta, "store");
    await Deno.mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, "meta.json"), encodeJobMeta(meta) + "\n");
  }

  /**
   * Writes meta.json and the data atomically. Data is gzipped when `compress` says so or,
   * by default, when it exceeds the compress threshold (2000 bytes like cc-backend); the
   * other variant of the data file is removed so it cannot shadow the new one.
   */
  async writeJob(meta: Job, data: JobData, options: { compress?: boolean } = {}): Promise<void> {
    const dir = this.#knownDir(meta, "store");
    await Deno.mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, "meta.json"), encodeJobMeta(meta) + "\n");
    const bytes = encoder.encode(encodeJobData(data));
    const compress = options.compress ?? bytes.length > this.#compressThreshold;
    if (compress) {
      await writeFileAtomic(join(dir, "data.json.gz"), await gzipBytes(bytes));
      await removeIfExists(join(dir, "data.json"));
    } else {
      await writeFileAtomic(join(dir, "data.json"), bytes);
      await removeIfExists(join(dir, "data.json.gz"));
    }
  }

  /** Validates and writes `<root>/<name>/cluster.json`, then (re)loads the cluster. */
  async writeClusterConfig(cluster: Cluster): Promise<ClusterInfo> {
    const name = checkClusterName(cluster.name);
    let info: ClusterInfo;
    try {
      if (this.#validate) validateDocument("cluster", cluster);
      info = loadClusterConfig(cluster);
    } catch (e) {
      throw new AppError(400, `cannot store cluster "${name}": ${(e as Error).message}`);
    }
    await Deno.mkdir(join(this.root, name), { recursive: true });
    await writeFileAtomic(join(this.root, name, "cluster.json"), encodeCluster(cluster) + "\n");
    this.#clusters = [...this.#clusters.filter((c) => c.name !== name), info]
      .sort((a, b) => a.name < b.name ? -1 : 1);
    return info;
  }

  /**
   * Yields every job directory with its meta.json, or the error that prevented reading it
   * (errors are reported, never thrown). Reads up to `concurrency` (default 32)
   * directories at a time; order is by cluster, then directory name.
   */
  async *iterJobs(
    options: { cluster?: string; concurrency?: number } = {},
  ): AsyncGenerator<JobEntry> {
    const clusters = options.cluster
      ? [checkClusterName(options.cluster)]
      : this.#clusters.map((c) => c.name);
    yield* iterJobDirs(this.root, clusters, {
      concurrency: options.concurrency ?? 32,
      validate: this.#validate,
    });
  }

  /**
   * {@link iterJobs} with blocking reads, for callers whose other work runs on
   * another thread; same entries, same order.
   */
  *iterJobsSync(options: { cluster?: string } = {}): Generator<JobEntry> {
    const clusters = options.cluster
      ? [checkClusterName(options.cluster)]
      : this.#clusters.map((c) => c.name);
    yield* iterJobDirsSync(this.root, clusters, { validate: this.#validate });
  }
}
