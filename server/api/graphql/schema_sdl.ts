/**
 * The GraphQL schema of the job-monitoring API, as SDL text in a module so
 * that `deno compile` embeds it. It answers every type, field, argument and
 * enum value of cc-backend 1.5's published schema (checked by
 * `tests/graphql/schema_compat_test.ts`); descriptions are ours.
 *
 * @module
 */

/** The schema as SDL. */
export const SCHEMA_SDL = /* GraphQL */ `
"""A point in time: RFC 3339 text on input and output."""
scalar Time
"""Any JSON value."""
scalar Any
"""A float that may be missing: null stands for NaN (no sample). Rounded to two decimals."""
scalar NullableFloat
"""One of node, socket, memoryDomain, core, hwthread, accelerator."""
scalar MetricScope
"""A job state such as running or completed."""
scalar JobState
"""The scheduler's view of a node: allocated, reserved, idle, mixed, down or unknown."""
scalar SchedulerState
"""The metric health of a node: full, partial or failed."""
scalar MonitoringState

schema {
  query: Query
  mutation: Mutation
}

# ---------------------------------------------------------------- root fields

type Query {
  "Every cluster of the job archive."
  clusters: [Cluster!]!
  "The tags the viewer may read."
  tags: [Tag!]!
  "One entry per metric name over all clusters, with where it is available."
  globalMetrics: [GlobalMetricListItem!]!
  "Name and e-mail of a user (the viewer, or anyone for managers and staff)."
  user(username: String!): User
  "Per subcluster: hosts busy with running jobs."
  allocatedNodes(cluster: String!): [Count!]!

  "A node by database id, with its latest state."
  node(id: ID!): Node
  "Nodes with their latest state."
  nodes(filter: [NodeFilter!], order: OrderByInput): NodeStateResultList!
  "Nodes with their latest state, metadata and health details."
  nodesWithMeta(filter: [NodeFilter!], order: OrderByInput): NodeStateResultList!
  "How many nodes are in each scheduler state, then in each health state."
  nodeStates(filter: [NodeFilter!]): [NodeStates!]!
  "State counts per time stamp; type is node (scheduler states) or health."
  nodeStatesTimed(filter: [NodeFilter!], type: String!): [NodeStatesTimed!]!

  "One job by database id."
  job(id: ID!): Job
  "Time series of one job."
  jobMetrics(
    id: ID!
    metrics: [String!]
    scopes: [MetricScope!]
    "Seconds per point; 0 is the native timestep."
    resolution: Int
  ): [JobMetricWithName!]!
  "Job-level min/avg/max per metric."
  jobStats(id: ID!, metrics: [String!]): [NamedStats!]!
  "Min/avg/max per metric, scope, host and scope id."
  scopedJobStats(id: ID!, metrics: [String!], scopes: [MetricScope!]): [NamedStatsWithScope!]!

  "A filtered, ordered page of jobs."
  jobs(filter: [JobFilter!], page: PageRequest, order: OrderByInput): JobResultList!
  "Aggregates over matching jobs, overall or per group, with histograms."
  jobsStatistics(
    filter: [JobFilter!]
    "Metrics for histMetrics."
    metrics: [String!]
    page: PageRequest
    sortBy: SortByAggregate
    groupBy: Aggregate
    "Duration bin size: 1m, 10m, 1h (default), 6h or 12h."
    numDurationBins: String
    "Number of bins of each metric histogram (default 10)."
    numMetricBins: Int
  ): [JobsStatistics!]!
  "Per matching job: its key figures and min/avg/max per metric."
  jobsMetricStats(filter: [JobFilter!], metrics: [String!]): [JobStats!]!
  "Per matching job (at most 500): the average of each metric and time weights."
  jobsFootprints(filter: [JobFilter!], metrics: [String!]!): Footprints
  "Counts of (arithmetic intensity, flop rate) samples of matching jobs on a log-log grid."
  rooflineHeatmap(
    filter: [JobFilter!]!
    rows: Int!
    cols: Int!
    minX: Float!
    minY: Float!
    maxX: Float!
    maxY: Float!
  ): [[Float!]!]!

  "Node-level series per host of a cluster for a time window."
  nodeMetrics(
    cluster: String!
    nodes: [String!]
    scopes: [MetricScope!]
    metrics: [String!]
    from: Time!
    to: Time!
  ): [NodeMetrics!]!
  "A page of hosts with their series (systems view)."
  nodeMetricsList(
    cluster: String!
    "Empty for all subclusters."
    subCluster: String!
    "all, notindb, or a scheduler state."
    stateFilter: String!
    "Substring of the hostname; empty for all."
    nodeFilter: String!
    scopes: [MetricScope!]
    metrics: [String!]
    from: Time!
    to: Time!
    page: PageRequest
    resolution: Int
  ): NodesResultList!
  "Per metric: the sum over all hosts of a cluster per time step."
  clusterMetrics(cluster: String!, metrics: [String!], from: Time!, to: Time!): ClusterMetrics!
}

type Mutation {
  "Creates a tag; scope is global, admin or the viewer's username."
  createTag(type: String!, name: String!, scope: String!): Tag!
  "Deletes a tag everywhere; returns its id."
  deleteTag(id: ID!): ID!
  "Attaches tags to a job; returns the job's readable tags."
  addTagsToJob(job: ID!, tagIds: [ID!]!): [Tag!]!
  "Detaches tags from a job; returns the job's readable tags."
  removeTagsFromJob(job: ID!, tagIds: [ID!]!): [Tag!]!
  "Deletes tags everywhere; returns the ids deleted."
  removeTagFromList(tagIds: [ID!]!): [Int!]!
  "Stores one UI setting (JSON text) of the viewer."
  updateConfiguration(name: String!, value: String!): String
}

# ---------------------------------------------------------------- inputs

"Conditions on jobs; set fields are AND-ed, and so are the filters of a list."
input JobFilter {
  tags: [ID!]
  dbId: [ID!]
  jobId: StringInput
  arrayJobId: Int
  user: StringInput
  project: StringInput
  jobName: StringInput
  cluster: StringInput
  subCluster: StringInput
  partition: StringInput
  duration: IntRange
  energy: FloatRange
  numNodes: IntRange
  numAccelerators: IntRange
  numHWThreads: IntRange
  startTime: TimeRange
  state: [JobState!]
  "Ranges on footprint values such as flops_any_avg."
  metricStats: [MetricStatItem!]
  shared: String
  "interactive or batch."
  schedule: String
  "A hostname among the job's resources."
  node: StringInput
}

"Conditions on nodes, AND-ed."
input NodeFilter {
  hostname: StringInput
  cluster: StringInput
  subCluster: StringInput
  schedulerState: SchedulerState
  healthState: MonitoringState
  "Unix seconds; history after it (nodeStatesTimed)."
  timeStart: Int
}

"A text condition; the first operator set applies (eq, neq, startsWith, endsWith, contains, in)."
input StringInput {
  eq: String
  neq: String
  contains: String
  startsWith: String
  endsWith: String
  in: [String!]
}

"An inclusive range; 0 at either end leaves it open."
input IntRange {
  from: Int!
  to: Int!
}

"An inclusive range; 0 at either end leaves it open."
input FloatRange {
  from: Float!
  to: Float!
}

"Absolute bounds, or a relative range: last6h, last24h, last7d, last30d."
input TimeRange {
  range: String
  from: Time
  to: Time
}

"A range on one footprint value."
input MetricStatItem {
  metricName: String!
  range: FloatRange!
}

"Sorting: type col sorts by a job field, type foot by a footprint value."
input OrderByInput {
  field: String!
  type: String!
  order: SortDirectionEnum! = ASC
}

enum SortDirectionEnum {
  DESC
  ASC
}

"A 1-based page; itemsPerPage -1 returns everything."
input PageRequest {
  itemsPerPage: Int!
  page: Int!
}

# ---------------------------------------------------------------- jobs

type Job {
  id: ID!
  jobId: Int!
  user: String!
  project: String!
  cluster: String!
  subCluster: String!
  startTime: Time!
  "Seconds; running jobs report the time since their start."
  duration: Int!
  walltime: Int!
  numNodes: Int!
  numHWThreads: Int!
  numAcc: Int!
  energy: Float!
  SMT: Int!
  shared: String!
  partition: String!
  arrayJobId: Int!
  "0 disabled, 1 running or archiving, 2 archiving failed, 3 archived."
  monitoringStatus: Int!
  state: JobState!
  tags: [Tag!]!
  resources: [Resource!]!
  "Jobs that shared a node with this one at the same time."
  concurrentJobs: JobLinkResultList
  footprint: [FootprintValue]
  energyFootprint: [EnergyFootprintValue]
  metaData: Any
  userData: User
}

type JobResultList {
  items: [Job!]!
  offset: Int
  limit: Int
  count: Int
  hasNextPage: Boolean
}

type JobLink {
  id: ID!
  jobId: Int!
}

type JobLinkResultList {
  "Query string of the job list showing these jobs."
  listQuery: String
  items: [JobLink!]!
  count: Int
}

type Resource {
  hostname: String!
  hwthreads: [Int!]
  accelerators: [String!]
  configuration: String
}

type FootprintValue {
  name: String!
  stat: String!
  value: Float!
}

type EnergyFootprintValue {
  hardware: String!
  metric: String!
  value: Float!
}

type Tag {
  id: ID!
  type: String!
  name: String!
  scope: String!
}

type User {
  username: String!
  name: String!
  email: String!
}

type Count {
  name: String!
  count: Int!
}

# ---------------------------------------------------------------- metric data

type JobMetricWithName {
  name: String!
  scope: MetricScope!
  metric: JobMetric!
}

type JobMetric {
  unit: Unit
  timestep: Int!
  series: [Series!]
  statisticsSeries: StatsSeries
}

type Series {
  hostname: String!
  "Socket, core, hwthread or accelerator id; null at node scope."
  id: String
  statistics: MetricStatistics
  data: [NullableFloat!]!
}

type StatsSeries {
  mean: [NullableFloat!]!
  median: [NullableFloat!]!
  min: [NullableFloat!]!
  max: [NullableFloat!]!
}

type MetricStatistics {
  avg: Float!
  min: Float!
  max: Float!
}

type NamedStats {
  name: String!
  data: MetricStatistics!
}

type NamedStatsWithScope {
  name: String!
  scope: MetricScope!
  stats: [ScopedStats!]!
}

type ScopedStats {
  hostname: String!
  id: String
  data: MetricStatistics!
}

type JobStats {
  id: Int!
  jobId: String!
  startTime: Int!
  duration: Int!
  cluster: String!
  subCluster: String!
  numNodes: Int!
  numHWThreads: Int
  numAccelerators: Int
  stats: [NamedStats!]!
}

type Footprints {
  timeWeights: TimeWeights!
  metrics: [MetricFootprints!]!
}

"Weights per job, in node-, accelerator- and core-minutes."
type TimeWeights {
  nodeHours: [NullableFloat!]!
  accHours: [NullableFloat!]!
  coreHours: [NullableFloat!]!
}

type MetricFootprints {
  metric: String!
  data: [NullableFloat!]!
}

# ---------------------------------------------------------------- statistics

enum Aggregate {
  USER
  PROJECT
  CLUSTER
  SUBCLUSTER
}

"Sorts groups descending by the named total."
enum SortByAggregate {
  TOTALWALLTIME
  TOTALJOBS
  TOTALUSERS
  TOTALNODES
  TOTALNODEHOURS
  TOTALCORES
  TOTALCOREHOURS
  TOTALACCS
  TOTALACCHOURS
}

type JobsStatistics {
  "The group value (user, project, cluster, subcluster); empty without grouping."
  id: ID!
  "The user's name when grouped by user."
  name: String!
  totalUsers: Int!
  totalJobs: Int!
  runningJobs: Int!
  shortJobs: Int!
  "Hours, truncated."
  totalWalltime: Int!
  totalNodes: Int!
  totalNodeHours: Int!
  totalCores: Int!
  totalCoreHours: Int!
  totalAccs: Int!
  totalAccHours: Int!
  "value: upper bin edge in seconds."
  histDuration: [HistoPoint!]!
  histNumNodes: [HistoPoint!]!
  histNumCores: [HistoPoint!]!
  histNumAccs: [HistoPoint!]!
  histMetrics: [MetricHistoPoints!]!
}

type HistoPoint {
  count: Int!
  value: Int!
}

type MetricHistoPoints {
  metric: String!
  unit: String!
  stat: String
  data: [MetricHistoPoint!]
}

type MetricHistoPoint {
  bin: Int
  count: Int!
  min: Int
  max: Int
}

type IntRangeOutput {
  from: Int!
  to: Int!
}

type TimeRangeOutput {
  range: String
  from: Time!
  to: Time!
}

# ---------------------------------------------------------------- clusters

type Cluster {
  name: String!
  "Scheduler partitions seen in jobs of the cluster."
  partitions: [String!]!
  subClusters: [SubCluster!]!
}

type SubCluster {
  name: String!
  "Host-list expression such as f[0101-0188]."
  nodes: String!
  numberOfNodes: Int!
  processorType: String!
  socketsPerNode: Int!
  coresPerSocket: Int!
  threadsPerCore: Int!
  flopRateScalar: MetricValue!
  flopRateSimd: MetricValue!
  memoryBandwidth: MetricValue!
  topology: Topology!
  "The metrics of this subcluster with its overrides applied."
  metricConfig: [MetricConfig!]!
  "Metrics with a footprint statistic."
  footprint: [String!]!
}

type MetricValue {
  name: String
  unit: Unit!
  value: Float!
}

type Unit {
  base: String!
  prefix: String
}

"Hardware-thread ids per node, socket, memory domain, die and core."
type Topology {
  node: [Int!]
  socket: [[Int!]!]
  memoryDomain: [[Int!]!]
  die: [[Int!]!]
  core: [[Int!]!]
  accelerators: [Accelerator!]
}

type Accelerator {
  id: String!
  type: String!
  model: String!
}

type MetricConfig {
  name: String!
  unit: Unit!
  scope: MetricScope!
  aggregation: String!
  timestep: Int!
  peak: Float!
  normal: Float
  caution: Float!
  alert: Float!
  lowerIsBetter: Boolean
  subClusters: [SubClusterConfig!]!
}

type SubClusterConfig {
  name: String!
  peak: Float
  normal: Float
  caution: Float
  alert: Float
  remove: Boolean
}

type GlobalMetricListItem {
  name: String!
  unit: Unit!
  scope: MetricScope!
  "The footprint statistic (avg, min, max), or empty."
  footprint: String
  availability: [ClusterSupport!]!
}

type ClusterSupport {
  cluster: String!
  subClusters: [String!]!
}

# ---------------------------------------------------------------- nodes

type Node {
  id: ID!
  hostname: String!
  cluster: String!
  subCluster: String!
  jobsRunning: Int!
  cpusAllocated: Int
  memoryAllocated: Int
  gpusAllocated: Int
  schedulerState: SchedulerState!
  healthState: MonitoringState!
  metaData: Any
  healthData: Any
}

type NodeStateResultList {
  items: [Node!]!
  count: Int
}

type NodeStates {
  state: String!
  count: Int!
}

type NodeStatesTimed {
  state: String!
  counts: [Int!]!
  "Unix seconds."
  times: [Int!]!
}

type NodeMetrics {
  host: String!
  nodeState: String!
  metricHealth: String!
  subCluster: String!
  metrics: [JobMetricWithName!]!
}

type NodesResultList {
  items: [NodeMetrics!]!
  offset: Int
  limit: Int
  count: Int
  totalNodes: Int
  hasNextPage: Boolean
}

type ClusterMetrics {
  nodeCount: Int!
  metrics: [ClusterMetricWithName!]!
}

type ClusterMetricWithName {
  name: String!
  unit: Unit
  timestep: Int!
  data: [NullableFloat!]!
}
`;
