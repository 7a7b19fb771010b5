import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { AppError } from "../../errors.ts";
import { setLogSink } from "../../log/logger.ts";
import { withTempDb } from "../test_db.ts";
import { migrateDown, migrateUp } from "./migrate.ts";
import { readVersion, writeVersion } from "./version.ts";

/** The index names listed in the reference's description of schema v11, typed out independently. */
const DOC_INDEXES = [
  "jobs_cluster_user",
  "jobs_cluster_project",
  "jobs_cluster_subcluster",
  "jobs_cluster_numnodes",
  "jobs_cluster_numhwthreads",
  "jobs_cluster_numacc",
  "jobs_cluster_energy",
  "jobs_cluster_duration_starttime",
  "jobs_cluster_starttime_duration",
  "jobs_cluster_partition_user",
  "jobs_cluster_partition_project",
  "jobs_cluster_partition_jobstate",
  "jobs_cluster_partition_shared",
  "jobs_cluster_partition_duration_starttime",
  "jobs_cluster_partition_starttime_duration",
  "jobs_cluster_jobstate_starttime_duration",
  "jobs_cluster_jobstate_duration_starttime",
  "jobs_cluster_shared_user",
  "jobs_cluster_shared_project",
  "jobs_cluster_shared_starttime_duration",
  "jobs_cluster_shared_duration_starttime",
  "jobs_user_starttime_duration",
  "jobs_user_duration_starttime",
  "jobs_project_user",
  "jobs_project_starttime_duration",
  "jobs_project_duration_starttime",
  "jobs_jobstate_user",
  "jobs_jobstate_project",
  "jobs_jobstate_starttime_duration",
  "jobs_jobstate_duration_starttime",
  "jobs_shared_user",
  "jobs_shared_project",
  "jobs_shared_starttime_duration",
  "jobs_shared_duration_starttime",
  "jobs_arrayjobid_starttime",
  "jobs_duration_starttime",
  "jobs_numnodes_starttime",
  "jobs_numhwthreads_starttime",
  "jobs_numacc_starttime",
  "jobs_energy_starttime",
  "jobs_starttime_duration",
  "jobs_numnodes_duration",
  "jobs_numhwthreads_duration",
  "jobs_numacc_duration",
  "jobs_energy_duration",
  "jobs_starttime",
  "jobs_cluster_user_starttime_stats",
  "jobs_cluster_project_starttime_stats",
  "jobs_cluster_jobstate_user_stats",
  "jobs_cluster_jobstate_project_stats",
  "jobs_cluster_jobstate_subcluster_stats",
  "jobs_running_user_stats",
  "jobs_running_project_stats",
  "jobs_running_subcluster_stats",
  "nodes_cluster",
  "nodes_cluster_subcluster",
  "nodestates_timestamp",
  "nodestates_state_timestamp",
  "nodestates_health_timestamp",
  "nodestates_nodeid_state",
  "nodestates_nodeid_health",
  "nodestates_nodeid_timestamp",
  "tags_jobid",
  "tags_tagid",
  "version_unique",
].sort();

/** The named indexes of the v10 fixture. */
const FIXTURE_INDEXES = [
  "jobs_cluster_jobstate_submittime",
  "jobs_cluster_partition_jobstate_submittime",
  "jobs_cluster_partition_submittime",
  "jobs_cluster_submittime",
  "nodes_cluster",
  "nodes_cluster_subcluster",
  "nodestates_health",
  "nodestates_nodeid_health",
  "nodestates_nodeid_state",
  "nodestates_state",
  "tags_jobid",
  "tags_tagid",
  "version_unique",
];

const TABLES = ["job", "job_cache", "tag", "jobtag", "hpc_user", "configuration", "node"];

function namedIndexes(db: DatabaseSync): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    .all().map((r) => String(r.name)).sort();
}

/** Everything that defines the shape of the schema, normalised for comparison. */
function shape(db: DatabaseSync): unknown {
  const tables = [...TABLES, "node_state"].map((t) => ({
    t,
    columns: db.prepare("SELECT * FROM pragma_table_info(?)").all(t).map((c) => ({
      ...c,
      type: String(c.type).toUpperCase(),
      dflt_value: c.dflt_value === null ? null : String(c.dflt_value).replaceAll('"', "'"),
    })),
    unique: db.prepare('SELECT origin, "unique", partial FROM pragma_index_list(?)').all(t)
      .length,
    foreignKeys: db.prepare("SELECT * FROM pragma_foreign_key_list(?)").all(t),
  }));
  const indexes = namedIndexes(db).map((name) => ({
    name,
    columns: db.prepare("SELECT name, desc FROM pragma_index_xinfo(?) WHERE key = 1").all(name),
    partial: /WHERE/i.test(String(
      db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(name)?.sql,
    )),
  }));
  return { tables, indexes };
}

function snapshot(db: DatabaseSync): Record<string, unknown[]> {
  const result: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    result[table] = db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
  }
  result.node_state = db.prepare(
    "SELECT id, time_stamp, jobs_running, cpus_allocated, memory_allocated, gpus_allocated, " +
      "node_state, health_state, node_id FROM node_state ORDER BY id",
  ).all();
  result.types = db.prepare(
    "SELECT typeof(meta_data), typeof(resources), typeof(footprint), COUNT(*) FROM job GROUP BY 1, 2, 3",
  ).all();
  return result;
}

function jobTableSql(db: DatabaseSync): string {
  return String(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'job'").get()?.sql);
}

Deno.test("migrateUp() creates schema 11 with the documented index set in an empty database", async () => {
  await withTempDb((db) => {
    assert.deepEqual(readVersion(db), { version: 11, dirty: false });
    assert.deepEqual(namedIndexes(db), DOC_INDEXES);
    assert.equal(namedIndexes(db).filter((n) => n.startsWith("jobs_")).length, 54);
    const fk = db.prepare("PRAGMA foreign_keys").get();
    assert.equal(fk?.foreign_keys, 1);
    assert.deepEqual(migrateUp(db), { from: 11, to: 11 });
  });
});

Deno.test("migrateUp() takes the v10 fixture to 11, back to 10 and up again losing nothing", async (t) => {
  await withTempDb(async (db) => {
    const before = snapshot(db);
    assert.equal(before.job.length, 544);
    assert.deepEqual(namedIndexes(db), FIXTURE_INDEXES);
    assert.match(jobTableSql(db), /'out-of-memory'/);
    const v10Columns = db.prepare("SELECT name FROM pragma_table_info('node_state')").all();

    await t.step("10 → 11", () => {
      assert.deepEqual(migrateUp(db), { from: 10, to: 11 });
      assert.deepEqual(readVersion(db), { version: 11, dirty: false });
      assert.deepEqual(snapshot(db), before);
      assert.deepEqual(namedIndexes(db), DOC_INDEXES);
      assert.match(jobTableSql(db), /'out_of_memory'/);
      assert.doesNotMatch(jobTableSql(db), /out-of-memory/);
      assert.deepEqual(db.prepare("PRAGMA foreign_key_check").all(), []);
      assert.equal(db.prepare("PRAGMA integrity_check").get()?.integrity_check, "ok");
    });

    await t.step("the migrated schema equals a freshly created one", async () => {
      await withTempDb((fresh) => assert.deepEqual(shape(db), shape(fresh)));
    });

    await t.step("11 → 10", () => {
      assert.deepEqual(migrateDown(db), { from: 11, to: 10 });
      assert.deepEqual(readVersion(db), { version: 10, dirty: false });
      assert.deepEqual(snapshot(db), before);
      assert.deepEqual(namedIndexes(db), FIXTURE_INDEXES);
      assert.deepEqual(
        db.prepare("SELECT name FROM pragma_table_info('node_state')").all(),
        v10Columns,
      );
    });

    await t.step("10 → 11 again", async () => {
      assert.deepEqual(migrateUp(db), { from: 10, to: 11 });
      assert.deepEqual(snapshot(db), before);
      await withTempDb((fresh) => assert.deepEqual(shape(db), shape(fresh)));
    });
  }, { fixture: true, migrate: false });
});

Deno.test("migrateDown() drops health_metrics; migrateUp() re-adds it keeping the rows", async () => {
  await withTempDb((db) => {
    migrateUp(db);
    db.prepare("UPDATE node_state SET health_metrics = ? WHERE id = 1").run('["mem"]');
    migrateDown(db);
    migrateUp(db);
    const row = db.prepare("SELECT id, node_id, health_metrics FROM node_state").get();
    assert.deepEqual({ ...row }, { id: 1, node_id: 1, health_metrics: null });
  }, { fixture: true, migrate: false });
});

Deno.test("migrateUp() leaves the version dirty when a step fails", async () => {
  await withTempDb((db) => {
    db.exec("DROP TABLE node_state");
    assert.throws(() => migrateUp(db), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.match(error.message, /migration to version 11 failed: table node_state is missing/);
      return true;
    });
    assert.deepEqual(readVersion(db), { version: 11, dirty: true });
    // The transaction rolled back: the job table still has the old CHECK.
    assert.match(jobTableSql(db), /'out-of-memory'/);
    assert.throws(() => migrateUp(db), /version 11 is dirty.*-force-db/);
    assert.throws(() => migrateDown(db), /version 11 is dirty/);
  }, { fixture: true, migrate: false });
});

Deno.test("migrateUp() rejects versions it cannot handle", async (t) => {
  await withTempDb(async (db) => {
    for (const version of [1, 5, 9]) {
      await t.step(`version ${version}`, () => {
        writeVersion(db, version, { dirty: false });
        assert.throws(
          () => migrateUp(db),
          new RegExp(
            `database version ${version} is older than 10; migrate it with cc-backend 1.5`,
          ),
        );
      });
    }
    await t.step("version 12", () => {
      writeVersion(db, 12, { dirty: false });
      assert.throws(() => migrateUp(db), /version 12 up to 11: it is already newer/);
      assert.throws(() => migrateDown(db), /only version 11 can be reverted/);
    });
  }, { migrate: false });
});

Deno.test("migrateUp() refuses a database with tables but no recorded version", async () => {
  await withTempDb((db) => {
    db.exec("CREATE TABLE job (id INTEGER PRIMARY KEY)");
    assert.throws(() => migrateUp(db), /has tables \(job\) but no recorded schema version/);
    assert.deepEqual(readVersion(db), { version: null, dirty: false });
  }, { migrate: false });
});

Deno.test("migrateUp() drops legacy indexes and recreates a same-named index with other columns", async () => {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    await withTempDb((db) => {
      migrateDown(db);
      db.exec("CREATE INDEX jobs_user_energy ON job (hpc_user, energy)");
      db.exec("CREATE INDEX custom_idx ON job (walltime)");
      db.exec("DROP INDEX nodes_cluster");
      db.exec("CREATE INDEX nodes_cluster ON node (subcluster)");
      migrateUp(db);
      const names = namedIndexes(db);
      assert.deepEqual(names.filter((n) => n !== "custom_idx"), DOC_INDEXES);
      const cols = db.prepare("SELECT name FROM pragma_index_info('nodes_cluster')").all();
      assert.deepEqual(cols.map((c) => c.name), ["cluster"]);
      assert.ok(lines.some((l) => l.includes("custom_idx")), "warns about unknown index");
    }, { fixture: true });
  } finally {
    setLogSink(previous);
  }
});

Deno.test("migrateDown() refuses an open transaction and versions other than 11", async () => {
  await withTempDb((db) => {
    db.exec("BEGIN");
    assert.throws(() => migrateDown(db), /inside an open transaction/);
    db.exec("ROLLBACK");
    migrateDown(db);
    assert.throws(() => migrateDown(db), /cannot revert database version 10/);
  });
});
