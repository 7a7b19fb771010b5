import { deepEqual, equal, throws } from "node:assert/strict";
import type { MetricStoreConfig } from "../config/config_types.ts";
import { setLogSink } from "../log/logger.ts";
import { createMetricStore } from "./create_metric_store.ts";
import { MetricRegistry } from "./metric_registry.ts";

const CONFIG: MetricStoreConfig = {
  retentionInMemory: "48h",
  memoryCap: 100,
  numWorkers: 0,
  checkpointInterval: "12h",
  checkpoints: { fileFormat: "wal", directory: "./var/checkpoints", maxWalSize: 0 },
  cleanup: { mode: "delete" },
  natsSubscriptions: [],
};

const CLUSTERS = [
  {
    name: "fritz",
    metricConfig: [
      { name: "cpu_load", timestep: 60, aggregation: "avg" },
      { name: "flops_any", timestep: 60, aggregation: "sum" },
    ],
    subClusters: [{ metricConfig: [{ name: "cpu_load", timestep: 60, aggregation: "avg" }] }],
  },
  {
    name: "alex",
    metricConfig: [
      { name: "cpu_load", timestep: 30, aggregation: "sum" },
      { name: "acc_power", timestep: 10, aggregation: "" },
      { name: "odd", timestep: 10, aggregation: "median" },
    ],
  },
];

Deno.test("MetricRegistry.fromClusters() merges names globally; the larger timestep wins", () => {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    const reg = MetricRegistry.fromClusters(CLUSTERS);
    deepEqual(reg.metrics.map((m) => [m.name, m.frequency, m.aggregation]), [
      ["cpu_load", 60, "avg"],
      ["flops_any", 60, "sum"],
      ["acc_power", 10, null],
      ["odd", 10, null],
    ]);
    equal(lines.length, 1, "unknown aggregation warned");
  } finally {
    setLogSink(previous);
  }
  throws(() => new MetricRegistry([{ name: "x", frequency: 0, aggregation: null }]), /frequency/);
});

Deno.test("createMetricStore() applies retention and memory cap from the config", () => {
  const service = createMetricStore(CLUSTERS, CONFIG, { now: () => 1000 });
  try {
    equal(service.retentionSeconds, 48 * 3600);
    equal(service.memoryCapBytes, 100e9);
    equal(service.store.metrics.size, 4);
    const r = service.ingestor.ingest(
      new TextEncoder().encode("cpu_load,hostname=f1 value=1 1000\n"),
      {
        cluster: "fritz",
        now: 1000,
      },
    );
    equal(r.accepted, 1);
  } finally {
    service.stop();
  }
  throws(() => createMetricStore(CLUSTERS, { ...CONFIG, retentionInMemory: "0s" }), /positive/);
});
