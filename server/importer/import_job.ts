/**
 * `-import-job <meta.json>:<data.json>[,...]`: strict decoding of each pair,
 * the same checks as the archive import, then the job is written to the
 * archive and inserted into the database with its tags. Fails fast.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import {
  type FileArchive,
  jobDataFromJson,
  jobMetaFromJson,
  META_KEYS,
  validateDocument,
} from "../archive/mod.ts";
import type { Job } from "../archive/types.ts";
import { JobRepository, TagRepository, withTransaction } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import { computeFootprint } from "./enrich_job.ts";
import { sanityCheck } from "./sanity_checks.ts";

/** A meta/data file pair named by the `-import-job` flag. */
export interface ImportPair {
  meta: string;
  data: string;
}

/** Splits the flag value into pairs; each must be exactly `<meta>:<data>`. */
export function parseImportFlag(value: string): ImportPair[] {
  return value.split(",").map((pair) => {
    const parts = pair.split(":");
    if (parts.length !== 2 || parts[0] === "" || parts[1] === "") {
      throw new AppError(
        400,
        `invalid import flag format "${pair}": expected <path-to-meta.json>:<path-to-data.json>`,
      );
    }
    return { meta: parts[0], data: parts[1] };
  });
}

const METRIC_KEYS = new Set(["unit", "timestep", "series", "statisticsSeries"]);
const SERIES_KEYS = new Set(["hostname", "id", "statistics", "data"]);

function rejectUnknownKeys(raw: unknown, allowed: ReadonlySet<string>, where: string): void {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return;
  for (const key of Object.keys(raw)) {
    if (!allowed.has(key)) throw new Error(`${where}: unknown field "${key}"`);
  }
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new Error(`cannot read "${path}": ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`invalid JSON in "${path}": ${(error as Error).message}`);
  }
}

/** Reads one pair strictly (unknown fields are errors) and returns the prepared job and data. */
async function readPair(pair: ImportPair, options: { validate: boolean }) {
  const rawMeta = await readJson(pair.meta);
  if (options.validate) validateDocument("meta", rawMeta, { source: pair.meta });
  rejectUnknownKeys(rawMeta, META_KEYS, pair.meta);
  const meta: Job = {
    ...{ shared: "none", monitoringStatus: 1 },
    ...jobMetaFromJson(rawMeta, { source: pair.meta }),
  } as Job;
  if (!meta.shared) meta.shared = "none";

  const rawData = await readJson(pair.data);
  if (options.validate) validateDocument("data", rawData, { source: pair.data });
  // Shape first (it names the file when the data is not an object), then unknown keys.
  const data = jobDataFromJson(rawData, { source: pair.data });
  for (const [metric, scopes] of Object.entries(data)) {
    for (const [scope, jm] of Object.entries((scopes ?? {}) as Record<string, unknown>)) {
      rejectUnknownKeys(jm, METRIC_KEYS, `${pair.data}: ${metric}.${scope}`);
      const series = (jm as { series?: unknown[] }).series ?? [];
      series.forEach((s, i) =>
        rejectUnknownKeys(s, SERIES_KEYS, `${pair.data}: ${metric}.${scope}.series[${i}]`)
      );
    }
  }
  return { meta, data };
}

/**
 * Imports every pair into `archive` and `db`, stopping at the first failure
 * with an error naming the file. Returns the database ids of the new jobs.
 */
export async function importJobs(
  pairs: ImportPair[],
  options: { db: DatabaseSync; archive: FileArchive; validate?: boolean },
): Promise<number[]> {
  const jobs = new JobRepository(options.db);
  const tags = new TagRepository(options.db);
  const ids: number[] = [];
  for (const pair of pairs) {
    const { meta, data } = await readPair(pair, { validate: options.validate ?? false });
    meta.monitoringStatus = 3;
    const subCluster = sanityCheck(options.archive.clusters(), meta);
    Object.assign(meta, computeFootprint(meta, subCluster));
    const existing = jobs.find(meta.jobId, { cluster: meta.cluster, startTime: meta.startTime });
    if (existing) {
      throw new AppError(
        422,
        `cannot import job ${meta.jobId} on "${meta.cluster}" started ${meta.startTime}: it exists already (id ${existing.id})`,
      );
    }
    await options.archive.writeJob(meta, data);
    const id = withTransaction(options.db, () => {
      const id = jobs.insertJob(meta);
      for (const tag of meta.tags ?? []) {
        const spec = { type: tag.type, name: tag.name, scope: tag.scope || "global" };
        tags.addTagToJob(id, (tags.findTag(spec) ?? tags.getOrCreateTag(spec)).id);
      }
      return id;
    });
    ids.push(id);
  }
  return ids;
}
