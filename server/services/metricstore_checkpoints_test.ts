import assert from "node:assert/strict";
import { join } from "node:path";
import { applyDefaults } from "../config/apply_defaults.ts";
import { JobHooks } from "../jobs/job_hooks.ts";
import { setLogSink } from "../log/logger.ts";
import { createMetricStore } from "../metricstore/mod.ts";
import { withTempDir } from "../metricstore/checkpoint_test_helpers.ts";
import { body, TEST_METRICS, values } from "../metricstore/test_helpers.ts";
import type { ServiceContext } from "./service_context.ts";
import { startCheckpointService } from "./metricstore_checkpoints.ts";

const NOW = 1_700_000_000;

function context(metricStore: Record<string, unknown> | undefined): ServiceContext {
  const config = applyDefaults({
    main: { addr: "127.0.0.1:0" },
    ...(metricStore ? { "metric-store": metricStore } : {}),
  });
  const clusters = [{
    name: "fritz",
    metricConfig: Object.entries(TEST_METRICS).map(([name, [timestep, aggregation]]) => ({
      name,
      timestep,
      aggregation: aggregation ?? "",
    })),
  }];
  return {
    config,
    db: undefined as never,
    archive: undefined as never,
    jobHooks: new JobHooks(),
    metricStore: config.metricStore
      ? createMetricStore(clusters as never, config.metricStore, { now: () => NOW })
      : undefined,
    now: () => NOW,
    provided: {},
  };
}

Deno.test("the checkpoint service restores at start and snapshots at stop", async (t) => {
  await withTempDir(async (dir) => {
    const previous = setLogSink(() => {});
    const section = {
      "retention-in-memory": "48h",
      "memory-cap": 1,
      checkpoints: { directory: join(dir, "checkpoints") },
    };
    try {
      await t.step("without a metric-store section it does not start", async () => {
        assert.equal(await startCheckpointService(context(undefined)), null);
      });

      await t.step("samples written before a stop are there after the next start", async () => {
        const first = context(section);
        const service = await startCheckpointService(first);
        assert.ok(service);
        assert.match(service.name, /^metric-store checkpoints \(wal, /);
        const result = first.metricStore!.ingestor.ingest(
          body(
            `cpu_load,hostname=f1 value=1.5 ${NOW - 10}`,
            `cpu_load,hostname=f1 value=2.5 ${NOW}`,
          ),
          { cluster: "fritz", now: NOW },
        );
        assert.equal(result.accepted, 2);
        await service.stop();
        first.metricStore!.stop();

        const second = context(section);
        const again = await startCheckpointService(second);
        const read = second.metricStore!.store.read(["fritz", "f1"], "cpu_load", {
          from: NOW - 100,
          to: NOW + 10,
        });
        assert.deepEqual(values(read?.data), [1.5, 2.5]);
        await again!.stop();
        second.metricStore!.stop();
      });
    } finally {
      setLogSink(previous);
    }
  });
});
