/**
 * Test support for the tagger (not used by the program): the fixture rule
 * directories, jobs and statistics built for a test, and the metric limits
 * of cluster fritz, subcluster main, from the fixture archive.
 *
 * @module
 */
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import {
  FileArchive,
  type Job,
  type JobStatistics,
  type SubClusterMetricConfig,
} from "../archive/mod.ts";
import { FIXTURE_ARCHIVE } from "../archive/test_helpers.ts";
import { JobRepository, migrateUp, openDatabase, TagRepository } from "../db/mod.ts";
import { parseJobClassRules } from "./job_class_rules.ts";
import { readRuleFiles } from "./rule_files.ts";

/** `tests/fixtures/tagger/apps`, cc-backend's shipped app rules. */
export const FIXTURE_APPS_DIR = new URL("../../tests/fixtures/tagger/apps/", import.meta.url)
  .pathname;

/** `tests/fixtures/tagger/jobclasses`, cc-backend's shipped job-class rules. */
export const FIXTURE_JOBCLASSES_DIR =
  new URL("../../tests/fixtures/tagger/jobclasses/", import.meta.url).pathname;

/** The shipped job-class rules, loaded; throws if any file has a problem. */
export async function fixtureJobClassRules(): Promise<ReturnType<typeof parseJobClassRules>> {
  const read = await readRuleFiles(FIXTURE_JOBCLASSES_DIR, {
    accept: (name) => name.endsWith(".json"),
    defaults: [],
  });
  const parsed = parseJobClassRules(read.files);
  if (parsed.errors.length || parsed.warnings.length) {
    throw new Error([...parsed.errors, ...parsed.warnings].join("\n"));
  }
  return parsed;
}

function metric(name: string, peak: number, normal: number, caution: number, alert: number) {
  return {
    name,
    unit: { base: "" },
    scope: "node",
    aggregation: "sum",
    timestep: 60,
    peak,
    normal,
    caution,
    alert,
  } as SubClusterMetricConfig;
}

/** The limits of fritz/main in the fixture archive's cluster.json. */
export const FRITZ_MAIN_METRICS: SubClusterMetricConfig[] = [
  metric("cpu_load", 72, 72, 36, 20),
  metric("mem_used", 256, 128, 200, 240),
  metric("flops_any", 5600, 1000, 200, 50),
  metric("mem_bw", 350, 100, 50, 10),
];

/** A completed, exclusive one-hour job on fritz/main; `overrides` replace fields. */
export function testJob(overrides: Partial<Job> = {}): Job {
  return {
    jobId: 4711,
    user: "alice",
    project: "proj",
    cluster: "fritz",
    subCluster: "main",
    numNodes: 2,
    numHwthreads: 144,
    numAcc: 0,
    shared: "none",
    jobState: "completed",
    monitoringStatus: 1,
    startTime: 1_700_000_000,
    duration: 3600,
    resources: [{ hostname: "f0101" }, { hostname: "f0102" }],
    ...overrides,
  };
}

/** Statistics entries from `[min, avg, max]` per metric. */
export function stats(
  values: Record<string, [number, number, number]>,
): Record<string, JobStatistics> {
  return Object.fromEntries(
    Object.entries(values).map(([name, [min, avg, max]]) => [
      name,
      { unit: { base: "" }, min, avg, max },
    ]),
  );
}

/** A temporary site: a migrated database and a copy of the fixture archive. */
export interface TaggerTestSite {
  dir: string;
  db: DatabaseSync;
  archive: FileArchive;
  /**
   * Inserts `job` and returns it with its id. With `statistics`, the job is
   * archived: monitoring status 3 and a meta.json carrying them.
   */
  insert(job: Job, options?: { statistics?: Record<string, JobStatistics> }): Promise<Job>;
  /** The `type:name@scope` of the job's tags in the database, sorted. */
  tagsOf(id: number): string[];
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(join(from, entry.name), join(to, entry.name));
    else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

/** Runs `fn` on a fresh site and removes it afterwards. */
export async function withTaggerSite(fn: (site: TaggerTestSite) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cc-tagger-test-" });
  const db = openDatabase(join(dir, "job.db"));
  try {
    migrateUp(db);
    await copyTree(FIXTURE_ARCHIVE, join(dir, "job-archive"));
    const archive = await FileArchive.open(join(dir, "job-archive"));
    const jobs = new JobRepository(db);
    const tags = new TagRepository(db);
    await fn({
      dir,
      db,
      archive,
      async insert(job, options = {}) {
        const stored = { ...job, monitoringStatus: options.statistics ? 3 : job.monitoringStatus };
        stored.id = jobs.insertJob(stored);
        if (options.statistics) {
          await archive.writeJobMeta({ ...stored, statistics: options.statistics });
        }
        return stored;
      },
      tagsOf: (id) => tags.tagsOfJob(id).map((t) => `${t.type}:${t.name}@${t.scope}`).sort(),
    });
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}
