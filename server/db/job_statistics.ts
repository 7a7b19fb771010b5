/**
 * Aggregates over the `job` table for cc-backend's `jobsStatistics`: totals
 * (overall or grouped by user, project, cluster or subcluster), the
 * duration histogram, histograms of node/core/accelerator counts and of
 * footprint values. Each is one SQL statement under the same filters and
 * visibility condition as the job list, written so that SQLite can answer it
 * from the covering `*_stats` indexes.
 *
 * Running jobs count with their live duration `now - start_time` (the stored
 * column is stale while a job runs).
 *
 * @module
 */

import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import {
  type FilterContext,
  footprintPath,
  jobWhereClause,
  type JobWhereOptions,
} from "./job_filter_sql.ts";
import { type Row, Statements } from "./statements.ts";

/** The aggregate fields of a statistics row. */
export const STAT_FIELDS = [
  "totalJobs",
  "totalUsers",
  "totalWalltime",
  "totalNodes",
  "totalNodeHours",
  "totalCores",
  "totalCoreHours",
  "totalAccs",
  "totalAccHours",
  "runningJobs",
  "shortJobs",
] as const;

/** One of {@link STAT_FIELDS}. */
export type StatField = typeof STAT_FIELDS[number];

/** Aggregates of one group (or of all matching jobs); hours are truncated to integers. */
export type JobTotals = Record<StatField, number> & { id: string };

/** The columns jobs can be grouped by (GraphQL `Aggregate`). */
export const GROUP_COLUMNS = {
  USER: "job.hpc_user",
  PROJECT: "job.project",
  CLUSTER: "job.cluster",
  SUBCLUSTER: "job.subcluster",
} as const;

/** A key of {@link GROUP_COLUMNS}. */
export type GroupBy = keyof typeof GROUP_COLUMNS;

/** Columns of {@link JobStatistics.countHistogram}. */
export const COUNT_COLUMNS = {
  numNodes: "job.num_nodes",
  numHWThreads: "job.num_hwthreads",
  numAcc: "job.num_acc",
} as const;

/** One point of a histogram over values that occur. */
export interface HistogramPoint {
  value: number;
  count: number;
}

/** One bin of a footprint histogram: `[min, max)` in the metric's unit. */
export interface FootprintBin {
  bin: number;
  count: number;
  min: number;
  max: number;
}

/** Options of a {@link JobStatistics}. */
export interface JobStatisticsOptions {
  /** Unix seconds (default: the wall clock). */
  now?: () => number;
  /** Footprint keys that filters and histograms may use, or their source. */
  footprintKeys?: ReadonlySet<string> | (() => ReadonlySet<string>);
  /** Jobs shorter than this many seconds are "short" (config `short-running-jobs-duration`). */
  shortJobSeconds?: number;
}

/** The SQL of each aggregate over the subquery columns `d` (live duration), `u`, `n`, `c`, `a`, `s`. */
const AGGREGATES: Record<StatField, string> = {
  totalJobs: "COUNT(*)",
  totalUsers: "COUNT(DISTINCT u)",
  totalWalltime: "CAST(SUM(d) / 3600 AS INTEGER)",
  totalNodes: "SUM(n)",
  totalNodeHours: "CAST(SUM(d * n) / 3600 AS INTEGER)",
  totalCores: "SUM(c)",
  totalCoreHours: "CAST(SUM(d * c) / 3600 AS INTEGER)",
  totalAccs: "SUM(a)",
  totalAccHours: "CAST(SUM(d * a) / 3600 AS INTEGER)",
  runningJobs: "COUNT(CASE WHEN s = 'running' THEN 1 END)",
  shortJobs: "COUNT(CASE WHEN d < :short THEN 1 END)",
};

/** Sums in seconds (merged, then truncated to hours) for {@link JobStatistics} over all jobs. */
const RAW_AGGREGATES: Record<StatField, string> = {
  ...AGGREGATES,
  totalWalltime: "SUM(d)",
  totalNodeHours: "SUM(d * n)",
  totalCoreHours: "SUM(d * c)",
  totalAccHours: "SUM(d * a)",
};

const HOUR_FIELDS: ReadonlySet<StatField> = new Set([
  "totalWalltime",
  "totalNodeHours",
  "totalCoreHours",
  "totalAccHours",
]);

/** Covering stats indexes that start with the cluster and then the group column. */
const CLUSTER_FIRST_INDEXES: Partial<Record<GroupBy, string>> = {
  USER: "jobs_cluster_user_starttime_stats",
  PROJECT: "jobs_cluster_project_starttime_stats",
};

const LIVE_DURATION =
  "CASE WHEN job.job_state = 'running' THEN :now - job.start_time ELSE job.duration END";

/** Computes statistics over jobs under a visibility condition. */
export class JobStatistics {
  readonly #sql: Statements;
  readonly #now: () => number;
  readonly #footprintKeys?: ReadonlySet<string> | (() => ReadonlySet<string>);
  readonly #short: number;

  /** Queries `db`. */
  constructor(db: DatabaseSync, options: JobStatisticsOptions = {}) {
    this.#sql = new Statements(db);
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.#footprintKeys = options.footprintKeys;
    this.#short = options.shortJobSeconds ?? 300;
  }

  #context(): FilterContext {
    const keys = this.#footprintKeys;
    return { now: this.#now(), footprintKeys: typeof keys === "function" ? keys() : keys };
  }

  /**
   * The named parameters `sql` uses (node:sqlite refuses unknown ones);
   * integers as bigint so that SQLite does integer arithmetic.
   */
  #named(sql: string, context: FilterContext, extra: Record<string, SQLInputValue> = {}) {
    const all: Record<string, SQLInputValue> = {
      now: BigInt(Math.floor(context.now)),
      short: BigInt(Math.floor(this.#short)),
      ...extra,
    };
    const named: Record<string, SQLInputValue> = {};
    for (const [, name] of sql.matchAll(/:([a-z]+)/g)) named[name] = all[name];
    return named;
  }

  /**
   * The subquery of matching jobs with the columns the aggregates read, so
   * the live duration is written once; SQLite flattens it into the outer query.
   */
  #source(options: JobWhereOptions, group: string | null): {
    sql: string;
    params: SQLInputValue[];
    context: FilterContext;
  } {
    const context = this.#context();
    const { where, params } = jobWhereClause(options, context);
    const g = group ? `${group} AS g, ` : "";
    const sql = `(SELECT ${g}${LIVE_DURATION} AS d, job.hpc_user AS u, job.num_nodes AS n, ` +
      `job.num_hwthreads AS c, job.num_acc AS a, job.job_state AS s FROM job${where})`;
    return { sql, params, context };
  }

  #totals(row: Row | undefined, fields: ReadonlySet<StatField>): JobTotals {
    const totals = { id: row?.g === undefined || row.g === null ? "" : String(row.g) } as JobTotals;
    for (const field of STAT_FIELDS) {
      totals[field] = fields.has(field) ? Number(row?.[field] ?? 0) : 0;
    }
    return totals;
  }

  #select(fields: ReadonlySet<StatField>): string {
    const wanted = STAT_FIELDS.filter((f) => fields.has(f));
    if (wanted.length === 0) wanted.push("totalJobs");
    return wanted.map((f) => `${AGGREGATES[f]} AS ${f}`).join(", ");
  }

  /** The requested aggregates over all matching jobs (unrequested ones are 0). */
  totals(options: JobWhereOptions, fields: ReadonlySet<StatField>): JobTotals {
    const source = this.#source(options, null);
    const sql = `SELECT ${this.#select(fields)} FROM ${source.sql}`;
    const row = this.#sql.get(sql).get(this.#named(sql, source.context), ...source.params);
    return this.#totals(row as Row | undefined, fields);
  }

  /** The requested aggregates per group, in ascending order of the group value. */
  grouped(options: JobWhereOptions, groupBy: GroupBy, fields: ReadonlySet<StatField>): JobTotals[] {
    const column = GROUP_COLUMNS[groupBy];
    if (!column) throw new Error(`unknown group ${JSON.stringify(groupBy)}`);
    const index = CLUSTER_FIRST_INDEXES[groupBy];
    const mergeable = !(groupBy === "PROJECT" && fields.has("totalUsers"));
    if (index && mergeable && jobWhereClause(options, this.#context()).where === "") {
      return this.#groupedPerCluster(column, index, fields);
    }
    const source = this.#source(options, column);
    const sql = `SELECT g, ${this.#select(fields)} FROM ${source.sql} ` +
      "WHERE g IS NOT NULL GROUP BY g ORDER BY g";
    const rows = this.#sql.get(sql).all(
      this.#named(sql, source.context),
      ...source.params,
    ) as Row[];
    return rows.map((row) => this.#totals(row, fields));
  }

  /**
   * Grouping over all jobs (no condition at all): SQLite would walk an index
   * in group order and read every table row for the other columns. Instead
   * the covering `(cluster, group, ...)` stats index is scanned in its own
   * order, grouped by cluster and group, and the per-cluster sums merged
   * here; hours are truncated after merging, so results are identical.
   */
  #groupedPerCluster(column: string, index: string, fields: ReadonlySet<StatField>): JobTotals[] {
    const context = this.#context();
    const wanted = STAT_FIELDS.filter((f) => fields.has(f));
    if (wanted.length === 0) wanted.push("totalJobs");
    const select = wanted.map((f) => `${RAW_AGGREGATES[f]} AS ${f}`).join(", ");
    const sql = `SELECT g, ${select} FROM (SELECT job.cluster AS k, ${column} AS g, ` +
      `${LIVE_DURATION} AS d, job.hpc_user AS u, job.num_nodes AS n, job.num_hwthreads AS c, ` +
      `job.num_acc AS a, job.job_state AS s FROM job INDEXED BY ${index}) ` +
      "WHERE g IS NOT NULL GROUP BY k, g";
    const sums = new Map<string, Record<StatField, number>>();
    for (const row of this.#sql.get(sql).all(this.#named(sql, context)) as Row[]) {
      const id = String(row.g);
      let total = sums.get(id);
      if (!total) {
        sums.set(
          id,
          total = Object.fromEntries(STAT_FIELDS.map((f) => [f, 0])) as Record<StatField, number>,
        );
      }
      for (const f of wanted) {
        const v = Number(row[f] ?? 0);
        // One user per (cluster, user) partial: distinct users do not add up.
        total[f] = f === "totalUsers" ? Math.max(total[f], v) : total[f] + v;
      }
    }
    return [...sums.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((id) => {
      const total = sums.get(id)!;
      const out = { id } as JobTotals;
      for (const f of STAT_FIELDS) {
        const v = fields.has(f) ? total[f] : 0;
        out[f] = HOUR_FIELDS.has(f) ? Math.trunc(v / 3600) : v;
      }
      return out;
    });
  }

  /**
   * Jobs per duration bin: bin `b` (1..`bins`) counts live durations in
   * `[(b-1)·binSeconds, b·binSeconds)` and is reported with value
   * `b·binSeconds`; longer jobs are not counted. Every bin is present.
   */
  durationHistogram(
    options: JobWhereOptions,
    bins: { binSeconds: number; bins: number },
  ): HistogramPoint[] {
    const source = this.#source(options, null);
    const sql = `SELECT d / :size + 1 AS b, COUNT(*) AS n FROM ${source.sql} ` +
      "WHERE d >= 0 GROUP BY b";
    const named = this.#named(sql, source.context, { size: BigInt(bins.binSeconds) });
    const counts = new Map<number, number>();
    for (const row of this.#sql.get(sql).all(named, ...source.params) as Row[]) {
      counts.set(Number(row.b), Number(row.n));
    }
    return Array.from({ length: bins.bins }, (_, i) => ({
      value: (i + 1) * bins.binSeconds,
      count: counts.get(i + 1) ?? 0,
    }));
  }

  /** Jobs per occurring value of a count column, ascending (NULL counts as 0). */
  countHistogram(options: JobWhereOptions, column: keyof typeof COUNT_COLUMNS): HistogramPoint[] {
    const context = this.#context();
    const { where, params } = jobWhereClause(options, context);
    const sql =
      `SELECT COALESCE(${COUNT_COLUMNS[column]}, 0) AS v, COUNT(*) AS n FROM job${where} ` +
      "GROUP BY v ORDER BY v";
    const rows = this.#sql.get(sql).all(...params) as Row[];
    return rows.map((row) => ({ value: Number(row.v), count: Number(row.n) }));
  }

  /**
   * Jobs per bin of a footprint value (cc-backend's rule): `bins` bins over
   * `[0, peak]`, bin = ⌊value / peak · bins⌋ + 1 with `peak` itself in the
   * last bin; values above the peak or missing are not counted. Bin limits
   * are reported in integer steps of ⌊peak⌋ / bins.
   */
  footprintHistogram(
    options: JobWhereOptions,
    spec: { key: string; peak: number; bins: number },
  ): FootprintBin[] {
    const context = this.#context();
    const path = footprintPath(spec.key, context, "build a metric histogram");
    const { where, params } = jobWhereClause(options, context);
    const guard = where
      ? `${where} AND json_valid(job.footprint)`
      : " WHERE json_valid(job.footprint)";
    const sql =
      "SELECT CASE WHEN v >= :peak THEN :bins ELSE CAST(v / :peak * :bins AS INTEGER) + 1 " +
      "END AS b, COUNT(*) AS n FROM (SELECT json_extract(job.footprint, :path) AS v FROM job" +
      `${guard}) WHERE v IS NOT NULL AND v <= :peak GROUP BY b`;
    const named = { peak: Number(spec.peak), bins: BigInt(spec.bins), path };
    const counts = new Map<number, number>();
    if (spec.peak > 0) {
      for (const row of this.#sql.get(sql).all(named, ...params) as Row[]) {
        counts.set(Number(row.b), Number(row.n));
      }
    }
    const step = Math.trunc(Math.trunc(spec.peak) / spec.bins);
    return Array.from({ length: spec.bins }, (_, i) => ({
      bin: i + 1,
      count: counts.get(i + 1) ?? 0,
      min: step * i,
      max: step * (i + 1),
    }));
  }

  /**
   * Per subcluster of `cluster`: how many distinct hosts running jobs use
   * (no visibility rule, as in cc-backend: it describes the machine, not jobs).
   */
  allocatedNodes(cluster: string): { name: string; count: number }[] {
    const rows = this.#sql.get(
      "SELECT job.subcluster AS name, COUNT(DISTINCT json_extract(r.value, '$.hostname')) AS n " +
        "FROM job, json_each(job.resources) r WHERE job.job_state = 'running' " +
        "AND job.cluster = ? AND json_valid(job.resources) GROUP BY job.subcluster " +
        "ORDER BY job.subcluster",
    ).all(cluster) as Row[];
    return rows.map((r) => ({ name: String(r.name), count: Number(r.n) }));
  }
}
