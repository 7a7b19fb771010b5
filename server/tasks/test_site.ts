/**
 * Test support for the task tests (not used by the program): a temp site
 * with a copy of the fixture archive (clusters alex, emmy, fritz) and a
 * migrated database, plus helpers for jobs, archived data and node states.
 *
 * @module
 */

import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { FileArchive, type Job, type JobData } from "../archive/mod.ts";
import { applyDefaults } from "../config/apply_defaults.ts";
import type { Config } from "../config/mod.ts";
import { JobRepository, migrateUp, NodeRepository, openDatabase } from "../db/mod.ts";
import type { NodeStateSpec } from "../db/mod.ts";
import { setLogSink } from "../log/logger.ts";

const FIXTURE_ARCHIVE = fileURLToPath(new URL("../../tests/fixtures/archive", import.meta.url));

/** A temp directory with an opened archive and database. */
export interface TaskSite {
  dir: string;
  archive: FileArchive;
  db: DatabaseSync;
  jobs: JobRepository;
  nodes: NodeRepository;
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = join(from, entry.name);
    if (entry.isDirectory) await copyTree(source, join(to, entry.name));
    else await Deno.copyFile(source, join(to, entry.name));
  }
}

/** Runs `fn` with a fresh site, then closes and removes it. */
export async function withTaskSite(fn: (site: TaskSite) => Promise<void> | void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cc-tasks-test-" });
  const db = openDatabase(join(dir, "job.db"), { dbConfig: { cacheSizeMb: 16 } });
  try {
    migrateUp(db);
    await copyTree(FIXTURE_ARCHIVE, join(dir, "archive"));
    const archive = await FileArchive.open(join(dir, "archive"));
    await fn({ dir, archive, db, jobs: new JobRepository(db), nodes: new NodeRepository(db) });
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** A finished fritz job; `overrides` replace single fields. */
export function fritzJob(overrides: Partial<Job> = {}): Job {
  return {
    jobId: 4711,
    user: "alice",
    project: "p1",
    cluster: "fritz",
    subCluster: "main",
    partition: "work",
    numNodes: 2,
    numHwthreads: 4,
    numAcc: 0,
    shared: "none",
    monitoringStatus: 3,
    smt: 1,
    jobState: "completed",
    startTime: 1_700_000_000,
    duration: 3600,
    walltime: 7200,
    resources: [{ hostname: "f0101", hwthreads: [0, 1] }, { hostname: "f0102", hwthreads: [0, 1] }],
    metaData: { jobName: "sim" },
    footprint: { cpu_load_avg: 1.5 },
    ...overrides,
  };
}

/** Metric data with `points` samples per host (1000 by default: well over 2000 bytes of JSON). */
export function sampleData(job: Job, points = 1000): JobData {
  return {
    cpu_load: {
      node: {
        unit: { base: "" },
        timestep: 60,
        series: job.resources.map((r, i) => ({
          hostname: r.hostname,
          statistics: { min: i, avg: i + 0.5, max: i + 1 },
          data: Array.from({ length: points }, (_, k) => i + (k % 2)),
        })),
      },
    },
  };
}

/** Inserts `job` into the database and, unless `archived` is false, writes it to the archive with plain data.json. */
export async function addJob(
  site: TaskSite,
  job: Job,
  options: { archived?: boolean; points?: number } = {},
): Promise<Job> {
  const id = site.jobs.insertJob(job);
  const stored = { ...job, id };
  if (options.archived ?? true) {
    await site.archive.writeJob(stored, sampleData(job, options.points), { compress: false });
  }
  return stored;
}

/** Records a state of `hostname` (created on fritz/main when new) and returns the row id. */
export function addNodeState(
  site: TaskSite,
  hostname: string,
  state: Partial<NodeStateSpec> & { timeStamp: number },
): number {
  const nodeId = site.nodes.upsertNode({ hostname, cluster: "fritz", subCluster: "main" });
  return site.nodes.insertNodeState(nodeId, { nodeState: "idle", healthState: "full", ...state });
}

/** A configuration from a config.json document (with `main` added when missing). */
export function configOf(document: Record<string, unknown> = {}): Config {
  return applyDefaults({ main: {}, ...document });
}

/** Runs `fn` with log lines captured instead of printed. */
export async function captureLog<T>(
  fn: () => T | Promise<T>,
): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    return { result: await fn(), lines };
  } finally {
    setLogSink(previous);
  }
}

/** Whether `path` exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
