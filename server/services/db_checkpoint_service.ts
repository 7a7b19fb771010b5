/**
 * The server's WAL checkpoints on a worker thread (see
 * `server/db/background_checkpoints.ts`), so that commits on the event loop
 * only append to the WAL. If the worker cannot start, the connection keeps
 * checkpointing itself and the server starts anyway.
 *
 * @module
 */
import { startBackgroundCheckpoints } from "../db/background_checkpoints.ts";
import { log } from "../log/logger.ts";
import type { RunningService, ServiceContext } from "./service_context.ts";

/** Starts background checkpoints for the server's database, or null for an in-memory one. */
export async function dbCheckpointService(ctx: ServiceContext): Promise<RunningService | null> {
  if (!ctx.db.location()) return null;
  try {
    const checkpoints = await startBackgroundCheckpoints(ctx.db);
    return { name: "database checkpoints", stop: () => checkpoints.stop() };
  } catch (error) {
    log.warn(
      `database: WAL checkpoints stay on the server thread: ${(error as Error).message}`,
    );
    return null;
  }
}
