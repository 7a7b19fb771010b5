/**
 * `fetchData`: answers an {@link APIQueryRequest} from a store, as
 * cc-backend's `FetchData` and cc-metric-store's `/api/query` do.
 *
 * Per query: `aggreg` or no `type` → one selector (ids as a group, combined
 * with the metric's aggregation); otherwise one selector per type id (×
 * subtype id), one result each in id order. A host or metric without data
 * is left out of its row (as the original); other read errors give an entry
 * with only `error`.
 *
 * Deliberate differences: statistics are computed on the native-resolution
 * data (the original uses the resampled data); padding counts steps of the
 * returned resolution (the original uses the native frequency even after
 * resampling) and moves `from` to the padded start; every per-id entry
 * carries its `id` in-process.
 *
 * @module
 */
import { AppError } from "../errors.ts";
import type { SelectorElement } from "./level.ts";
import type { MemoryStore, ReadResult } from "./memory_store.ts";
import type { APIMetricData, APIQuery, APIQueryRequest, APIQueryResponse } from "./query_types.ts";
import { seriesStats } from "./stats.ts";

/** Defaults for the request flags (cc-metric-store: all true). */
export interface FetchDefaults {
  withStats?: boolean;
  withData?: boolean;
  withPadding?: boolean;
}

/** Answers `req` from `store`; throws a 400 AppError for a bad time range or cluster. */
export function fetchData(
  store: MemoryStore,
  req: APIQueryRequest,
  defaults: FetchDefaults = {},
): APIQueryResponse {
  if (req.from > req.to) {
    throw new AppError(
      400,
      `invalid time range: 'from' (${req.from}) must be before 'to' (${req.to})`,
    );
  }
  const flags = {
    stats: req["with-stats"] ?? defaults.withStats ?? true,
    data: req["with-data"] ?? defaults.withData ?? true,
    padding: req["with-padding"] ?? defaults.withPadding ?? true,
  };
  const cluster = req.cluster ?? "";
  const queries = [...req.queries ?? []];
  let generated: APIQuery[] | undefined;
  const forAll = req["for-all-nodes"];
  if (forAll && forAll.length > 0) {
    if (cluster === "") throw new AppError(400, "cluster name cannot be empty");
    generated = [];
    for (const host of store.hosts(cluster)) {
      for (const metric of forAll) generated.push({ metric, host });
    }
    queries.push(...generated);
  }
  const results = queries.map((q) => answerQuery(store, cluster, q, req, flags));
  return generated ? { queries: generated, results } : { results };
}

interface Flags {
  stats: boolean;
  data: boolean;
  padding: boolean;
}

function answerQuery(
  store: MemoryStore,
  cluster: string,
  q: APIQuery,
  req: APIQueryRequest,
  flags: Flags,
): APIMetricData[] {
  const row: APIMetricData[] = [];
  for (const { selector, id } of selectorsOf(cluster, q)) {
    let r: ReadResult | null;
    try {
      r = store.read(selector, q.metric, {
        from: req.from,
        to: req.to,
        resolution: q.resolution ?? 0,
      });
    } catch (error) {
      row.push({
        error: (error as Error).message,
        from: 0,
        to: 0,
        resolution: 0,
        avg: 0,
        min: 0,
        max: 0,
      });
      continue;
    }
    if (r === null) continue;
    const entry = toEntry(r, q, req.from, flags);
    if (id !== undefined) entry.id = id;
    row.push(entry);
  }
  return row;
}

function toEntry(r: ReadResult, q: APIQuery, from: number, flags: Flags): APIMetricData {
  let data = r.data;
  let start = r.from;
  let avg = 0, min = 0, max = 0;
  if (flags.stats) ({ avg, min, max } = seriesStats(r.native));
  const scale = q["scale-by"] ?? 0;
  if (scale !== 0 && scale !== 1) {
    // The arrays of a read belong to this entry alone, so scaling in place is safe.
    for (let i = 0; i < data.length; i++) data[i] *= scale;
    avg *= scale;
    min *= scale;
    max *= scale;
  }
  if (flags.padding && r.resolution > 0) {
    const pad = Math.floor(r.from / r.resolution) - Math.floor(from / r.resolution);
    if (pad > 0) {
      const padded = new Float64Array(pad + data.length).fill(NaN, 0, pad);
      padded.set(data, pad);
      data = padded;
      start -= pad * r.resolution;
    }
  }
  const entry: APIMetricData = { from: start, to: r.to, resolution: r.resolution, avg, min, max };
  if (flags.data) entry.data = data;
  return entry;
}

/** The selectors of one query, each with the id of its result (per-id selectors only). */
export function selectorsOf(
  cluster: string,
  q: APIQuery,
): { selector: SelectorElement[]; id?: string }[] {
  const type = q.type ?? "";
  const subtype = q.subtype ?? "";
  const typeIds = q["type-ids"] ?? [];
  const subIds = q["subtype-ids"] ?? [];
  const base: SelectorElement[] = [cluster, q.host];
  if (q.aggreg || type === "") {
    const selector = [...base];
    if (type !== "") selector.push(group(type, typeIds));
    if (type !== "" && subtype !== "") selector.push(group(subtype, subIds));
    return [{ selector }];
  }
  const out: { selector: SelectorElement[]; id?: string }[] = [];
  for (const id of typeIds) {
    if (subtype === "") {
      out.push({ selector: [...base, type + id], id });
      continue;
    }
    for (const sid of subIds) {
      out.push({ selector: [...base, type + id, subtype + sid], id: `${id}:${sid}` });
    }
  }
  return out;
}

function group(prefix: string, ids: readonly string[]): SelectorElement {
  return ids.length === 1 ? prefix + ids[0] : ids.map((id) => prefix + id);
}
