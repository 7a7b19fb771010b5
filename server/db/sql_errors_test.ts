import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { AppError } from "../errors.ts";
import { jobTableSql } from "./migrations/schema_v11.ts";
import { sqlError } from "./sql_errors.ts";

function failure(sql: string): unknown {
  const db = new DatabaseSync(":memory:");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec(jobTableSql("job_cache"));
  db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
  db.exec("CREATE TABLE child (p INTEGER REFERENCES parent (id))");
  db.exec(
    "INSERT INTO job_cache (job_id, cluster, subcluster, hpc_user, project, duration, walltime, " +
      "job_state, resources, num_nodes, shared) VALUES (1, 'c', 's', 'u', 'p', 0, 0, 'running', '[]', 1, 'none')",
  );
  try {
    db.exec(sql);
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
  throw new Error(`expected ${sql} to fail`);
}

const INSERT = "INSERT INTO job_cache (job_id, cluster, subcluster, hpc_user, project, duration, " +
  "walltime, job_state, resources, num_nodes, shared, smt) VALUES ";

Deno.test("sqlError() maps a CHECK failure to 400 naming field and value", () => {
  const error = sqlError(
    "cannot insert job 2",
    failure(`${INSERT} (2, 'c', 's', 'u', 'p', 0, 0, 'out-of-memory', '[]', 1, 'none', 1)`),
    { values: { job_state: "out-of-memory" } },
  );
  assert.equal(error.status, 400);
  assert.equal(
    error.message,
    'cannot insert job 2: invalid value "out-of-memory" for field "job_state"',
  );
  const smt = sqlError(
    "x",
    failure(`${INSERT} (3, 'c', 's', 'u', 'p', 0, 0, 'running', '[]', 1, 'none', 2)`),
  );
  assert.equal(smt.message, 'x: invalid value for field "smt"');
});

Deno.test("sqlError() maps UNIQUE to 422, NOT NULL and foreign keys to 400", () => {
  const unique = sqlError(
    "dup",
    failure(`${INSERT} (1, 'c', 's', 'u', 'p', 0, 0, 'running', '[]', 1, 'none', 1)`),
  );
  assert.equal(unique.status, 422);
  assert.equal(
    unique.message,
    "dup: a row with the same (job_id, cluster, start_time) already exists",
  );
  const notNull = sqlError("nn", failure("INSERT INTO job_cache (job_id) VALUES (5)"));
  assert.equal(notNull.status, 400);
  assert.match(notNull.message, /^nn: field "\w+" must not be null$/);
  const fk = sqlError("fk", failure("INSERT INTO child VALUES (9)"));
  assert.equal(fk.message, "fk: a referenced row does not exist");
});

Deno.test("sqlError() keeps AppErrors and wraps anything else as 500", () => {
  const original = new AppError(404, "gone");
  assert.equal(sqlError("x", original), original);
  const other = sqlError("cannot read", failure("SELECT * FROM nowhere"));
  assert.equal(other.status, 500);
  assert.equal(other.message, "cannot read: no such table: nowhere");
});
