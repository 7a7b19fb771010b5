/**
 * Decoding and encoding of data.json in cc-backend's format: `null` data
 * points are NaN in memory; series are written with two decimals (data rounded to float32
 * first), statistics keys as min, avg, max, and map keys sorted like Go's encoding/json.
 *
 * @module
 */

import { fixed2, fixed2f32, goString } from "./go_json.ts";
import type { JobData, JobMetric, Series, StatisticsSeries, Unit } from "./types.ts";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Replaces `null` by NaN in place; throws on anything that is not a number. */
function nullsToNaN(values: unknown[], where: () => string): number[] {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) values[i] = NaN;
    else if (typeof v !== "number") throw new Error(`${where()}[${i}] is not a number or null`);
  }
  return values as number[];
}

function statValue(v: unknown): number {
  return typeof v === "number" ? v : 0;
}

/**
 * Turns a parsed data.json into {@link JobData} in place: `null` → NaN, missing series
 * statistics → zeros (as Go decodes them). Throws an error naming `source` and the
 * offending metric/scope on a wrong shape.
 */
export function jobDataFromJson(raw: unknown, options: { source?: string } = {}): JobData {
  const source = options.source ?? "data.json";
  if (!isObject(raw)) throw new Error(`invalid ${source}: not a JSON object`);
  for (const metric in raw) {
    const scopes = raw[metric];
    if (!isObject(scopes)) throw new Error(`invalid ${source}: "${metric}" is not an object`);
    for (const scope in scopes) {
      const at = `invalid ${source}: ${metric}.${scope}`;
      const jm = scopes[scope];
      if (!isObject(jm) || !Array.isArray(jm.series)) {
        throw new Error(`${at}: series must be an array`);
      }
      const series = jm.series as unknown[];
      for (let i = 0; i < series.length; i++) {
        const s = series[i];
        if (!isObject(s) || !Array.isArray(s.data) || typeof s.hostname !== "string") {
          throw new Error(`${at}.series[${i}] needs a hostname and a data array`);
        }
        nullsToNaN(s.data, () => `${at}.series[${i}].data`);
        const st = isObject(s.statistics) ? s.statistics : {};
        s.statistics = { min: statValue(st.min), avg: statValue(st.avg), max: statValue(st.max) };
      }
      const ss = jm.statisticsSeries;
      if (isObject(ss)) {
        for (const key of ["mean", "median", "min", "max"]) {
          if (Array.isArray(ss[key])) nullsToNaN(ss[key], () => `${at}.statisticsSeries.${key}`);
        }
        const pct = ss.percentiles;
        if (isObject(pct)) {
          for (const p in pct) {
            const arr = pct[p];
            if (Array.isArray(arr)) {
              nullsToNaN(arr, () => `${at}.statisticsSeries.percentiles.${p}`);
            }
          }
        }
      }
    }
  }
  return raw as JobData;
}

/** Parses data.json text ({@link jobDataFromJson}). */
export function decodeJobData(text: string, options: { source?: string } = {}): JobData {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`invalid ${options.source ?? "data.json"}: ${(e as Error).message}`);
  }
  return jobDataFromJson(raw, options);
}

function unitJson(u: Unit | undefined): string {
  const base = goString(u?.base ?? "");
  return u?.prefix ? `{"base":${base},"prefix":${goString(u.prefix)}}` : `{"base":${base}}`;
}

function floatArray(values: readonly number[] | null | undefined): string {
  if (!values) return "null";
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = fixed2(values[i]);
  return `[${parts.join(",")}]`;
}

function seriesJson(s: Series): string {
  const parts = new Array<string>(s.data.length);
  for (let i = 0; i < s.data.length; i++) {
    const v = s.data[i];
    parts[i] = v !== v ? "null" : fixed2f32(v);
  }
  const id = s.id !== undefined && s.id !== null ? `,"id":${goString(s.id)}` : "";
  const st = s.statistics;
  return `{"hostname":${goString(s.hostname)}${id},"statistics":{"min":${fixed2(st.min)},"avg":${
    fixed2(st.avg)
  },"max":${fixed2(st.max)}},"data":[${parts.join(",")}]}`;
}

function statsSeriesJson(ss: StatisticsSeries): string {
  let pct = "";
  const keys = ss.percentiles ? Object.keys(ss.percentiles).sort() : [];
  if (keys.length > 0) {
    const p = ss.percentiles!;
    pct = `"percentiles":{${keys.map((k) => `${goString(k)}:${floatArray(p[k])}`).join(",")}},`;
  }
  return `{${pct}"mean":${floatArray(ss.mean)},"median":${floatArray(ss.median)},"min":${
    floatArray(ss.min)
  },"max":${floatArray(ss.max)}}`;
}

function jobMetricJson(jm: JobMetric): string {
  const stats = jm.statisticsSeries
    ? `"statisticsSeries":${statsSeriesJson(jm.statisticsSeries)},`
    : "";
  const series = jm.series ? `[${jm.series.map(seriesJson).join(",")}]` : "null";
  return `{${stats}"unit":${unitJson(jm.unit)},"series":${series},"timestep":${jm.timestep ?? 0}}`;
}

/** Serializes one metric's data as cc-backend does, inside data.json and in API answers. */
export function encodeJobMetric(metric: JobMetric): string {
  return jobMetricJson(metric);
}

/** Serializes data.json exactly as cc-backend does (without a trailing newline). */
export function encodeJobData(data: JobData): string {
  const out: string[] = [];
  for (const metric of Object.keys(data).sort()) {
    const scopes = data[metric] as Record<string, JobMetric | undefined> | undefined;
    if (!scopes) {
      out.push(`${goString(metric)}:null`);
      continue;
    }
    const inner = Object.keys(scopes).sort().map((scope) => {
      const jm = scopes[scope];
      return `${goString(scope)}:${jm ? jobMetricJson(jm) : "null"}`;
    });
    out.push(`${goString(metric)}:{${inner.join(",")}}`);
  }
  return `{${out.join(",")}}`;
}
