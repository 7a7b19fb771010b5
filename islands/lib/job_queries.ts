/**
 * The GraphQL operations of the job list views, as cc-backend's UI sends
 * them (anonymous; same variables and selections).
 *
 * @module
 */

/** Q-joblist: one page of jobs with their count. */
export const Q_JOBLIST =
  "query($filter:[JobFilter!]!,$sorting:OrderByInput!,$paging:PageRequest!){jobs(filter:$filter,order:$sorting,page:$paging){items{id jobId user project cluster subCluster startTime duration numNodes numHWThreads numAcc walltime resources{hostname} SMT shared partition arrayJobId monitoringStatus state tags{id type name scope} userData{name} metaData footprint{name stat value}} count hasNextPage}}";

/** Q-rowmetrics: the metric data of one row. */
export const Q_ROWMETRICS =
  "query($id:ID!,$metrics:[String!]!,$scopes:[MetricScope!]!,$selectedResolution:Int){jobMetrics(id:$id,metrics:$metrics,scopes:$scopes,resolution:$selectedResolution){name scope metric{unit{prefix base} timestep statisticsSeries{min mean median max} series{hostname id data statistics{min avg max}}}}}";

/** Q-userstats: the statistics header and histograms of the user view. */
export const Q_USERSTATS =
  "query($jobFilters:[JobFilter!]!,$selectedHistograms:[String!],$numDurationBins:String,$numMetricBins:Int){jobsStatistics(filter:$jobFilters,metrics:$selectedHistograms,numDurationBins:$numDurationBins,numMetricBins:$numMetricBins){totalJobs shortJobs totalWalltime totalCoreHours totalAccHours histDuration{count value} histNumNodes{count value} histMetrics{metric unit stat data{min max count bin}}}}";

/** M-config: stores one UI setting of the viewer. */
export const M_CONFIG =
  "mutation($name:String!,$value:String!){updateConfiguration(name:$name,value:$value)}";
