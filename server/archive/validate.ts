/**
 * JSON-schema validation of meta.json, data.json and cluster.json against the schemas
 * cc-backend embeds (copied into ./schemas). Used only when `validate` is on: real archives
 * often deviate from these schemas (unit bases such as `load`, missing required metrics).
 *
 * @module
 */

import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import clusterSchema from "./schemas/cluster.schema.json" with { type: "json" };
import jobDataSchema from "./schemas/job-data.schema.json" with { type: "json" };
import jobMetaSchema from "./schemas/job-meta.schema.json" with { type: "json" };
import jobMetricDataSchema from "./schemas/job-metric-data.schema.json" with { type: "json" };
import jobMetricStatisticsSchema from "./schemas/job-metric-statistics.schema.json" with {
  type: "json",
};
import unitSchema from "./schemas/unit.schema.json" with { type: "json" };

/** Which document a value claims to be. */
export type SchemaKind = "meta" | "data" | "cluster";

const SCHEMA_IDS: Record<SchemaKind, string> = {
  meta: "embedfs://job-meta.schema.json",
  data: "embedfs://job-data.schema.json",
  cluster: "embedfs://cluster.schema.json",
};

const FILE_NAMES: Record<SchemaKind, string> = {
  meta: "meta.json",
  data: "data.json",
  cluster: "cluster.json",
};

let ajv: Ajv2020 | undefined;
const compiled = new Map<SchemaKind, ValidateFunction>();

function validator(kind: SchemaKind): ValidateFunction {
  let fn = compiled.get(kind);
  if (fn) return fn;
  if (!ajv) {
    // The schemas reference each other by their embedfs:// $id, so all are registered.
    ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false, verbose: true });
    for (
      const s of [
        unitSchema,
        jobMetricStatisticsSchema,
        jobMetricDataSchema,
        jobDataSchema,
        jobMetaSchema,
        clusterSchema,
      ]
    ) ajv.addSchema(s);
  }
  fn = ajv.getSchema(SCHEMA_IDS[kind]);
  if (!fn) throw new Error(`schema ${SCHEMA_IDS[kind]} is not registered`);
  compiled.set(kind, fn);
  return fn;
}

function describe(e: ErrorObject): string {
  const path = e.instancePath || "(root)";
  if (e.keyword === "required") {
    return `${path}: required field "${
      (e.params as { missingProperty: string }).missingProperty
    }" is missing`;
  }
  if (e.keyword === "enum") {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
    const list = allowed.map((v) => JSON.stringify(v)).join(", ");
    return `${path} is ${JSON.stringify(e.data)}, must be one of ${list}`;
  }
  return `${path} ${e.message ?? "is invalid"}`;
}

/**
 * The schema violations of `value` as readable lines (empty when valid), at most `limit`
 * (default 10) of them.
 */
export function schemaErrors(
  kind: SchemaKind,
  value: unknown,
  options: { limit?: number } = {},
): string[] {
  const fn = validator(kind);
  if (fn(value)) return [];
  const errors = (fn.errors ?? []).map(describe);
  return [...new Set(errors)].slice(0, options.limit ?? 10);
}

/**
 * Throws an error naming `source` (default: the file name) and the offending fields when
 * `value` does not satisfy the schema of `kind`. Validate the raw parsed JSON, before
 * `null` data points become NaN.
 */
export function validateDocument(
  kind: SchemaKind,
  value: unknown,
  options: { source?: string } = {},
): void {
  const errors = schemaErrors(kind, value);
  if (errors.length > 0) {
    throw new Error(
      `${options.source ?? FILE_NAMES[kind]} does not match the ${FILE_NAMES[kind]} schema: ${
        errors.join("; ")
      }`,
    );
  }
}
