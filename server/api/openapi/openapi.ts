/**
 * The OpenAPI 3 description of every REST route of cc-backend 1.5 that this
 * program serves (`/api/...`, the metric-store routes and `/userapi/...`).
 * It is a plain object so that `deno compile` embeds it; it is served at
 * `GET /swagger/doc.json`.
 *
 * @module
 */
import { VERSION } from "../../version.ts";
import { ref, type SchemaObject, SCHEMAS } from "./openapi_schemas.ts";

type Operation = Record<string, unknown>;

const ERROR_RESPONSES: Record<number, [string, string]> = {
  400: ["BadRequest", "The request was malformed: unknown key, wrong type, bad parameter."],
  401: ["Unauthorized", "No, an invalid or an insufficient token, or a client IP not allowed."],
  403: ["Forbidden", "The token's user lacks a role the operation needs."],
  404: ["NotFound", "The addressed object does not exist."],
  413: ["PayloadTooLarge", "The request body exceeds 8 MiB."],
  422: ["UnprocessableEntity", "The request conflicts with stored data."],
  500: ["InternalServerError", "The server failed; the message says what it attempted."],
};

function errors(...codes: number[]): Record<string, unknown> {
  return Object.fromEntries(codes.map((code) => [
    String(code),
    { $ref: `#/components/responses/${ERROR_RESPONSES[code][0]}` },
  ]));
}

function json(description: string, schema: SchemaObject): Record<string, unknown> {
  return { description, content: { "application/json": { schema } } };
}

function body(description: string, schema: SchemaObject, required = true): Record<string, unknown> {
  return { description, required, content: { "application/json": { schema } } };
}

const plainText = (description: string, example: string) => ({
  description,
  content: { "text/plain": { schema: { type: "string", example } } },
});

const pathId = (description: string) => ({
  name: "id",
  in: "path",
  required: true,
  description,
  schema: { type: "integer", format: "int64" },
});
const DB_ID = pathId("Database id of the job.");

function op(
  tag: string,
  operationId: string,
  summary: string,
  description: string,
  rest: Operation,
): Operation {
  return { tags: [tag], operationId, summary, description, ...rest };
}

const JOB_LIST_PARAMETERS = [
  {
    name: "state",
    in: "query",
    description: "Only jobs in these states (repeatable).",
    schema: { type: "array", items: ref("JobState") },
    style: "form",
    explode: true,
  },
  {
    name: "cluster",
    in: "query",
    description: "Only jobs of this cluster.",
    schema: { type: "string" },
  },
  {
    name: "project",
    in: "query",
    description: "Only jobs of this project.",
    schema: { type: "string" },
  },
  {
    name: "start-time",
    in: "query",
    description: "Only jobs started in `FROM-TO` (unix seconds, inclusive).",
    schema: { type: "string", example: "1649723812-1649763839" },
  },
  {
    name: "page",
    in: "query",
    description: "Page number, from 1.",
    schema: { type: "integer", minimum: 1, default: 1 },
  },
  {
    name: "items-per-page",
    in: "query",
    description: "Page size.",
    schema: { type: "integer", minimum: 1, default: 25 },
  },
  {
    name: "with-metadata",
    in: "query",
    description: "When present (with any value), each job carries its `metaData`.",
    allowEmptyValue: true,
    schema: { type: "string" },
  },
];

function listJobs(tag: string, operationId: string, visibility: string): Operation {
  return op(tag, operationId, "List jobs", `One page of jobs, newest start first. ${visibility}`, {
    parameters: JOB_LIST_PARAMETERS,
    responses: {
      "200": json("The page.", ref("GetJobsResponse")),
      ...errors(400, 401, 403, 500),
    },
  });
}

function getCompleteJob(tag: string, operationId: string): Operation {
  return op(
    tag,
    operationId,
    "Get a job, optionally with all metric data",
    "The job with its tags and metadata; with `all-metrics=true` also every metric " +
      "(core scope for single-node jobs, node scope otherwise).",
    {
      parameters: [
        DB_ID,
        {
          name: "all-metrics",
          in: "query",
          description: "`true` loads every metric.",
          schema: { type: "boolean" },
        },
      ],
      responses: {
        "200": json("The job.", ref("GetCompleteJobResponse")),
        ...errors(400, 401, 422, 500),
      },
    },
  );
}

function getJobWithMetrics(tag: string, operationId: string): Operation {
  return op(
    tag,
    operationId,
    "Get a job with selected metrics",
    "The job with the metrics named in the body (`null` for all).",
    {
      parameters: [DB_ID],
      requestBody: body("Metric names.", {
        type: "array",
        items: { type: "string" },
        nullable: true,
        example: ["flops_any", "mem_bw"],
      }),
      responses: {
        "200": json("The job and the metric data.", ref("GetJobResponse")),
        ...errors(400, 401, 413, 422, 500),
      },
    },
  );
}

function jobMetrics(tag: string, operationId: string): Operation {
  return op(
    tag,
    operationId,
    "Get metric data of a job",
    "Metric data in a GraphQL-like envelope. Apart from a bad `scope` the status is 200; " +
      "failures (unknown job, not allowed to see it, load errors) come back in `error`.",
    {
      parameters: [
        DB_ID,
        {
          name: "metric",
          in: "query",
          description: "Metric names (repeatable); none means all.",
          schema: { type: "array", items: { type: "string" } },
        },
        {
          name: "scope",
          in: "query",
          description: "Scopes (repeatable).",
          schema: { type: "array", items: ref("MetricScope") },
        },
      ],
      responses: {
        "200": json("The data or the error.", ref("JobMetricsResponse")),
        ...errors(400, 401),
      },
    },
  );
}

const MACHINE_STATE_PARAMETERS = [
  {
    name: "cluster",
    in: "path",
    required: true,
    description: "Cluster name.",
    schema: { type: "string" },
  },
  {
    name: "host",
    in: "path",
    required: true,
    description: "Hostname.",
    schema: { type: "string" },
  },
];

const putMachineState = (operationId: string) =>
  op(
    "Machine state",
    operationId,
    "Store the machine state of a node",
    "Stores the body as the node's machine-state document, replacing an older one. " +
      "Only available when `main.machine-state-dir` is set.",
    {
      parameters: MACHINE_STATE_PARAMETERS,
      requestBody: body("Any JSON document.", { type: "object" }),
      responses: { "201": { description: "Stored (no body)." }, ...errors(400, 401, 413, 500) },
    },
  );

const updateNodeStates = (operationId: string, note: string) =>
  op(
    "Nodes",
    operationId,
    "Store node states",
    "Stores one state row per reported node, at the time of receipt, with the scheduler " +
      "state, allocation counters and metric health. Unknown nodes are created in the " +
      "subcluster whose node list names them; nodes no subcluster lists are not stored and " +
      `are named in the answer. ${note}`,
    {
      requestBody: body("The node states.", ref("NodeStateRequest")),
      responses: {
        "200": json("What was stored.", ref("NodeStateResponse")),
        ...errors(400, 401, 413, 500),
      },
    },
  );

const writeMetrics = (operationId: string) =>
  op(
    "Metric store",
    operationId,
    "Write metrics (line protocol)",
    "Ingests InfluxDB line protocol (`<metric>,cluster=..,hostname=..[,type=..,type-id=..] " +
      "value=<number> [<unix seconds>]`) into the built-in metric store. Unknown metrics are " +
      "skipped; a syntax error stops at that line (earlier lines stay written).",
    {
      parameters: [{
        name: "cluster",
        in: "query",
        description: "Cluster of lines without a `cluster` tag.",
        schema: { type: "string" },
      }],
      requestBody: {
        required: true,
        content: {
          "text/plain": {
            schema: {
              type: "string",
              example: "cpu_load,cluster=fritz,hostname=f0101 value=3.2 1725827464",
            },
          },
        },
      },
      responses: { "200": { description: "Written (no body)." }, ...errors(400, 401, 413, 500) },
    },
  );

const freeMetrics = (operationId: string) =>
  op(
    "Metric store",
    operationId,
    "Free metric buffers",
    "Frees the buffers under each selector that only hold data older than `to`.",
    {
      parameters: [{
        name: "to",
        in: "query",
        required: true,
        description: "Unix seconds.",
        schema: { type: "integer", format: "int64" },
      }],
      requestBody: body("Selectors.", ref("MetricSelectors")),
      responses: {
        "200": plainText("How many buffers were freed.", "buffers freed: 12\n"),
        ...errors(400, 401, 500),
      },
    },
  );

const debugMetrics = (operationId: string) =>
  op(
    "Metric store",
    operationId,
    "Dump the metric store",
    "A JSON-like dump of the buffers below the selector (for debugging).",
    {
      parameters: [{
        name: "selector",
        in: "query",
        description: "Path separated by `:`, e.g. `fritz:f0101`; empty means everything.",
        schema: { type: "string" },
      }],
      responses: { "200": { description: "The dump." }, ...errors(400, 401) },
    },
  );

const PATHS: Record<string, Record<string, Operation>> = {
  "/api/jobs/start_job/": Object.fromEntries(["post", "put"].map((method) => [
    method,
    op(
      "Job add and modify",
      `startJob_${method}`,
      "Start a job",
      "Registers a running job. Checks: known cluster, subcluster (given or derived from the " +
        "first node), non-empty user and resources, `numNodes` = number of resources. A job " +
        "with the same job id and cluster that started less than a day earlier is a duplicate. " +
        "Not available when `main.api-subjects` (NATS) is configured.",
      {
        requestBody: body("The job.", ref("StartJobRequest")),
        responses: {
          "201": json("Started.", ref("DefaultApiResponse")),
          ...errors(400, 401, 413, 422, 500),
        },
      },
    ),
  ])),
  "/api/jobs/stop_job/": Object.fromEntries(["post", "put"].map((method) => [
    method,
    op(
      "Job add and modify",
      `stopJob_${method}`,
      "Stop a job",
      "Marks a running job as ended and queues it for archiving. Not available when " +
        "`main.api-subjects` (NATS) is configured.",
      {
        requestBody: body("Which job and how it ended.", ref("StopJobRequest")),
        responses: {
          "200": json("The stopped job.", ref("Job")),
          ...errors(400, 401, 404, 413, 422, 500),
        },
      },
    ),
  ])),
  "/api/jobs/": {
    get: listJobs("Job query", "getJobs", "Every job is visible to an `api` token."),
  },
  "/api/jobs/used_nodes": {
    get: op(
      "Job query",
      "getUsedNodes",
      "Nodes with running jobs",
      "The nodes of jobs running at `ts`, per cluster (used by external metric stores).",
      {
        parameters: [{
          name: "ts",
          in: "query",
          required: true,
          description: "Unix seconds.",
          schema: { type: "integer", format: "int64" },
        }],
        responses: {
          "200": json("The nodes.", ref("UsedNodesResponse")),
          ...errors(400, 401, 403, 500),
        },
      },
    ),
  },
  "/api/jobs/{id}": {
    get: getCompleteJob("Job query", "getCompleteJobById"),
    post: getJobWithMetrics("Job query", "getJobById"),
  },
  "/api/jobs/metrics/{id}": { get: jobMetrics("Job query", "getJobMetrics") },
  "/api/jobs/tag_job/{id}": {
    ...Object.fromEntries(["post", "patch"].map((method) => [
      method,
      op(
        "Job add and modify",
        `tagJob_${method}`,
        "Tag a job",
        "Attaches the tags (created when needed). The token's user must be allowed to write " +
          "each tag's scope.",
        {
          parameters: [DB_ID],
          requestBody: body("Tags to attach.", { type: "array", items: ref("ApiTag") }),
          responses: {
            "200": json("The job with its tags.", ref("Job")),
            ...errors(400, 401, 404, 413, 500),
          },
        },
      ),
    ])),
    delete: op(
      "Job add and modify",
      "removeTagJob",
      "Remove tags from a job",
      "Detaches the tags; only `global` and `admin` tags can be removed this way.",
      {
        parameters: [DB_ID],
        requestBody: body("Tags to detach.", { type: "array", items: ref("ApiTag") }),
        responses: {
          "200": json("The job with its remaining tags.", ref("Job")),
          ...errors(400, 401, 404, 413, 500),
        },
      },
    ),
  },
  "/api/tags/": {
    delete: op(
      "Job add and modify",
      "removeTags",
      "Delete tags",
      "Deletes `global` and `admin` tags and detaches them from every job.",
      {
        requestBody: body("Tags to delete.", { type: "array", items: ref("ApiTag") }),
        responses: {
          "200": plainText(
            "How many tags were deleted.",
            "Deleted Tags from DB: 1 successfull of 1 requested\n",
          ),
          ...errors(400, 401, 413, 500),
        },
      },
    ),
  },
  "/api/jobs/edit_meta/{id}": {
    patch: op(
      "Job add and modify",
      "editMeta",
      "Edit job metadata",
      "Sets one metadata key of the job (also in the archive once the job has ended).",
      {
        parameters: [DB_ID],
        requestBody: body("Key and value.", ref("EditMetaRequest")),
        responses: {
          "200": json("The job.", ref("Job")),
          ...errors(400, 401, 404, 413, 500),
        },
      },
    ),
  },
  "/api/jobs/edit_meta/": {
    patch: op(
      "Job add and modify",
      "editMetaByRequest",
      "Edit metadata of a job selected by job id",
      "Like `/api/jobs/edit_meta/{id}`, with the job given by job id, cluster and start time.",
      {
        requestBody: body("Job and change.", ref("EditMetaByRequest")),
        responses: {
          "200": json("The job.", ref("Job")),
          ...errors(400, 401, 413, 422, 500),
        },
      },
    ),
  },
  "/api/jobs/delete_job/": {
    delete: op(
      "Job remove",
      "deleteJobByRequest",
      "Delete a job selected by job id",
      "Deletes the job's database row (the archive is not touched).",
      {
        requestBody: body("The job.", ref("DeleteJobRequest")),
        responses: {
          "200": json("Deleted.", ref("DefaultApiResponse")),
          ...errors(400, 401, 413, 422),
        },
      },
    ),
  },
  "/api/jobs/delete_job/{id}": {
    delete: op(
      "Job remove",
      "deleteJobById",
      "Delete a job",
      "Deletes the job's database row (the archive is not touched).",
      {
        parameters: [DB_ID],
        responses: {
          "200": json("Deleted.", ref("DefaultApiResponse")),
          ...errors(400, 401, 422),
        },
      },
    ),
  },
  "/api/jobs/delete_job_before/{ts}": {
    delete: op(
      "Job remove",
      "deleteJobBefore",
      "Delete old jobs",
      "Deletes the database rows of jobs started before `ts`.",
      {
        parameters: [
          {
            name: "ts",
            in: "path",
            required: true,
            description: "Unix seconds.",
            schema: { type: "integer", format: "int64" },
          },
          {
            name: "omit-tagged",
            in: "query",
            description:
              "`none`: delete all; `all`: keep tagged jobs; `user`: keep jobs with tags other " +
              "than `app` and `jobClass`.",
            schema: { type: "string", enum: ["none", "all", "user"], default: "none" },
          },
        ],
        responses: {
          "200": json("How many jobs were deleted.", ref("DefaultApiResponse")),
          ...errors(400, 401, 422),
        },
      },
    ),
  },
  "/api/users/": {
    get: op(
      "User",
      "getUsers",
      "List users",
      "All accounts; needs a token with `admin` and `api`.",
      {
        parameters: [{
          name: "not-just-user",
          in: "query",
          description: "`true` leaves out accounts whose only role is `user` or that have none.",
          schema: { type: "boolean" },
        }],
        responses: {
          "200": json("The users.", { type: "array", items: ref("ApiUser") }),
          ...errors(401, 403, 500),
        },
      },
    ),
  },
  "/api/user/{id}": {
    post: op(
      "User",
      "updateUser",
      "Change a user's roles or projects",
      "Adds or removes one role or managed project; needs a token with `admin` and `api`. " +
        "Roles must be valid and not duplicated; projects are only for managers; `manager` " +
        "cannot be removed while projects are assigned.",
      {
        parameters: [{
          name: "id",
          in: "path",
          required: true,
          description: "Username.",
          schema: { type: "string" },
        }],
        requestBody: body("The change.", ref("UpdateUserRequest")),
        responses: {
          "200": json("Changed.", ref("DefaultApiResponse")),
          ...errors(400, 401, 403, 404, 413, 422),
        },
      },
    ),
  },
  "/api/clusters/": {
    get: op(
      "Cluster",
      "getClusters",
      "List cluster configurations",
      "The cluster configurations of the job archive, with per-subcluster metric data.",
      {
        parameters: [{
          name: "cluster",
          in: "query",
          description: "Only this cluster.",
          schema: { type: "string" },
        }],
        responses: {
          "200": json("The clusters.", ref("GetClustersResponse")),
          ...errors(400, 401, 403),
        },
      },
    ),
  },
  "/api/nodestate/": {
    post: updateNodeStates("updateNodeStates_post", ""),
    put: updateNodeStates("updateNodeStates_put", ""),
  },
  "/api/healthcheck": {
    post: updateNodeStates(
      "healthcheck",
      "Same as `/api/nodestate/`, behind the metric-store token rules (no IP allow-list).",
    ),
  },
  "/api/healthcheck/": {
    post: updateNodeStates("healthcheck_slash", "Same as `/api/healthcheck`."),
  },
  "/api/machine_state/{cluster}/{host}": {
    get: op(
      "Machine state",
      "getMachineState",
      "Get the machine state of a node",
      "The node's stored machine-state document. Only available when " +
        "`main.machine-state-dir` is set.",
      {
        parameters: MACHINE_STATE_PARAMETERS,
        responses: {
          "200": json("The document as stored.", { type: "object" }),
          "304": { description: "Not modified since `If-Modified-Since`." },
          ...errors(400, 401, 404, 500),
        },
      },
    ),
    put: putMachineState("putMachineState_put"),
    post: putMachineState("putMachineState_post"),
  },
  "/api/write": { post: writeMetrics("writeMetrics") },
  "/api/write/": { post: writeMetrics("writeMetrics_slash") },
  "/api/free": { post: freeMetrics("freeMetrics") },
  "/api/free/": { post: freeMetrics("freeMetrics_slash") },
  "/api/debug": { get: debugMetrics("debugMetrics") },
  "/api/debug/": { get: debugMetrics("debugMetrics_slash") },
  "/userapi/jobs/": {
    get: listJobs(
      "User API",
      "userGetJobs",
      "Only jobs the token's user may see: own jobs, a manager's projects, all for support " +
        "and admin.",
    ),
  },
  "/userapi/jobs/{id}": {
    get: getCompleteJob("User API", "userGetCompleteJobById"),
    post: getJobWithMetrics("User API", "userGetJobById"),
  },
  "/userapi/jobs/metrics/{id}": { get: jobMetrics("User API", "userGetJobMetrics") },
};

/** The OpenAPI document. */
export const OPENAPI_DOCUMENT: Record<string, unknown> = {
  openapi: "3.0.3",
  info: {
    title: "ClusterCockpit REST API",
    version: VERSION,
    description:
      "The REST API of cc-backend for Deno, compatible with ClusterCockpit cc-backend 1.5. " +
      "Every route needs a JWT (Ed25519) in `X-Auth-Token` or `Authorization: Bearer`. " +
      "`/api/...` routes accept tokens whose roles are exactly `api`, or include both `admin` " +
      "and `api`, from allowed client addresses; the metric-store routes (`write`, `free`, " +
      "`debug`, `healthcheck`) accept `api` alone or with `user`, `manager` or `admin`; " +
      "`/userapi/...` accepts `api` alone or with any of `user`, `manager`, `support`, `admin`. " +
      "Request bodies are decoded strictly: an unknown key is a 400.",
  },
  servers: [{ url: "/" }],
  security: [{ ApiKeyAuth: [] }, { BearerAuth: [] }],
  tags: [
    { name: "Job query", description: "Reading jobs and their metric data." },
    { name: "Job add and modify", description: "Starting, stopping, tagging and editing jobs." },
    { name: "Job remove", description: "Deleting job rows from the database." },
    { name: "User", description: "User management (admins)." },
    { name: "Cluster", description: "Cluster configurations." },
    { name: "Nodes", description: "Node states from the resource manager." },
    { name: "Machine state", description: "Per-node machine-state documents." },
    { name: "Metric store", description: "The built-in metric store." },
    { name: "User API", description: "Job queries restricted to what the token's user may see." },
  ],
  paths: PATHS,
  components: {
    securitySchemes: {
      ApiKeyAuth: { type: "apiKey", in: "header", name: "X-Auth-Token" },
      BearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
    },
    responses: Object.fromEntries(
      Object.entries(ERROR_RESPONSES).map(([code, [name, description]]) => [
        name,
        json(description, ref(code === "401" ? "AuthErrorResponse" : "ErrorResponse")),
      ]),
    ),
    schemas: SCHEMAS,
  },
};
