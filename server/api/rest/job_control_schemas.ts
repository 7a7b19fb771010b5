/**
 * JSON schemas of the job-control request bodies (start, stop, tags,
 * metadata, delete), matching cc-backend's Go structs field for field: no
 * unknown keys at any depth, integers within their Go type, and `null`
 * accepted wherever Go accepts it for a struct field (it leaves the field at
 * its zero value; Go clients send `null` for nil maps and pointers).
 *
 * @module
 */
import { type BodySchema, INTEGER } from "./read_json.ts";

const STRING: BodySchema = { type: "string" };
const NUMBER: BodySchema = { type: "number" };
const INT32: BodySchema = { type: "integer", minimum: -2147483648, maximum: 2147483647 };

/** `schema` that also accepts `null`. */
function orNull(schema: BodySchema): BodySchema {
  return { ...schema, type: [schema.type as string, "null"] };
}

/** A Go struct: the listed fields, each nullable, nothing else. */
function struct(fields: Record<string, BodySchema>, required: string[] = []): BodySchema {
  const properties: Record<string, BodySchema> = {};
  for (const [key, schema] of Object.entries(fields)) properties[key] = orNull(schema);
  return { type: "object", additionalProperties: false, properties, required };
}

function mapOf(values: BodySchema): BodySchema {
  return { type: "object", additionalProperties: values };
}

function arrayOf(items: BodySchema): BodySchema {
  return { type: "array", items };
}

/** cc-lib's `schema.Tag`. */
const JOB_TAG = struct({ id: INTEGER, type: STRING, name: STRING, scope: STRING });

/** cc-lib's `schema.Resource`. */
const RESOURCE = struct({
  hostname: STRING,
  hwthreads: arrayOf(INTEGER),
  accelerators: arrayOf(STRING),
  configuration: STRING,
});

const UNIT = struct({ base: STRING, prefix: STRING });

const JOB_STATISTICS = struct({ unit: UNIT, avg: NUMBER, min: NUMBER, max: NUMBER });

const JOB_LINK_LIST = struct({
  items: arrayOf(struct({ id: INTEGER, jobId: INTEGER })),
  count: INTEGER,
});

/** The body of `start_job`: cc-lib's `schema.Job`. */
export const START_JOB_SCHEMA: BodySchema = struct({
  cluster: STRING,
  subCluster: STRING,
  partition: STRING,
  project: STRING,
  user: STRING,
  shared: STRING,
  jobState: STRING,
  tags: arrayOf(JOB_TAG),
  resources: arrayOf(RESOURCE),
  energyFootprint: mapOf(NUMBER),
  footprint: mapOf(NUMBER),
  metaData: mapOf(STRING),
  concurrentJobs: JOB_LINK_LIST,
  energy: NUMBER,
  arrayJobId: INTEGER,
  walltime: INTEGER,
  requestedMemory: INTEGER,
  jobId: INTEGER,
  duration: INT32,
  smt: INT32,
  monitoringStatus: INT32,
  numAcc: INT32,
  numHwthreads: INT32,
  numNodes: INT32,
  statistics: mapOf(JOB_STATISTICS),
  id: INTEGER,
  submitTime: INTEGER,
  startTime: INTEGER,
});

/** The body of `stop_job` (`StopJobAPIRequest`). */
export const STOP_JOB_SCHEMA: BodySchema = struct({
  jobId: INTEGER,
  cluster: STRING,
  startTime: INTEGER,
  jobState: STRING,
  stopTime: INTEGER,
});

/** The body of `delete_job/` (`DeleteJobAPIRequest`). */
export const DELETE_JOB_SCHEMA: BodySchema = struct({
  jobId: INTEGER,
  cluster: STRING,
  startTime: INTEGER,
});

/**
 * The body of `edit_meta/{id}` (`EditMetaRequest`). Handlers insist on a
 * non-empty key (cc-backend would store an empty one).
 */
export const EDIT_META_SCHEMA: BodySchema = struct({ key: STRING, value: STRING });

/** The body of `edit_meta/` (`JobMetaRequest`). */
export const EDIT_META_BY_REQUEST_SCHEMA: BodySchema = struct({
  jobId: INTEGER,
  cluster: STRING,
  startTime: INTEGER,
  payload: EDIT_META_SCHEMA,
});

/** The body of `tag_job/{id}` and `DELETE /api/tags/`: a list of `APITag`. */
export const TAG_LIST_SCHEMA: BodySchema = arrayOf(
  struct({ type: STRING, name: STRING, scope: STRING }),
);
