/**
 * The NATS service of `-server`: on when the `nats` section has an address
 * and there is something to subscribe to (`main.api-subjects` or
 * `metric-store.nats-subscriptions`). Connection problems only warn; the
 * client keeps trying in the background.
 *
 * @module
 */
import { log } from "../log/logger.ts";
import { metricHealthChecker } from "../metricstore/mod.ts";
import { startNatsApi } from "../nats/mod.ts";
import type { RunningService, ServiceContext } from "./service_context.ts";

/** Starts the NATS API, or returns null when the configuration leaves it off. */
export function natsService(ctx: ServiceContext): RunningService | null {
  const { nats, main, metricStore: storeConfig } = ctx.config;
  const metricSubscriptions = storeConfig?.natsSubscriptions ?? [];
  if (!nats?.address) {
    if (main.apiSubjects) {
      log.warn(
        "main.api-subjects is set but the nats section has no address: jobs can be started " +
          "and stopped neither over NATS nor over REST",
      );
    }
    if (metricSubscriptions.length > 0) {
      log.warn("metric-store.nats-subscriptions are ignored: the nats section has no address");
    }
    return null;
  }
  if (!main.apiSubjects && metricSubscriptions.length === 0) {
    log.info(
      "NATS: nothing to subscribe to (no main.api-subjects, no metric-store.nats-subscriptions)",
    );
    return null;
  }
  if (metricSubscriptions.length > 0 && !ctx.metricStore) {
    log.warn("metric-store.nats-subscriptions are ignored: the built-in metric store is off");
  }
  return startNatsApi({
    nats,
    apiSubjects: main.apiSubjects,
    metricSubscriptions,
    db: ctx.db,
    archive: ctx.archive,
    jobHooks: ctx.jobHooks,
    ingestor: ctx.metricStore?.ingestor,
    nodeHealth: ctx.metricStore ? metricHealthChecker(ctx.metricStore.store) : undefined,
    now: ctx.now,
  });
}
