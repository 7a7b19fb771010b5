/**
 * The SQL of the background tasks on the `job` table: duration and
 * walltime updates of running jobs, selection of finished jobs by start
 * time (honouring `omit-tagged`), deletes by id, footprint updates.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { withTransaction } from "../db/mod.ts";
import type { OmitTagged } from "../db/mod.ts";

/** What a task needs to find a job in the archive and the database. */
export interface JobRef {
  id: number;
  jobId: number;
  cluster: string;
  startTime: number;
}

/** Conditions that keep tagged jobs out of a selection (see `archive.retention.omit-tagged`). */
const OMIT_TAGGED_SQL: Record<OmitTagged, string> = {
  none: "",
  all: " AND NOT EXISTS (SELECT 1 FROM jobtag jt WHERE jt.job_id = job.id)",
  user: " AND NOT EXISTS (SELECT 1 FROM jobtag jt JOIN tag t ON t.id = jt.tag_id " +
    "WHERE jt.job_id = job.id AND t.tag_type NOT IN ('app', 'jobClass'))",
};

/** Ids per DELETE statement (bound as one JSON array). */
const DELETE_CHUNK = 10_000;

/** Sets `duration = now - start_time` of every running job; returns how many rows changed. */
export function updateRunningDurations(db: DatabaseSync, now: number): number {
  const result = db.prepare(
    "UPDATE job SET duration = ? - start_time WHERE job_state = 'running'",
  ).run(now);
  return Number(result.changes);
}

/**
 * Marks running jobs whose walltime (> 0) is exceeded by more than `seconds`
 * as failed with "archiving failed" (monitoring status 2) and duration 0, as
 * cc-backend does; returns how many.
 */
export function failJobsExceedingWalltime(
  db: DatabaseSync,
  options: { now: number; seconds: number },
): number {
  const result = db.prepare(
    "UPDATE job SET monitoring_status = 2, duration = 0, job_state = 'failed' " +
      "WHERE job_state = 'running' AND walltime > 0 AND start_time < ? - walltime",
  ).run(options.now - options.seconds);
  return Number(result.changes);
}

/**
 * Finished (not running) jobs with `from <= start_time < before`, oldest
 * first, without the tagged jobs `omitTagged` protects.
 */
export function findFinishedJobs(
  db: DatabaseSync,
  options: { from?: number; before: number; omitTagged?: OmitTagged },
): JobRef[] {
  const omit = options.omitTagged ?? "none";
  if (!Object.hasOwn(OMIT_TAGGED_SQL, omit)) {
    throw new Error(`invalid omit-tagged ${JSON.stringify(omit)} (none, all or user)`);
  }
  const rows = db.prepare(
    "SELECT id, job_id, cluster, start_time FROM job " +
      "WHERE job_state != 'running' AND start_time >= ? AND start_time < ?" +
      OMIT_TAGGED_SQL[omit] + " ORDER BY start_time, id",
  ).all(options.from ?? 0, options.before);
  return rows.map((row) => ({
    id: Number(row.id),
    jobId: Number(row.job_id),
    cluster: String(row.cluster),
    startTime: Number(row.start_time),
  }));
}

/** Deletes rows of `table` by id in one transaction; returns how many went. */
export function deleteRowsById(
  db: DatabaseSync,
  rows: { table: "job" | "node_state"; ids: readonly number[] },
): number {
  const { table, ids } = rows;
  if (ids.length === 0) return 0;
  const statement = db.prepare(
    `DELETE FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`,
  );
  return withTransaction(db, () => {
    let deleted = 0;
    for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
      const chunk = JSON.stringify(ids.slice(i, i + DELETE_CHUNK));
      deleted += Number(statement.run(chunk).changes);
    }
    return deleted;
  });
}

/** Stores the footprints of many jobs in one transaction; returns how many rows changed. */
export function storeFootprints(
  db: DatabaseSync,
  updates: readonly { id: number; footprint: Record<string, number> }[],
): number {
  if (updates.length === 0) return 0;
  const statement = db.prepare("UPDATE job SET footprint = ? WHERE id = ?");
  return withTransaction(db, () => {
    let changed = 0;
    for (const { id, footprint } of updates) {
      changed += Number(statement.run(JSON.stringify(footprint), id).changes);
    }
    return changed;
  });
}

/** Rebuilds the database file to return the space of deleted rows (blocks while it runs). */
export function vacuum(db: DatabaseSync): void {
  db.exec("VACUUM");
}
