/**
 * What GraphQL resolvers work with: the long-lived services built once per
 * mount (queries with their prepared statements, repositories, the archive
 * and the metric store) and the per-request context (viewer, clock, batch
 * loaders), plus the role checks every resolver applies through the same
 * rule modules as the REST API.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { ClusterInfo, FileArchive } from "../../archive/mod.ts";
import type { AuthUser } from "../../auth/auth_user.ts";
import { hasAnyRole } from "../../auth/auth_user.ts";
import { jobVisibilityCondition } from "../../auth/job_visibility.ts";
import { canReadTagScope } from "../../auth/tag_scope.ts";
import type { Config } from "../../config/mod.ts";
import { BatchLookups, type UserContact } from "../../db/batch_lookups.ts";
import type { JobCondition } from "../../db/job_filter_sql.ts";
import { JobQuery } from "../../db/job_query.ts";
import { JobStatistics } from "../../db/job_statistics.ts";
import { NodeStateQuery } from "../../db/node_state_query.ts";
import { type Tag, TagRepository, UserConfigRepository, UserRepository } from "../../db/mod.ts";
import { AppError } from "../../errors.ts";
import type { JobDataSource } from "../../jobs/job_data_source.ts";
import { JobReader } from "../../jobs/job_reader.ts";
import type { MemoryStore } from "../../metricstore/memory_store.ts";
import { BatchLoader } from "./batch_loader.ts";

/** What the GraphQL API is built from (a subset of the REST dependencies). */
export interface GraphqlDeps {
  db: DatabaseSync;
  archive: FileArchive;
  config: Config;
  /** Metric data of running jobs; without it their data and live statistics are unavailable. */
  liveJobData?: JobDataSource;
  /** The built-in metric store, for node and cluster metrics. */
  metricStore?: { store: MemoryStore };
  /** Injected clock (unix seconds) so tests do not depend on the wall clock. */
  now?: () => number;
}

/** Footprint keys (`<metric>_<stat>`) of every subcluster's footprint metrics. */
export function footprintKeysOf(clusters: readonly ClusterInfo[]): Set<string> {
  const keys = new Set<string>();
  for (const cluster of clusters) {
    for (const mc of cluster.metricConfig) if (mc.footprint) keys.add(`${mc.name}_${mc.footprint}`);
    for (const sc of cluster.subClusters) {
      for (const mc of sc.metricConfig) if (mc.footprint) keys.add(`${mc.name}_${mc.footprint}`);
    }
  }
  return keys;
}

/** The services shared by all requests of one mounted API. */
export class GraphqlServices {
  readonly deps: GraphqlDeps;
  readonly jobs: JobQuery;
  readonly statistics: JobStatistics;
  readonly reader: JobReader;
  readonly tags: TagRepository;
  readonly users: UserRepository;
  readonly userConfig: UserConfigRepository;
  readonly nodes: NodeStateQuery;
  readonly lookups: BatchLookups;
  /** Partitions per cluster with the time they were read (cached for an hour, as cc-backend). */
  readonly partitions = new Map<string, { at: number; names: string[] }>();
  #footprintKeys?: { clusters: readonly ClusterInfo[]; keys: Set<string> };

  /** Builds the services of `deps`. */
  constructor(deps: GraphqlDeps) {
    this.deps = deps;
    const now = () => this.now();
    const footprintKeys = () => this.footprintKeys();
    this.jobs = new JobQuery(deps.db, { now, footprintKeys });
    this.statistics = new JobStatistics(deps.db, {
      now,
      footprintKeys,
      shortJobSeconds: deps.config.main.shortRunningJobsDuration,
    });
    this.reader = new JobReader({
      db: deps.db,
      archive: deps.archive,
      live: deps.liveJobData,
      now,
    });
    this.tags = new TagRepository(deps.db);
    this.users = new UserRepository(deps.db);
    this.userConfig = new UserConfigRepository(deps.db);
    this.nodes = new NodeStateQuery(deps.db);
    this.lookups = new BatchLookups(deps.db);
  }

  /** Unix seconds from the injected clock. */
  now(): number {
    return this.deps.now ? this.deps.now() : Math.floor(Date.now() / 1000);
  }

  /** The clusters of the archive. */
  clusters(): readonly ClusterInfo[] {
    return this.deps.archive.clusters();
  }

  /** The footprint keys allowed in filters and sorting, recomputed when the clusters change. */
  footprintKeys(): Set<string> {
    const clusters = this.clusters();
    if (this.#footprintKeys?.clusters !== clusters) {
      this.#footprintKeys = { clusters, keys: footprintKeysOf(clusters) };
    }
    return this.#footprintKeys.keys;
  }

  /** The cluster named `name`, or a 400 naming it. */
  cluster(name: string): ClusterInfo {
    const cluster = this.deps.archive.cluster(name);
    if (!cluster) throw new AppError(400, `unknown cluster ${JSON.stringify(name)}`);
    return cluster;
  }
}

/** The context of one GraphQL request. */
export interface GraphqlContext {
  services: GraphqlServices;
  /** The authenticated user; undefined when authentication is disabled (sees everything). */
  viewer: AuthUser | undefined;
  /** Tags of jobs by database id, batched per page. */
  jobTags: BatchLoader<number, Tag[]>;
  /** Name and e-mail of users, batched per page. */
  userContacts: BatchLoader<string, UserContact | null>;
}

/** A fresh context for one request of `viewer`. */
export function createContext(services: GraphqlServices, viewer: AuthUser | undefined) {
  const context: GraphqlContext = {
    services,
    viewer,
    jobTags: new BatchLoader((ids) => services.lookups.tagsOfJobs(ids), { fallback: [] }),
    userContacts: new BatchLoader(
      (names) => services.lookups.usersByName(names) as Map<string, UserContact | null>,
      { fallback: null },
    ),
  };
  return context;
}

/** The job visibility condition of the viewer (null: sees all). */
export function jobVisibility(ctx: GraphqlContext): JobCondition | null {
  return ctx.viewer ? jobVisibilityCondition(ctx.viewer) : null;
}

/** Node and cluster data are for administrators and support staff (and unauthenticated setups). */
export function requireStaff(ctx: GraphqlContext): void {
  if (ctx.viewer && !hasAnyRole(ctx.viewer, ["admin", "support"])) {
    throw new AppError(403, "you need to be administrator or support staff for this query");
  }
}

/** Whether the viewer may read tags of `scope`. */
export function canReadTag(ctx: GraphqlContext, scope: string): boolean {
  return !ctx.viewer || canReadTagScope(ctx.viewer, scope);
}

/** A database id from a GraphQL `ID`, or a 400 naming the value. */
export function parseId(value: unknown, what: string): number {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || !/^-?\d+$/.test(text.trim())) {
    throw new AppError(400, `invalid ${what} ${JSON.stringify(value)}: not an integer`);
  }
  const id = Number(text.trim());
  if (!Number.isSafeInteger(id)) {
    throw new AppError(400, `invalid ${what} ${JSON.stringify(value)}: out of range`);
  }
  return id;
}
