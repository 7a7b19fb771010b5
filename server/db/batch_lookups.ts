/**
 * Look-ups for many keys in one statement, for pages of jobs: the tags of a
 * set of jobs and the names of a set of users. The key list travels as one
 * JSON parameter (`json_each`), so each statement is prepared once whatever
 * the number of keys.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { Tag } from "./tag_repository.ts";
import { type Row, Statements, textOf } from "./statements.ts";

/** Display data of a user. */
export interface UserContact {
  username: string;
  name: string;
  email: string;
}

/** Batched reads of tags and user contacts. */
export class BatchLookups {
  readonly #sql: Statements;

  /** Reads from `db`. */
  constructor(db: DatabaseSync) {
    this.#sql = new Statements(db);
  }

  /** The tags of each job (by database id), ordered by tag id; jobs without tags are absent. */
  tagsOfJobs(jobIds: readonly number[]): Map<number, Tag[]> {
    const out = new Map<number, Tag[]>();
    if (jobIds.length === 0) return out;
    const rows = this.#sql.get(
      "SELECT jt.job_id, t.id, t.tag_type, t.tag_name, t.tag_scope FROM jobtag jt " +
        "JOIN tag t ON t.id = jt.tag_id WHERE jt.job_id IN (SELECT value FROM json_each(?)) " +
        "ORDER BY jt.job_id, t.id",
    ).all(JSON.stringify(jobIds)) as Row[];
    for (const row of rows) {
      const jobId = Number(row.job_id);
      const tag: Tag = {
        id: Number(row.id),
        type: String(row.tag_type),
        name: String(row.tag_name),
        scope: String(row.tag_scope),
      };
      const list = out.get(jobId);
      if (list) list.push(tag);
      else out.set(jobId, [tag]);
    }
    return out;
  }

  /** Name and e-mail of each known user (NULL as ""); unknown usernames are absent. */
  usersByName(usernames: readonly string[]): Map<string, UserContact> {
    const out = new Map<string, UserContact>();
    if (usernames.length === 0) return out;
    const rows = this.#sql.get(
      "SELECT username, name, email FROM hpc_user " +
        "WHERE username IN (SELECT value FROM json_each(?))",
    ).all(JSON.stringify(usernames)) as Row[];
    for (const row of rows) {
      const username = String(row.username);
      out.set(username, {
        username,
        name: textOf(row.name) ?? "",
        email: textOf(row.email) ?? "",
      });
    }
    return out;
  }

  /** The tags with these ids; unknown ids are absent. */
  tagsById(ids: readonly number[]): Map<number, Tag> {
    const out = new Map<number, Tag>();
    if (ids.length === 0) return out;
    const rows = this.#sql.get(
      "SELECT id, tag_type, tag_name, tag_scope FROM tag " +
        "WHERE id IN (SELECT value FROM json_each(?))",
    ).all(JSON.stringify(ids)) as Row[];
    for (const row of rows) {
      const id = Number(row.id);
      out.set(id, {
        id,
        type: String(row.tag_type),
        name: String(row.tag_name),
        scope: String(row.tag_scope),
      });
    }
    return out;
  }
}
