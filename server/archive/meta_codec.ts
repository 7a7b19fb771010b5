/**
 * Decoding and encoding of meta.json (cc-lib's `schema.Job`). Reading keeps only the keys
 * cc-backend knows and checks their JSON types; writing follows Go's field order and
 * omitempty rules.
 *
 * @module
 */

import { escapeGoJson } from "./go_json.ts";
import type { Job } from "./types.ts";

type Kind = "string" | "integer" | "number" | "array" | "object" | "map";

/** The JSON type of every known meta.json key. */
const META_KINDS: Record<string, Kind> = {
  cluster: "string",
  subCluster: "string",
  partition: "string",
  project: "string",
  user: "string",
  shared: "string",
  jobState: "string",
  tags: "array",
  resources: "array",
  energyFootprint: "map",
  footprint: "map",
  metaData: "map",
  concurrentJobs: "object",
  energy: "number",
  arrayJobId: "integer",
  walltime: "integer",
  requestedMemory: "integer",
  jobId: "integer",
  duration: "integer",
  smt: "integer",
  monitoringStatus: "integer",
  numAcc: "integer",
  numHwthreads: "integer",
  numNodes: "integer",
  statistics: "map",
  id: "integer",
  submitTime: "integer",
  startTime: "integer",
};

const ARTICLE: Record<Kind, string> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  array: "an array",
  object: "an object",
  map: "an object",
};

/** Keys without which a job cannot be placed in the archive or the database. */
const REQUIRED = ["jobId", "cluster", "startTime"] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function hasKind(v: unknown, kind: Kind): boolean {
  switch (kind) {
    case "string":
      return typeof v === "string";
    case "integer":
      return Number.isInteger(v);
    case "number":
      return typeof v === "number";
    case "array":
      return Array.isArray(v);
    default:
      return isObject(v);
  }
}

/**
 * Builds a {@link Job} from a parsed meta.json: unknown keys are dropped, `null` counts as
 * absent, missing string/number fields get Go's zero values. Throws an error naming
 * `source` and the field when a key has the wrong JSON type or jobId, cluster or startTime
 * is missing.
 */
export function jobMetaFromJson(raw: unknown, options: { source?: string } = {}): Job {
  const source = options.source ?? "meta.json";
  if (!isObject(raw)) throw new Error(`invalid ${source}: not a JSON object`);
  const job: Record<string, unknown> = {
    user: "",
    project: "",
    subCluster: "",
    shared: "",
    jobState: "",
    numNodes: 0,
    duration: 0,
    resources: [],
  };
  for (const key in raw) {
    const kind = META_KINDS[key];
    const v = raw[key];
    if (kind === undefined) continue;
    if (v === null) {
      // Go treats null like an absent key; maps keep their null (they are written as null).
      if (kind === "map") job[key] = null;
      continue;
    }
    if (!hasKind(v, kind)) throw new Error(`invalid ${source}: "${key}" must be ${ARTICLE[kind]}`);
    job[key] = v;
  }
  for (const key of REQUIRED) {
    if (!(key in job)) throw new Error(`invalid ${source}: required field "${key}" is missing`);
  }
  const resources = job.resources as unknown[];
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    if (!isObject(r) || typeof r.hostname !== "string") {
      throw new Error(`invalid ${source}: resources[${i}].hostname must be a string`);
    }
  }
  return job as unknown as Job;
}

/** Parses meta.json text ({@link jobMetaFromJson}). */
export function decodeJobMeta(text: string, options: { source?: string } = {}): Job {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`invalid ${options.source ?? "meta.json"}: ${(e as Error).message}`);
  }
  return jobMetaFromJson(raw, options);
}

function sortedMap<T, U>(m: Record<string, T>, f: (v: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const k of Object.keys(m).sort()) out[k] = f(m[k]);
  return out;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === "" || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === "object" && Object.keys(v).length === 0;
}

/** meta.json keys in the order of cc-lib's `schema.Job`, with Go's omitempty rule. */
const META_FIELDS: readonly [keyof Job, "omitempty" | "omitnil" | "always"][] = [
  ["cluster", "always"],
  ["subCluster", "always"],
  ["partition", "omitempty"],
  ["project", "always"],
  ["user", "always"],
  ["shared", "always"],
  ["jobState", "always"],
  ["tags", "omitempty"],
  ["resources", "always"],
  ["energyFootprint", "always"],
  ["footprint", "always"],
  ["metaData", "always"],
  ["concurrentJobs", "always"],
  ["energy", "always"],
  ["arrayJobId", "omitempty"],
  ["walltime", "omitempty"],
  ["requestedMemory", "omitempty"],
  ["jobId", "always"],
  ["duration", "always"],
  ["smt", "omitempty"],
  ["monitoringStatus", "omitempty"],
  ["numAcc", "omitempty"],
  ["numHwthreads", "omitempty"],
  ["numNodes", "always"],
  ["statistics", "always"],
  ["id", "omitnil"],
  ["submitTime", "omitempty"],
  ["startTime", "always"],
];

/** The meta.json field names cc-backend knows. */
export const META_KEYS: ReadonlySet<string> = new Set(META_FIELDS.map(([k]) => k));

const STRING_KEYS = new Set(["cluster", "subCluster", "project", "user", "shared", "jobState"]);

function metaValue(key: keyof Job, job: Job): unknown {
  const v = job[key];
  switch (key) {
    case "resources":
      return (v as Job["resources"] | undefined)?.map((r) => ({
        hostname: r.hostname,
        configuration: r.configuration || undefined,
        hwthreads: r.hwthreads?.length ? r.hwthreads : undefined,
        accelerators: r.accelerators?.length ? r.accelerators : undefined,
      })) ?? null;
    case "tags":
      return job.tags?.map((t) => ({
        type: t.type,
        name: t.name,
        scope: t.scope ?? "",
        id: t.id ?? 0,
      }));
    case "energyFootprint":
    case "footprint":
    case "metaData":
      return v ? sortedMap(v as Record<string, unknown>, (x) => x) : null;
    case "statistics":
      return job.statistics
        ? sortedMap(job.statistics, (s) => ({
          unit: s.unit?.prefix
            ? { base: s.unit.base, prefix: s.unit.prefix }
            : { base: s.unit?.base ?? "" },
          avg: s.avg,
          min: s.min,
          max: s.max,
        }))
        : null;
    case "concurrentJobs": {
      const cj = job.concurrentJobs;
      return {
        items: cj?.items?.map((i) => ({ id: i.id, jobId: i.jobId })) ?? null,
        count: cj?.count ?? 0,
      };
    }
    case "id":
      return v ?? null;
    default:
      return v ?? (STRING_KEYS.has(key) ? "" : 0);
  }
}

/**
 * Serializes meta.json as cc-backend does (field order of cc-lib's `schema.Job`, Go's
 * omitempty rules, unknown keys dropped, no trailing newline).
 */
export function encodeJobMeta(job: Job): string {
  const out: Record<string, unknown> = {};
  for (const [key, rule] of META_FIELDS) {
    const v = metaValue(key, job);
    if (rule === "omitempty" && isEmpty(v)) continue;
    if (rule === "omitnil" && (v === undefined || v === null)) continue;
    out[key] = v;
  }
  return escapeGoJson(JSON.stringify(out));
}
