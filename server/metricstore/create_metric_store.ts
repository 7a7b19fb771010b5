/**
 * Builds the built-in metric store from the `metric-store` config section
 * and the job archive's cluster configs: the store, its ingestor (with the
 * memory-cap check after every body) and the retention and memory timers.
 *
 * @module
 */
import type { MetricStoreConfig } from "../config/config_types.ts";
import { parseDuration } from "../config/duration.ts";
import { log } from "../log/logger.ts";
import { Ingestor } from "./ingest.ts";
import { MemoryStore, type MemoryStoreOptions } from "./memory_store.ts";
import { ParallelIngestor } from "./parallel_ingest.ts";
import type { ClusterMetricSource } from "./metric_registry.ts";
import {
  enforceMemoryCap,
  type HostsInUse,
  type Maintenance,
  startMaintenance,
} from "./retention.ts";

/** The running metric store. */
export interface MetricStoreService {
  store: MemoryStore;
  ingestor: Ingestor;
  /** Ingest of large HTTP bodies with a parse worker, once {@link startParallelIngest} ran. */
  parallel?: ParallelIngestor | null;
  maintenance: Maintenance;
  retentionSeconds: number;
  memoryCapBytes: number;
  /** Stops the timers (and the parse worker). */
  stop(): void;
}

/** Options of {@link createMetricStore}. */
export interface CreateMetricStoreOptions extends MemoryStoreOptions {
  /** Hosts of running jobs, kept by retention (the job repository provides them). */
  hostsInUse?: HostsInUse;
  /** Clock in unix seconds. */
  now?: () => number;
}

/** Creates the store for `clusters` with the settings of `config`. */
export function createMetricStore(
  clusters: Iterable<ClusterMetricSource>,
  config: MetricStoreConfig,
  options: CreateMetricStoreOptions = {},
): MetricStoreService {
  const retentionSeconds = Math.floor(parseDuration(config.retentionInMemory) / 1000);
  if (!(retentionSeconds > 0)) {
    throw new Error(
      `metric-store.retention-in-memory must be a positive duration (got ${
        JSON.stringify(config.retentionInMemory)
      })`,
    );
  }
  // memory-cap is in GB (10^9 bytes), as cc-backend reads it.
  const memoryCapBytes = Math.max(0, config.memoryCap) * 1e9;
  const store = MemoryStore.fromClusters(clusters, options);
  const ingestor = new Ingestor(store, {
    afterBody: memoryCapBytes > 0 ? () => enforceMemoryCap(store, memoryCapBytes) : undefined,
  });
  const maintenance = startMaintenance(store, {
    retentionSeconds,
    memoryCapBytes,
    hostsInUse: options.hostsInUse,
    now: options.now,
  });
  const service: MetricStoreService = {
    store,
    ingestor,
    maintenance,
    retentionSeconds,
    memoryCapBytes,
    stop: () => {
      maintenance.stop();
      service.parallel?.close();
    },
  };
  return service;
}

/**
 * Starts the parse worker of `service` (HTTP bodies are then parsed on a
 * second thread while the store writes the previous one); without it
 * (e.g. no read access to the sources under `deno run`) ingest stays in-process.
 */
export async function startParallelIngest(service: MetricStoreService): Promise<void> {
  service.parallel ??= await ParallelIngestor.start(service.store, service.ingestor);
  if (service.parallel) log.debug("metric store: large bodies are parsed on a worker thread");
}
