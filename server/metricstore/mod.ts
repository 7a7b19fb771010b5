/**
 * The built-in in-memory metric store (cc-backend `pkg/metricstore`):
 * line-protocol ingestion, fixed-frequency buffers in shared Float64Array
 * slabs, reads with aggregation across scopes and resampling, the
 * cc-metric-store query API, scope transformation, statistics, node health,
 * retention and the memory cap.
 *
 * @module
 */
export {
  createMetricStore,
  type CreateMetricStoreOptions,
  type MetricStoreService,
  startParallelIngest,
} from "./create_metric_store.ts";
export { bodyReadError } from "./body_reader.ts";
export { PARALLEL_MIN_BYTES, ParallelIngestor } from "./parallel_ingest.ts";
export {
  MemoryStore,
  type MemoryStoreOptions,
  type ReadRange,
  type ReadResult,
  type StoreStats,
} from "./memory_store.ts";
export {
  type Aggregation,
  type ClusterMetricSource,
  type MetricInfo,
  MetricRegistry,
  type MetricSource,
} from "./metric_registry.ts";
export type { Level, Selector, SelectorElement } from "./level.ts";
export {
  type IngestOptions,
  Ingestor,
  type IngestResult,
  type IngestStream,
  MAX_LINE_BYTES,
  type RejectedLine,
} from "./ingest.ts";
export { fetchData, type FetchDefaults } from "./fetch_data.ts";
export {
  API_QUERY_REQUEST_SCHEMA,
  type APIMetricData,
  type APIQuery,
  type APIQueryRequest,
  type APIQueryResponse,
} from "./query_types.ts";
export { encodeQueryResponse } from "./query_json.ts";
export {
  buildScopeQueries,
  maxScope,
  SCOPE_RANK,
  type ScopeQuery,
  type ScopeQueryTarget,
} from "./scope_queries.ts";
export { TopologyIndex } from "./topology_index.ts";
export { JobDataLoader, type JobDataLoaderOptions, type LoadedJobData } from "./job_data_loader.ts";
export {
  healthCheck,
  type HealthState,
  type HealthyMetrics,
  healthyMetrics,
  metricHealthChecker,
  type NodeHealth,
} from "./health.ts";
export {
  enforceMemoryCap,
  freeOldest,
  type HostsInUse,
  type Maintenance,
  type MaintenanceOptions,
  type RetentionResult,
  runRetention,
  startMaintenance,
} from "./retention.ts";
export { average, lttb, resample, type Resampled, type ResampleMethod } from "./resample.ts";
export {
  quantile,
  type SeriesStats,
  seriesStats,
  type StatisticsSeries,
  statisticsSeries,
  type StatisticsSeriesOptions,
} from "./stats.ts";
export { debugDump, type DumpedLevel } from "./debug_dump.ts";
