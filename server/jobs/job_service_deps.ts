/**
 * What the job services work with, whoever calls them (REST, NATS): the
 * database, the archive, the acting user, a clock and the hook lists.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { FileArchive } from "../archive/mod.ts";
import type { AuthUser } from "../auth/auth_user.ts";
import { JobRepository, TagRepository } from "../db/mod.ts";
import type { JobHooks } from "./job_hooks.ts";

/** Dependencies of every job service function. */
export interface JobServiceDeps {
  db: DatabaseSync;
  archive: FileArchive;
  /**
   * The acting user. Absent for trusted internal callers (NATS, or REST with
   * authentication disabled): then no visibility or tag-scope rule applies.
   */
  user?: AuthUser;
  /** The clock in unix seconds (default: the wall clock). */
  now?: () => number;
  /** Where start and stop events go (default: nowhere). */
  hooks?: JobHooks;
}

/** The current time in unix seconds. */
export function nowSeconds(deps: Pick<JobServiceDeps, "now">): number {
  return deps.now ? deps.now() : Math.floor(Date.now() / 1000);
}

const repositories = new WeakMap<DatabaseSync, { jobs: JobRepository; tags: TagRepository }>();

/** The repositories of `db`, built once so their prepared statements are reused. */
export function reposOf(db: DatabaseSync): { jobs: JobRepository; tags: TagRepository } {
  let repos = repositories.get(db);
  if (!repos) {
    repos = { jobs: new JobRepository(db), tags: new TagRepository(db) };
    repositories.set(db, repos);
  }
  return repos;
}
