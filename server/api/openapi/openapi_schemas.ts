/**
 * The `components.schemas` of the REST API's OpenAPI document: the JSON
 * shapes the API reads and writes (jobs, metric data, clusters, users, node
 * states, error bodies).
 *
 * @module
 */

/** A JSON-schema object of the document. */
export type SchemaObject = Record<string, unknown>;

/** A `$ref` to a schema of this document. */
export function ref(name: string): SchemaObject {
  return { $ref: `#/components/schemas/${name}` };
}

const integer = (description: string, extra: SchemaObject = {}): SchemaObject => ({
  type: "integer",
  format: "int64",
  description,
  ...extra,
});
const string = (description: string, extra: SchemaObject = {}): SchemaObject => ({
  type: "string",
  description,
  ...extra,
});
const stringList = (description: string): SchemaObject => ({
  type: "array",
  items: { type: "string" },
  description,
});
const numberMap = (description: string): SchemaObject => ({
  type: "object",
  additionalProperties: { type: "number" },
  nullable: true,
  description,
});

/** Every schema, by name. */
export const SCHEMAS: Record<string, SchemaObject> = {
  ErrorResponse: {
    type: "object",
    description: "The body of a failed request (keys in this order, followed by a newline).",
    required: ["status", "error"],
    properties: {
      status: string("The HTTP status text, e.g. `Bad Request`.", { example: "Bad Request" }),
      error: string("What went wrong, naming the offending value.", {
        example: 'parsing request body failed: json: unknown field "foo"',
      }),
    },
  },
  AuthErrorResponse: {
    type: "object",
    description: "The body of a request refused by the authentication guard.",
    required: ["error", "status"],
    properties: {
      error: string("Why the token or client was refused.", {
        example: "no user for secured check",
      }),
      status: string("Always `Unauthorized`.", { example: "Unauthorized" }),
    },
  },
  DefaultApiResponse: {
    type: "object",
    description: "A short success message.",
    required: ["msg"],
    properties: { msg: string("What was done.", { example: "success" }) },
  },
  JobState: {
    type: "string",
    description: "The state of a job.",
    enum: [
      "boot_fail",
      "cancelled",
      "completed",
      "deadline",
      "failed",
      "node_fail",
      "out_of_memory",
      "pending",
      "preempted",
      "running",
      "suspended",
      "timeout",
    ],
  },
  MetricScope: {
    type: "string",
    description: "The granularity of a metric series.",
    enum: ["node", "socket", "memoryDomain", "core", "hwthread", "accelerator"],
  },
  Unit: {
    type: "object",
    description: "A physical unit: base unit and optional SI prefix.",
    required: ["base"],
    properties: {
      base: string("Base unit such as `B/s`, `F/s`, `W` or `` (none).", { example: "B/s" }),
      prefix: string("SI prefix such as `K`, `M`, `G`, `T`.", { example: "G" }),
    },
  },
  Resource: {
    type: "object",
    description: "One node allocated to a job and the parts of it the job uses.",
    required: ["hostname"],
    properties: {
      hostname: string("The node's hostname.", { example: "f0101" }),
      hwthreads: {
        type: "array",
        items: { type: "integer" },
        description: "Hardware thread ids used on this node.",
      },
      accelerators: stringList("Accelerator ids used on this node (e.g. PCI addresses)."),
      configuration: string("Free-form node configuration, e.g. a Slurm feature."),
    },
  },
  Tag: {
    type: "object",
    description: "A tag attached to a job.",
    properties: {
      id: integer("Database id of the tag."),
      type: string("Tag type, e.g. `app` or `jobClass`.", { example: "Debug" }),
      name: string("Tag name.", { example: "Testjob" }),
      scope: string("`global`, `admin` or a username (private tag).", { example: "global" }),
    },
  },
  ApiTag: {
    type: "object",
    description: "A tag as sent by API clients (no id).",
    additionalProperties: false,
    properties: {
      type: string("Tag type.", { example: "Debug" }),
      name: string("Tag name.", { example: "Testjob" }),
      scope: string("`global` (default), `admin` or the caller's username.", {
        example: "global",
      }),
    },
  },
  JobStatistics: {
    type: "object",
    description: "Average, minimum and maximum of one metric over a job.",
    properties: {
      unit: ref("Unit"),
      avg: { type: "number" },
      min: { type: "number" },
      max: { type: "number" },
    },
  },
  Job: {
    type: "object",
    description:
      "A batch job. The same keys are used when starting a job (`start_job`) and in every answer.",
    properties: {
      id: integer("Database id (assigned by the server)."),
      jobId: integer("The resource manager's job id.", { example: 123000 }),
      user: string("Owner of the job.", { example: "abcd100h" }),
      project: string("Project (account) the job is charged to.", { example: "abcd200" }),
      cluster: string("Cluster name; must be a cluster of the job archive.", {
        example: "fritz",
      }),
      subCluster: string("Subcluster; derived from the first node when not given.", {
        example: "main",
      }),
      partition: string("Scheduler partition.", { example: "singlenode" }),
      arrayJobId: integer("Id of the job array the job belongs to."),
      numNodes: integer("Number of nodes; must equal the number of resources.", {
        minimum: 1,
        example: 1,
      }),
      numHwthreads: integer("Number of hardware threads.", { minimum: 0 }),
      numAcc: integer("Number of accelerators.", { minimum: 0 }),
      shared: string("How the nodes are shared with other jobs.", {
        enum: ["none", "single_user", "multi_user"],
        default: "none",
      }),
      monitoringStatus: integer(
        "0 monitoring disabled, 1 running or archiving, 2 archiving failed, 3 archived.",
        { enum: [0, 1, 2, 3], default: 1 },
      ),
      smt: integer("Simultaneous multithreading level in use."),
      jobState: ref("JobState"),
      submitTime: integer("Submission time (unix seconds); not stored."),
      startTime: integer("Start time (unix seconds).", { example: 1649723812 }),
      duration: integer("Run time in seconds (of running jobs: so far).", { minimum: 0 }),
      walltime: integer("Requested run time in seconds."),
      requestedMemory: integer("Requested memory; not stored."),
      resources: { type: "array", items: ref("Resource"), description: "The allocated nodes." },
      metaData: {
        type: "object",
        additionalProperties: { type: "string" },
        nullable: true,
        description: "Free-form metadata such as `jobName` or `jobScript`.",
      },
      tags: { type: "array", items: ref("Tag"), description: "Tags the caller may read." },
      statistics: {
        type: "object",
        additionalProperties: ref("JobStatistics"),
        nullable: true,
        description: "Per-metric statistics of an archived job.",
      },
      footprint: numberMap("Footprint values, keyed `<metric>_<avg|min|max>`."),
      energyFootprint: numberMap("Energy per metric in kWh."),
      energy: { type: "number", description: "Total energy in kWh." },
      concurrentJobs: {
        type: "object",
        description: "Jobs that shared nodes with this one (always empty over REST).",
        properties: {
          items: {
            type: "array",
            nullable: true,
            items: {
              type: "object",
              properties: { id: integer("Database id."), jobId: integer("Job id.") },
            },
          },
          count: { type: "integer" },
        },
      },
    },
  },
  StartJobRequest: {
    description:
      "A job to start. `jobState` is ignored (always `running`); `user`, `cluster` and at " +
      "least one resource are required, and `numNodes` must match the resources.",
    allOf: [ref("Job"), { type: "object", required: ["user", "cluster", "numNodes", "resources"] }],
  },
  StopJobRequest: {
    type: "object",
    description:
      "Which job to stop and how it ended. Without `cluster`/`startTime` the newest job " +
      "with `jobId` is stopped.",
    required: ["jobId", "stopTime"],
    additionalProperties: false,
    properties: {
      jobId: integer("The resource manager's job id.", { example: 123000 }),
      cluster: string("Narrows the lookup to this cluster.", { example: "fritz" }),
      startTime: integer("Narrows the lookup to this start time (unix seconds)."),
      jobState: {
        allOf: [ref("JobState")],
        description: "Final state; empty or absent means `completed`.",
      },
      stopTime: integer("End time (unix seconds); not before the start time.", {
        example: 1649763839,
      }),
    },
  },
  DeleteJobRequest: {
    type: "object",
    description: "Selects one job by job id, optionally cluster and start time.",
    required: ["jobId"],
    additionalProperties: false,
    properties: {
      jobId: integer("The resource manager's job id.", { example: 123000 }),
      cluster: string("Cluster of the job.", { example: "fritz" }),
      startTime: integer("Start time of the job (unix seconds)."),
    },
  },
  EditMetaRequest: {
    type: "object",
    description: "One metadata key to set or overwrite.",
    additionalProperties: false,
    properties: {
      key: string("Metadata key.", { example: "jobScript" }),
      value: string("New value.", { example: "#!/bin/bash ..." }),
    },
  },
  EditMetaByRequest: {
    type: "object",
    description: "A metadata change for the job selected by job id (and cluster, start time).",
    required: ["jobId", "payload"],
    additionalProperties: false,
    properties: {
      jobId: integer("The resource manager's job id."),
      cluster: string("Cluster of the job."),
      startTime: integer("Start time of the job (unix seconds)."),
      payload: ref("EditMetaRequest"),
    },
  },
  GetJobsResponse: {
    type: "object",
    description: "One page of jobs, newest start first.",
    properties: {
      jobs: { type: "array", items: ref("Job") },
      items: integer("The page size requested (not the number of jobs returned)."),
      page: integer("The page number requested."),
    },
  },
  SeriesStatistics: {
    type: "object",
    description: "Minimum, average and maximum of one series.",
    properties: { min: { type: "number" }, avg: { type: "number" }, max: { type: "number" } },
  },
  Series: {
    type: "object",
    description: "The time series of one node (or one core, socket, ... of it).",
    properties: {
      hostname: string("Node of the series."),
      id: string("Id of the core, socket, accelerator, ... (absent at node scope)."),
      statistics: ref("SeriesStatistics"),
      data: {
        type: "array",
        items: { type: "number", nullable: true },
        description: "One value per timestep (two decimals); `null` marks a missing value.",
      },
    },
  },
  StatisticsSeries: {
    type: "object",
    description: "Per-timestep statistics across all series of a metric.",
    properties: {
      mean: { type: "array", items: { type: "number", nullable: true } },
      median: { type: "array", items: { type: "number", nullable: true } },
      min: { type: "array", items: { type: "number", nullable: true } },
      max: { type: "array", items: { type: "number", nullable: true } },
      percentiles: {
        type: "object",
        additionalProperties: { type: "array", items: { type: "number", nullable: true } },
        description: "Series per percentile (keys such as `10`, `50`, `90`).",
      },
    },
  },
  JobMetric: {
    type: "object",
    description: "The data of one metric at one scope.",
    properties: {
      unit: ref("Unit"),
      timestep: integer("Seconds between two values."),
      series: { type: "array", items: ref("Series") },
      statisticsSeries: ref("StatisticsSeries"),
    },
  },
  JobData: {
    type: "object",
    description: "Metric name → scope → data.",
    additionalProperties: { type: "object", additionalProperties: ref("JobMetric") },
  },
  JobMetricWithName: {
    type: "object",
    description: "The data of one metric at one scope, with its name.",
    properties: {
      name: string("Metric name.", { example: "flops_any" }),
      scope: ref("MetricScope"),
      metric: ref("JobMetric"),
    },
  },
  GetCompleteJobResponse: {
    type: "object",
    description: "A job and, when asked for, all its metric data. The keys are capitalised.",
    properties: {
      Meta: ref("Job"),
      Data: { allOf: [ref("JobData")], nullable: true },
    },
  },
  GetJobResponse: {
    type: "object",
    description: "A job and the requested metrics. The keys are capitalised.",
    properties: {
      Meta: ref("Job"),
      Data: { type: "array", items: ref("JobMetricWithName") },
    },
  },
  JobMetricsResponse: {
    type: "object",
    description: "Metric data in a GraphQL-like envelope: either `data` or `error` is null.",
    properties: {
      data: {
        type: "object",
        nullable: true,
        properties: { jobMetrics: { type: "array", items: ref("JobMetricWithName") } },
      },
      error: {
        type: "object",
        nullable: true,
        properties: { message: string("Why the data could not be loaded.") },
      },
    },
  },
  UsedNodesResponse: {
    type: "object",
    description: "Nodes running jobs, per cluster (sorted, unique).",
    properties: {
      usedNodes: { type: "object", additionalProperties: stringList("Hostnames.") },
    },
  },
  ApiUser: {
    type: "object",
    description: "A user account (no password).",
    properties: {
      username: string("Login name."),
      name: string("Full name."),
      email: string("E-mail address."),
      roles: stringList("Roles: `api`, `user`, `manager`, `support`, `admin`."),
      projects: stringList("Projects a manager manages."),
      authType: integer("Always 0 here."),
      authSource: integer("0 local, 1 LDAP, 2 token, 3 OIDC."),
    },
  },
  UpdateUserRequest: {
    type: "object",
    description:
      "One change to a user. Only the first non-empty field, in the order listed, is applied.",
    additionalProperties: false,
    properties: {
      "add-role": string("Role to add.", { example: "manager" }),
      "remove-role": string("Role to remove (`manager` only when no projects are left).", {
        example: "support",
      }),
      "add-project": string("Project to add (managers only).", { example: "abcd100" }),
      "remove-project": string("Project to remove.", { example: "abcd100" }),
    },
  },
  MetricValue: {
    type: "object",
    description: "A number with a unit.",
    properties: { unit: ref("Unit"), value: { type: "number" } },
  },
  Accelerator: {
    type: "object",
    description: "An accelerator of a node.",
    properties: {
      id: string("Accelerator id, e.g. a PCI address."),
      type: string("Kind, e.g. `Nvidia GPU`."),
      model: string("Model name."),
    },
  },
  Topology: {
    type: "object",
    description: "Hardware-thread layout of a node: each list groups hardware thread ids.",
    properties: {
      node: { type: "array", items: { type: "integer" }, nullable: true },
      socket: {
        type: "array",
        items: { type: "array", items: { type: "integer" } },
        nullable: true,
      },
      memoryDomain: {
        type: "array",
        items: { type: "array", items: { type: "integer" } },
        nullable: true,
      },
      die: { type: "array", items: { type: "array", items: { type: "integer" } } },
      core: {
        type: "array",
        items: { type: "array", items: { type: "integer" } },
        nullable: true,
      },
      accelerators: { type: "array", items: ref("Accelerator") },
    },
  },
  SubClusterConfig: {
    type: "object",
    description: "A subcluster's override of a metric's thresholds.",
    properties: {
      name: string("Subcluster name."),
      unit: ref("Unit"),
      peak: { type: "number" },
      normal: { type: "number" },
      caution: { type: "number" },
      alert: { type: "number" },
      footprint: string("Statistic used for the footprint.", { enum: ["avg", "min", "max"] }),
      energy: string("Energy kind: `power`, `energy` or empty."),
      lowerIsBetter: { type: "boolean" },
      restrict: { type: "boolean" },
      remove: { type: "boolean", description: "The metric does not exist on this subcluster." },
    },
  },
  MetricConfig: {
    type: "object",
    description: "A metric of a cluster.",
    properties: {
      name: string("Metric name.", { example: "flops_any" }),
      unit: ref("Unit"),
      peak: { type: "number" },
      normal: { type: "number" },
      caution: { type: "number" },
      alert: { type: "number" },
      energy: string("Energy kind: `power`, `energy` or empty."),
      scope: ref("MetricScope"),
      aggregation: string("How values combine across units.", { enum: ["sum", "avg"] }),
      footprint: string("Statistic used for the footprint.", { enum: ["avg", "min", "max"] }),
      subClusters: { type: "array", items: ref("SubClusterConfig") },
      timestep: integer("Seconds between two measurements."),
      restrict: { type: "boolean", description: "Hidden from plain users." },
      lowerIsBetter: { type: "boolean" },
    },
  },
  SubCluster: {
    type: "object",
    description: "A homogeneous part of a cluster.",
    properties: {
      name: string("Subcluster name.", { example: "main" }),
      nodes: string("Node-list expression, e.g. `f[0101-0188]`.", { example: "f[0101-0188]" }),
      processorType: string("CPU model."),
      topology: ref("Topology"),
      flopRateScalar: ref("MetricValue"),
      flopRateSimd: ref("MetricValue"),
      memoryBandwidth: ref("MetricValue"),
      metricConfig: {
        type: "array",
        items: ref("MetricConfig"),
        description: "The cluster's metrics as they apply here (overrides applied).",
      },
      footprint: stringList("Metrics of the job footprint."),
      energyFootprint: stringList("Metrics of the energy footprint."),
      socketsPerNode: { type: "integer" },
      coresPerSocket: { type: "integer" },
      threadsPerCore: { type: "integer" },
    },
  },
  Cluster: {
    type: "object",
    description: "A cluster configuration (cluster.json of the job archive).",
    properties: {
      name: string("Cluster name.", { example: "fritz" }),
      metricConfig: { type: "array", items: ref("MetricConfig") },
      subClusters: { type: "array", items: ref("SubCluster") },
    },
  },
  GetClustersResponse: {
    type: "object",
    description: "The selected cluster configurations.",
    properties: { clusters: { type: "array", items: ref("Cluster") } },
  },
  NodeReport: {
    type: "object",
    description: "What the resource manager reports about one node.",
    additionalProperties: false,
    properties: {
      hostname: string("The node.", { example: "f0101" }),
      states: {
        type: "array",
        items: { type: "string" },
        description:
          "State words (case-insensitive). The stored state is the first that applies of " +
          "allocated, reserved, idle+down (down), idle, down, mixed, else unknown.",
        example: ["mixed", "drain"],
      },
      cpusAllocated: integer("Allocated CPUs.", { example: 72 }),
      memoryAllocated: integer("Allocated memory in MB.", { example: 128000 }),
      gpusAllocated: integer("Allocated GPUs.", { example: 0 }),
      jobsRunning: integer("Jobs running on the node.", { example: 1 }),
    },
  },
  NodeStateRequest: {
    type: "object",
    description: "The states of some nodes of one cluster.",
    additionalProperties: false,
    properties: {
      cluster: string("Cluster of the nodes.", { example: "fritz" }),
      nodes: { type: "array", items: ref("NodeReport") },
    },
  },
  NodeStateResponse: {
    type: "object",
    description:
      "How many states were stored, and which nodes were not (no subcluster lists them).",
    properties: {
      msg: string("Summary.", {
        example: 'stored the states of 2 of 2 node(s) of cluster "fritz"',
      }),
      stored: { type: "integer" },
      skipped: stringList("Hostnames whose state was not stored."),
    },
  },
  MetricSelectors: {
    type: "array",
    description: "Selectors of metric-store subtrees, each a path such as `[cluster, host]`.",
    items: { type: "array", items: { type: "string" } },
    example: [["fritz", "f0101"], ["alex"]],
  },
};
