/**
 * Starts the services of {@link SERVICES} in order and stops them in reverse.
 *
 * @module
 */
import { log } from "../log/logger.ts";
import type { RunningService, ServiceContext, ServiceFactory } from "./service_context.ts";
import { SERVICES } from "./service_list.ts";

/** Running services of one server. */
export interface ServiceSet {
  /** Stops every service in reverse start order; errors are logged, not thrown. */
  stop(): Promise<void>;
}

/** Starts `factories` (default: {@link SERVICES}); a failing start stops those already running. */
export async function startServices(
  ctx: ServiceContext,
  factories: ServiceFactory[] = SERVICES,
): Promise<ServiceSet> {
  const running: RunningService[] = [];
  const stop = async () => {
    for (const service of running.reverse()) {
      try {
        await service.stop();
        log.info(`${service.name}: stopped`);
      } catch (error) {
        log.error(`${service.name}: stopping failed: ${(error as Error).message}`);
      }
    }
    running.length = 0;
  };
  for (const factory of factories) {
    try {
      const service = await factory(ctx);
      if (service) {
        running.push(service);
        log.info(`${service.name}: started`);
      }
    } catch (error) {
      await stop();
      throw error;
    }
  }
  return { stop };
}
