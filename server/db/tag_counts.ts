/**
 * How many jobs carry each tag, counting only the jobs a viewer may see
 * (cc-backend's `CountTags`): one grouped statement over `jobtag` joined
 * with `job` under the visibility condition.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { JobCondition } from "./job_filter_sql.ts";
import { type Row, Statements } from "./statements.ts";

/** Job counts per tag id (tags without visible jobs are absent). */
export function countTaggedJobs(
  db: DatabaseSync,
  visibility: JobCondition | null,
): Map<number, number> {
  const where = visibility ? ` WHERE (${visibility.sql})` : "";
  const rows = new Statements(db).get(
    "SELECT jobtag.tag_id AS id, COUNT(*) AS n FROM jobtag " +
      `JOIN job ON job.id = jobtag.job_id${where} GROUP BY jobtag.tag_id`,
  ).all(...(visibility?.params ?? [])) as Row[];
  return new Map(rows.map((r) => [Number(r.id), Number(r.n)]));
}
