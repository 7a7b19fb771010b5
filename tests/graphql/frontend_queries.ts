/**
 * The operations the cc-backend 1.5 web UI sends to `/query`, in the shape
 * it sends them (anonymous, aliases, `@include`, comments in selections),
 * as listed in the reference's frontend-graphql-usage.md. Shared by the
 * compatibility tests and the benchmark.
 *
 * @module
 */

/** Q-init: the query every view starts with. */
export const Q_INIT = `query {
  clusters {
    name
    partitions
    subClusters {
      name nodes numberOfNodes processorType socketsPerNode coresPerSocket threadsPerCore
      flopRateScalar { unit { base prefix } value }
      flopRateSimd { unit { base prefix } value }
      memoryBandwidth { unit { base prefix } value }
      topology { node socket memoryDomain core accelerators { id } }
      metricConfig { name unit { base prefix } scope aggregation timestep peak normal caution alert lowerIsBetter }
      footprint
    }
  }
  tags { id name type scope }
  globalMetrics { name scope footprint unit { base prefix } availability { cluster subClusters } }
}`;

/** Q-init plus the job view's extra root field (the id is interpolated as a literal). */
export function qJobView(id: string): string {
  return Q_INIT.replace(
    /}\s*$/,
    `
  job(id: "${id}") {
    id jobId user project cluster startTime duration numNodes numHWThreads numAcc energy SMT
    shared partition subCluster arrayJobId monitoringStatus state walltime
    tags { id type scope name }
    resources { hostname hwthreads accelerators }
    metaData
    userData { name email }
    concurrentJobs { items { id jobId } count listQuery }
    footprint { name stat value }
    energyFootprint { hardware metric value }
  }
}`,
  );
}

/** Q-job-scopes. */
export const Q_JOB_SCOPES =
  `query ($dbid: ID!, $selectedMetrics: [String!]!, $selectedScopes: [MetricScope!]!) {
  scopedJobStats(id: $dbid, metrics: $selectedMetrics, scopes: $selectedScopes) {
    name
    scope
    stats { hostname }
  }
}`;

/** Q-metric (alias singleUpdate). */
export const Q_METRIC =
  `query ($dbid: ID!, $selectedMetrics: [String!]!, $selectedScopes: [MetricScope!]!, $selectedResolution: Int) {
  singleUpdate: jobMetrics(id: $dbid, metrics: $selectedMetrics, scopes: $selectedScopes, resolution: $selectedResolution) {
    name
    scope
    metric {
      unit { prefix base }
      timestep
      statisticsSeries { min mean median max }
      series { hostname id data statistics { min avg max } }
    }
  }
}`;

/** Q-roofline. */
export const Q_ROOFLINE = `query ($dbid: ID!) {
  jobMetrics(id: $dbid, metrics: ["flops_any", "mem_bw"], scopes: ["node"], resolution: 0) {
    name
    scope
    metric { series { data } }
  }
}`;

/** Q-polar (with the commented line the UI has in its selection). */
export const Q_POLAR = `query ($dbid: ID!, $selectedMetrics: [String!]!) {
  jobStats(id: $dbid, metrics: $selectedMetrics) {
    name
    data {
      ## min
      avg
      max
    }
  }
}`;

/** Q-statstable. */
export const Q_STATSTABLE =
  `query ($dbid: ID!, $selectedMetrics: [String!]!, $selectedScopes: [MetricScope!]!) {
  scopedJobStats(id: $dbid, metrics: $selectedMetrics, scopes: $selectedScopes) {
    name
    scope
    stats { hostname id data { min avg max } }
  }
}`;

/** M-createTag. */
export const M_CREATE_TAG = `mutation ($type: String!, $name: String!, $scope: String!) {
  createTag(type: $type, name: $name, scope: $scope) { id type name scope }
}`;

/** M-addTags. */
export const M_ADD_TAGS = `mutation ($job: ID!, $tagIds: [ID!]!) {
  addTagsToJob(job: $job, tagIds: $tagIds) { id type name scope }
}`;

/** M-removeTags. */
export const M_REMOVE_TAGS = `mutation ($job: ID!, $tagIds: [ID!]!) {
  removeTagsFromJob(job: $job, tagIds: $tagIds) { id type name scope }
}`;

/** M-config. */
export const M_CONFIG = `mutation ($name: String!, $value: String!) {
  updateConfiguration(name: $name, value: $value)
}`;

/** M-removeTagList. */
export const M_REMOVE_TAG_LIST = `mutation ($tagIds: [ID!]!) {
  removeTagFromList(tagIds: $tagIds)
}`;

/** Q-joblist. */
export const Q_JOBLIST =
  `query ($filter: [JobFilter!]!, $sorting: OrderByInput!, $paging: PageRequest!) {
  jobs(filter: $filter, order: $sorting, page: $paging) {
    items {
      id jobId user project cluster subCluster startTime duration numNodes numHWThreads numAcc
      walltime resources { hostname } SMT shared partition arrayJobId monitoringStatus state
      tags { id type name scope }
      userData { name }
      metaData
      footprint { name stat value }
    }
    count
    hasNextPage
  }
}`;

/** Q-rowmetrics. */
export const Q_ROWMETRICS =
  `query ($id: ID!, $metrics: [String!]!, $scopes: [MetricScope!]!, $selectedResolution: Int) {
  jobMetrics(id: $id, metrics: $metrics, scopes: $scopes, resolution: $selectedResolution) {
    name
    scope
    metric {
      unit { prefix base }
      timestep
      statisticsSeries { min mean median max }
      series { hostname id data statistics { min avg max } }
    }
  }
}`;

/** Q-compare. */
export const Q_COMPARE = `query ($filter: [JobFilter!]!, $metrics: [String!]!) {
  jobsMetricStats(filter: $filter, metrics: $metrics) {
    id jobId startTime duration cluster subCluster numNodes numHWThreads numAccelerators
    stats { name data { min avg max } }
  }
}`;

/** Q-userstats. */
export const Q_USERSTATS =
  `query ($jobFilters: [JobFilter!]!, $selectedHistograms: [String!], $numDurationBins: String, $numMetricBins: Int) {
  jobsStatistics(filter: $jobFilters, metrics: $selectedHistograms, numDurationBins: $numDurationBins, numMetricBins: $numMetricBins) {
    totalJobs
    shortJobs
    totalWalltime
    totalCoreHours
    totalAccHours
    histDuration { count value }
    histNumNodes { count value }
    histMetrics { metric unit stat data { min max count bin } }
  }
}`;

/** Q-list, with the group interpolated as the UI does. */
export function qList(type: "USER" | "PROJECT"): string {
  return `query ($jobFilters: [JobFilter!]!, $fetchRunning: Boolean!) {
  rows: jobsStatistics(filter: $jobFilters, groupBy: ${type}) {
    id
    name
    totalJobs
    shortJobs
    totalCores @include(if: $fetchRunning)
    totalAccs @include(if: $fetchRunning)
    totalWalltime
    totalCoreHours
    totalAccHours
  }
}`;
}

/** Q-an-stats. */
export const Q_AN_STATS = `query ($jobFilters: [JobFilter!]!) {
  stats: jobsStatistics(filter: $jobFilters) {
    totalJobs shortJobs totalWalltime totalNodeHours totalCoreHours totalAccHours
    histDuration { count value }
    histNumCores { count value }
  }
}`;

/** Q-an-top. */
export const Q_AN_TOP =
  `query ($jobFilters: [JobFilter!]!, $paging: PageRequest!, $sortBy: SortByAggregate!, $groupBy: Aggregate!) {
  topList: jobsStatistics(filter: $jobFilters, page: $paging, sortBy: $sortBy, groupBy: $groupBy) {
    id name totalWalltime totalNodeHours totalCoreHours totalAccHours
  }
}`;

/** Q-an-footprints. */
export const Q_AN_FOOTPRINTS = `query ($jobFilters: [JobFilter!]!, $metrics: [String!]!) {
  footprints: jobsFootprints(filter: $jobFilters, metrics: $metrics) {
    timeWeights { nodeHours accHours coreHours }
    metrics { metric data }
  }
}`;

/** Q-an-roofline. */
export const Q_AN_ROOFLINE = `query ($jobFilters: [JobFilter!]!, $maxY: Float!) {
  rooflineHeatmap(filter: $jobFilters, rows: 50, cols: 50, minX: 0.01, minY: 1.0, maxX: 1000.0, maxY: $maxY)
}`;

/** Q-overview. */
export const Q_OVERVIEW =
  `query ($cluster: String!, $metrics: [String!], $from: Time!, $to: Time!) {
  nodeMetrics(cluster: $cluster, metrics: $metrics, from: $from, to: $to) {
    host
    nodeState
    subCluster
    metrics {
      name
      scope
      metric { timestep unit { base prefix } series { statistics { min avg max } data } }
    }
  }
}`;

/** Q-nodelist. */
export const Q_NODELIST =
  `query ($cluster: String!, $subCluster: String!, $nodeFilter: String!, $stateFilter: String!, $metrics: [String!], $scopes: [MetricScope!]!, $from: Time!, $to: Time!, $paging: PageRequest!, $selectedResolution: Int) {
  nodeMetricsList(cluster: $cluster, subCluster: $subCluster, nodeFilter: $nodeFilter, stateFilter: $stateFilter, scopes: $scopes, metrics: $metrics, from: $from, to: $to, page: $paging, resolution: $selectedResolution) {
    items {
      host
      nodeState
      metricHealth
      subCluster
      metrics {
        name
        scope
        metric {
          timestep
          unit { base prefix }
          series { id hostname data statistics { min avg max } }
          statisticsSeries { min median max }
        }
      }
    }
    totalNodes
    hasNextPage
  }
}`;

/** Q-nodejobs. */
export const Q_NODEJOBS =
  `query ($filter: [JobFilter!]!, $sorting: OrderByInput!, $paging: PageRequest!) {
  jobs(filter: $filter, order: $sorting, page: $paging) {
    items { jobId user project shared resources { hostname accelerators } }
    count
  }
}`;

/** Q-node: node metrics and the node's state (single object for a list variable). */
export const Q_NODE =
  `query ($cluster: String!, $nodes: [String!], $from: Time!, $to: Time!, $nodeFilter: [NodeFilter!]!, $sorting: OrderByInput!) {
  nodeMetrics(cluster: $cluster, nodes: $nodes, from: $from, to: $to) {
    host
    subCluster
    metrics {
      name
      scope
      metric { timestep unit { base prefix } series { statistics { min avg max } data } }
    }
  }
  nodeStatus: nodes(filter: $nodeFilter, order: $sorting) {
    count
    items { schedulerState healthState }
  }
}`;

/** Q-node-jobcount. */
export const Q_NODE_JOBCOUNT =
  `query ($filter: [JobFilter!]!, $sorting: OrderByInput!, $paging: PageRequest!) {
  jobs(filter: $filter, order: $sorting, page: $paging) { count }
}`;

/** Q-di-states / Q-sd-states. */
export const Q_DI_STATES =
  `query ($filter: [NodeFilter!], $typeNode: String!, $typeHealth: String!) {
  nodeStates: nodeStatesTimed(filter: $filter, type: $typeNode) { state counts times }
  healthStates: nodeStatesTimed(filter: $filter, type: $typeHealth) { state counts times }
}`;

/** Q-di-status. */
export const Q_DI_STATUS =
  `query ($cluster: String!, $metrics: [String!], $from: Time!, $to: Time!, $clusterFrom: Time!, $jobFilter: [JobFilter!]!, $paging: PageRequest!, $sorting: OrderByInput!) {
  nodeMetrics(cluster: $cluster, metrics: $metrics, from: $from, to: $to) {
    host
    subCluster
    metrics { name metric { series { statistics { avg } } } }
  }
  jobsMetricStats(filter: $jobFilter, metrics: $metrics) {
    id jobId duration numNodes numAccelerators subCluster
    stats { name data { avg } }
  }
  jobs(filter: $jobFilter, order: $sorting, page: $paging) {
    items { jobId resources { hostname } }
    count
  }
  allocatedNodes(cluster: $cluster) { name count }
  jobsStatistics(filter: $jobFilter, page: $paging, groupBy: CLUSTER) {
    id totalJobs totalUsers totalCores totalAccs
  }
  clusterMetrics(cluster: $cluster, metrics: $metrics, from: $clusterFrom, to: $to) {
    nodeCount
    metrics { name unit { prefix base } timestep data }
  }
}`;

/** Q-di-topprojects. */
export const Q_DI_TOPPROJECTS = `query ($filter: [JobFilter!]!) {
  jobsStatistics(filter: $filter, sortBy: TOTALJOBS, groupBy: PROJECT) { id totalJobs }
}`;

/** Q-sd-status. */
export const Q_SD_STATUS =
  `query ($cluster: String!, $metrics: [String!], $from: Time!, $to: Time!, $jobFilter: [JobFilter!]!, $nodeFilter: [NodeFilter!]!, $paging: PageRequest!, $sorting: OrderByInput!) {
  nodeMetrics(cluster: $cluster, metrics: $metrics, from: $from, to: $to) {
    host
    subCluster
    metrics { name metric { series { statistics { avg } } } }
  }
  jobsMetricStats(filter: $jobFilter, metrics: $metrics) {
    id jobId duration numNodes numAccelerators subCluster
    stats { name data { avg } }
  }
  jobs(filter: $jobFilter, order: $sorting, page: $paging) {
    items { jobId resources { hostname } }
    count
  }
  allocatedNodes(cluster: $cluster) { name count }
  nodes(filter: $nodeFilter, order: $sorting) {
    count
    items { hostname cluster subCluster schedulerState }
  }
  jobsStatistics(filter: $jobFilter, page: $paging, groupBy: SUBCLUSTER) {
    id totalJobs totalUsers totalCores totalAccs
  }
}`;

/** Q-health. */
export const Q_HEALTH = `query ($nodeFilter: [NodeFilter!]!, $sorting: OrderByInput!) {
  nodes: nodesWithMeta(filter: $nodeFilter, order: $sorting) {
    count
    items { hostname cluster subCluster healthState healthData }
  }
  nodeStates(filter: $nodeFilter) { state count }
}`;

/** Q-usage-top. */
export const Q_USAGE_TOP = `query ($filter: [JobFilter!]!) {
  allUsers: jobsStatistics(filter: $filter, groupBy: USER) { id name totalJobs totalNodes totalAccs }
  allProjects: jobsStatistics(filter: $filter, groupBy: PROJECT) { id totalJobs totalNodes totalAccs }
}`;

/** Q-usage-hist. */
export const Q_USAGE_HIST =
  `query ($filter: [JobFilter!]!, $selectedHistograms: [String!], $numDurationBins: String) {
  jobsStatistics(filter: $filter, metrics: $selectedHistograms, numDurationBins: $numDurationBins) {
    histDuration { count value }
    histNumNodes { count value }
    histNumAccs { count value }
  }
}`;

/** Q-statistics. */
export const Q_STATISTICS = `query ($jobFilters: [JobFilter!]!, $selectedHistograms: [String!]) {
  jobsStatistics(filter: $jobFilters, metrics: $selectedHistograms) {
    histMetrics { metric unit data { min max count bin } }
  }
}`;

/** Q-pub-states. */
export const Q_PUB_STATES = `query ($filter: [NodeFilter!]) {
  nodeStatesTimed(filter: $filter, type: "node") { state counts times }
}`;

/** Q-pub-status. */
export const Q_PUB_STATUS =
  `query ($cluster: String!, $nmetrics: [String!], $cmetrics: [String!], $from: Time!, $to: Time!, $clusterFrom: Time!, $jobFilter: [JobFilter!]!, $nodeFilter: [NodeFilter!]!, $paging: PageRequest!, $sorting: OrderByInput!) {
  nodeMetrics(cluster: $cluster, metrics: $nmetrics, from: $from, to: $to) {
    host
    subCluster
    metrics { name metric { unit { base prefix } series { statistics { avg } } } }
  }
  jobs(filter: $jobFilter, order: $sorting, page: $paging) {
    items { jobId resources { hostname } }
    count
  }
  allocatedNodes(cluster: $cluster) { name count }
  nodeStates(filter: $nodeFilter) { state count }
  nodes(filter: $nodeFilter, order: $sorting) {
    count
    items { hostname cluster subCluster schedulerState }
  }
  jobsStatistics(filter: $jobFilter, page: $paging, groupBy: CLUSTER) {
    id totalJobs totalUsers totalCores totalAccs
  }
  clusterMetrics(cluster: $cluster, metrics: $cmetrics, from: $clusterFrom, to: $to) {
    nodeCount
    metrics { name unit { prefix base } timestep data }
  }
}`;
