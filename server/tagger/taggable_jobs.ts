/**
 * The jobs an on-demand tagger run visits: every job that is not running,
 * in id order. Only the ids are read up front, so a run over a large
 * database holds one job at a time.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

/** Database ids of all jobs whose state is not `running`, ascending. */
export function nonRunningJobIds(db: DatabaseSync): number[] {
  const rows = db.prepare("SELECT id FROM job WHERE job_state <> ? ORDER BY id").all("running");
  return rows.map((row) => Number(row.id));
}
