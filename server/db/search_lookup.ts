/**
 * The look-ups of the navbar search (cc-backend's
 * `FindUserOrProjectOrJobname` and `FindUserByName`): does a user or a
 * project with this exact name own jobs, which usernames have a real name
 * like the term. The caller decides who may search (managers and staff).
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { type Row, Statements } from "./statements.ts";

function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Read-only look-ups for the search bar. */
export class SearchLookup {
  readonly #sql: Statements;

  /** Reads `db`. */
  constructor(db: DatabaseSync) {
    this.#sql = new Statements(db);
  }

  /** Whether jobs of user `username` exist. */
  hasJobsOfUser(username: string): boolean {
    return !!this.#sql.get("SELECT 1 AS found FROM job WHERE hpc_user = ? LIMIT 1").get(username);
  }

  /** Whether jobs of project `project` exist. */
  hasJobsOfProject(project: string): boolean {
    return !!this.#sql.get("SELECT 1 AS found FROM job WHERE project = ? LIMIT 1").get(project);
  }

  /** Usernames whose real name contains `term` (ASCII case-insensitive), sorted. */
  usernamesByName(term: string): string[] {
    const rows = this.#sql.get(
      "SELECT username FROM hpc_user WHERE name LIKE ? ESCAPE '\\' ORDER BY username",
    ).all(`%${likeEscape(term)}%`) as Row[];
    return rows.map((r) => String(r.username));
  }
}
