/**
 * The background services of `-server`, in start order (stopped in reverse).
 * Each entry is a factory in its own module; add one line per service.
 *
 * @module
 */
import { archiverService } from "./archiver_service.ts";
import { dbCheckpointService } from "./db_checkpoint_service.ts";
import { ldapSyncService } from "../auth/ldap_sync.ts";
import { metricStoreCheckpoints } from "./metricstore_checkpoints.ts";
import { natsService } from "./nats_service.ts";
import { taskManagerService } from "./task_manager_service.ts";
import { taggerService } from "./tagger_service.ts";
import type { ServiceFactory } from "./service_context.ts";

/** Every service factory, in start order. */
export const SERVICES: ServiceFactory[] = [
  dbCheckpointService, // first, so it stops last: the others' final writes are checkpointed
  metricStoreCheckpoints, // first: restores the store before anything reads or writes it
  taggerService, // stops after the archiver, so jobs it archives while draining get classified
  archiverService,
  ldapSyncService, // before the task manager: provides the periodic LDAP sync it schedules
  taskManagerService,
  natsService, // last: stopped first, so no message arrives while the others stop
];
