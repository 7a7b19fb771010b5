/**
 * The job archive: cluster configs, job metadata and metric data in cc-backend's file
 * layout (archive version 3).
 *
 * @module
 */

export {
  ARCHIVE_VERSION,
  FileArchive,
  type FileArchiveOptions,
  type JobKey,
} from "./file_archive.ts";
export type { JobEntry } from "./job_iter.ts";
export {
  assignSubCluster,
  type ClusterInfo,
  globalMetricList,
  type GlobalMetricListItem,
  loadClusterConfig,
  nodeListOf,
  subClusterByNode,
  type SubClusterInfo,
  type SubClusterMetricConfig,
} from "./cluster_config.ts";
export { type NodeList, parseNodeList } from "./nodelist.ts";
export { decodeJobData, encodeJobData, encodeJobMetric, jobDataFromJson } from "./json_codec.ts";
export { decodeJobMeta, encodeJobMeta, jobMetaFromJson, META_KEYS } from "./meta_codec.ts";
export { encodeCluster } from "./cluster_codec.ts";
export { fixed2, goFloat, goString } from "./go_json.ts";
export { schemaErrors, type SchemaKind, validateDocument } from "./validate.ts";
export { normalize } from "./normalize.ts";
export * from "./types.ts";
