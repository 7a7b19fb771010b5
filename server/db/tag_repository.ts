/**
 * The `tag` and `jobtag` tables: get-or-create tags (with an optional
 * in-memory cache for bulk imports), attach them to jobs and detach them,
 * list them, delete them everywhere.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { AppError, badInput } from "../errors.ts";
import { withTransaction } from "./connection.ts";
import { sqlError } from "./sql_errors.ts";
import { type Row, Statements } from "./statements.ts";

/** A stored tag. `scope` is `global`, `admin` or the owning username. */
export interface Tag {
  id: number;
  type: string;
  name: string;
  scope: string;
}

/** A tag to look up or create; `scope` defaults to `global`. */
export interface TagSpec {
  type: string;
  name: string;
  scope?: string;
}

/** Options of {@link TagRepository}. */
export interface TagRepositoryOptions {
  /**
   * Remember tags by (type, name) so repeated look-ups skip the database, as in
   * `-init-db`. Call {@link TagRepository.clearCache} after deleting tags elsewhere.
   */
  cache?: boolean;
}

const SELECT_TAG = "SELECT id, tag_type, tag_name, tag_scope FROM tag";

function toTag(row: Row): Tag {
  return {
    id: Number(row.id),
    type: String(row.tag_type),
    name: String(row.tag_name),
    scope: String(row.tag_scope),
  };
}

function describeTag(spec: TagSpec): string {
  return `tag ${JSON.stringify(`${spec.type}:${spec.name}`)}`;
}

/** Reads and writes tags and their links to jobs. */
export class TagRepository {
  readonly #sql: Statements;
  readonly #cache?: Map<string, Tag>;

  /** Wraps an open database at schema version 11. */
  constructor(db: DatabaseSync, options: TagRepositoryOptions = {}) {
    this.#sql = new Statements(db);
    if (options.cache) this.#cache = new Map();
  }

  /** Forgets every cached tag. */
  clearCache(): void {
    this.#cache?.clear();
  }

  /** The tag with this type and name (tags are unique by the two), or null. */
  findTag(spec: TagSpec): Tag | null {
    const key = `${spec.type}\u0000${spec.name}`;
    const cached = this.#cache?.get(key);
    if (cached) return cached;
    const row = this.#sql.get(`${SELECT_TAG} WHERE tag_type = ? AND tag_name = ?`)
      .get(spec.type, spec.name) as Row | undefined;
    if (!row) return null;
    const tag = toTag(row);
    this.#cache?.set(key, tag);
    return tag;
  }

  /**
   * The tag with this type, name and scope (default `global`), or null. As
   * type and name are unique on their own, a tag of another scope is null too.
   */
  findTagInScope(spec: TagSpec): Tag | null {
    const tag = this.findTag(spec);
    return tag && tag.scope === (spec.scope || "global") ? tag : null;
  }

  /**
   * Returns the tag with this type and name, creating it if missing. Throws a
   * 422 when it exists under another scope (type and name are unique across scopes).
   */
  getOrCreateTag(spec: TagSpec): Tag {
    const scope = spec.scope ?? "global";
    for (const field of ["type", "name"] as const) {
      if (typeof spec[field] !== "string" || spec[field].trim() === "") {
        throw badInput(`cannot create tag: ${field} must be a non-empty string`);
      }
      if (spec[field].includes("\0")) {
        throw badInput(`cannot create ${describeTag(spec)}: ${field} contains a NUL character`);
      }
    }
    const existing = this.findTag(spec);
    if (existing) {
      if (existing.scope !== scope) {
        throw new AppError(
          422,
          `cannot use ${describeTag(spec)} with scope ${JSON.stringify(scope)}: ` +
            `it exists with scope ${JSON.stringify(existing.scope)}`,
        );
      }
      return existing;
    }
    try {
      const row = this.#sql.get(
        "INSERT INTO tag (tag_type, tag_name, tag_scope) VALUES (?, ?, ?) RETURNING id",
      ).get(spec.type, spec.name, scope);
      const tag = { id: Number(row?.id), type: spec.type, name: spec.name, scope };
      this.#cache?.set(`${spec.type}\u0000${spec.name}`, tag);
      return tag;
    } catch (error) {
      throw sqlError(`cannot create ${describeTag(spec)}`, error);
    }
  }

  /** Links a tag to a job (both by database id); false if it was linked already. */
  addTagToJob(jobDbId: number, tagId: number): boolean {
    try {
      const result = this.#sql.get(
        "INSERT OR IGNORE INTO jobtag (job_id, tag_id) VALUES (?, ?)",
      ).run(jobDbId, tagId);
      return Number(result.changes) > 0;
    } catch (error) {
      throw sqlError(`cannot add tag ${tagId} to job ${jobDbId}`, error);
    }
  }

  /** Unlinks a tag from a job; false if it was not linked. */
  removeTagFromJob(jobDbId: number, tagId: number): boolean {
    const result = this.#sql.get("DELETE FROM jobtag WHERE job_id = ? AND tag_id = ?")
      .run(jobDbId, tagId);
    return Number(result.changes) > 0;
  }

  /**
   * Deletes a tag and all its links to jobs, in one transaction. Returns the
   * database ids of the jobs that carried it.
   */
  deleteTag(tagId: number): number[] {
    return withTransaction(this.#sql.db, () => {
      const rows = this.#sql.get("SELECT job_id FROM jobtag WHERE tag_id = ? ORDER BY job_id")
        .all(tagId) as Row[];
      this.#sql.get("DELETE FROM jobtag WHERE tag_id = ?").run(tagId);
      this.#sql.get("DELETE FROM tag WHERE id = ?").run(tagId);
      this.#cache?.clear();
      return rows.map((r) => Number(r.job_id));
    });
  }

  /** All tags, optionally of one scope, ordered by id. */
  listTags(options: { scope?: string } = {}): Tag[] {
    const rows = options.scope === undefined
      ? this.#sql.get(`${SELECT_TAG} ORDER BY id`).all()
      : this.#sql.get(`${SELECT_TAG} WHERE tag_scope = ? ORDER BY id`).all(options.scope);
    return (rows as Row[]).map(toTag);
  }

  /** The tags of a job (by database id), ordered by tag id. */
  tagsOfJob(jobDbId: number): Tag[] {
    const rows = this.#sql.get(
      "SELECT t.id, t.tag_type, t.tag_name, t.tag_scope FROM tag t " +
        "JOIN jobtag jt ON jt.tag_id = t.id WHERE jt.job_id = ? ORDER BY t.id",
    ).all(jobDbId);
    return (rows as Row[]).map(toTag);
  }
}
