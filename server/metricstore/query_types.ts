/**
 * The query API of cc-metric-store (`GET /api/query?version=v2`), which
 * cc-backend also uses in-process for its built-in store. Keys are the JSON
 * keys, so a request body decodes straight into these types.
 *
 * @module
 */

/** One query: a metric on a host, optionally per type id / subtype id. */
export interface APIQuery {
  metric: string;
  host: string;
  /** Child level type (`hwthread`, `core`, `socket`, `memoryDomain`, `accelerator`). */
  type?: string | null;
  "type-ids"?: string[] | null;
  subtype?: string | null;
  "subtype-ids"?: string[] | null;
  /** Target seconds per point; 0 = native. */
  resolution?: number;
  /** Factor applied to data and statistics (0 and 1 = none). */
  "scale-by"?: number;
  /** Combine all ids into one series with the metric's aggregation. */
  aggreg?: boolean;
}

/** A query request. */
export interface APIQueryRequest {
  cluster?: string;
  queries?: APIQuery[] | null;
  /** Metric names to read for every host of `cluster`. */
  "for-all-nodes"?: string[] | null;
  from: number;
  to: number;
  "with-stats"?: boolean;
  "with-data"?: boolean;
  "with-padding"?: boolean;
}

/** One series of a result row. */
export interface APIMetricData {
  /** Set (alone) when reading failed. */
  error?: string;
  /** Omitted with `with-data: false` or when empty. */
  data?: Float64Array;
  from: number;
  to: number;
  resolution: number;
  /** 0 when statistics were not asked for (as the original's zero values). */
  avg: number;
  min: number;
  max: number;
  /**
   * In-process only (not in the JSON): the type id, or `"<type-id>:<subtype-id>"`,
   * of a per-id entry, so that callers need not count positions.
   */
  id?: string;
}

/** The response: one row of series per query. */
export interface APIQueryResponse {
  /** The generated queries of `for-all-nodes` (only then). */
  queries?: APIQuery[];
  results: APIMetricData[][];
}

/** JSON schema of a request body (strict: unknown keys are rejected). */
export const API_QUERY_REQUEST_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["from", "to"],
  properties: {
    cluster: { type: "string" },
    from: { type: "integer" },
    to: { type: "integer" },
    "with-stats": { type: "boolean" },
    "with-data": { type: "boolean" },
    "with-padding": { type: "boolean" },
    "for-all-nodes": { type: ["array", "null"], items: { type: "string" } },
    queries: {
      type: ["array", "null"],
      items: {
        type: "object",
        additionalProperties: false,
        required: ["metric", "host"],
        properties: {
          metric: { type: "string" },
          host: { type: "string" },
          type: { type: ["string", "null"] },
          "type-ids": { type: ["array", "null"], items: { type: "string" } },
          subtype: { type: ["string", "null"] },
          "subtype-ids": { type: ["array", "null"], items: { type: "string" } },
          resolution: { type: "integer", minimum: 0 },
          "scale-by": { type: "number" },
          aggreg: { type: "boolean" },
        },
      },
    },
  },
} as const;
