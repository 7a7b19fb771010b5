/**
 * The background services of `-server`, in start order (stopped in reverse).
 * Each entry is a factory in its own module; add one line per service.
 *
 * @module
 */
import type { ServiceFactory } from "./service_context.ts";

/** Every service factory, in start order. */
export const SERVICES: ServiceFactory[] = [
  // metric-store checkpoints (restore before anything reads), archiver, taggers,
  // task manager, NATS subscriptions: each adds its factory here.
];
