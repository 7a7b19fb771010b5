/**
 * Test support: temporary databases, empty or copied from the v10 fixture,
 * removed afterwards. Used only by the `*_test.ts` files of this folder.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { Job } from "../archive/types.ts";
import { openDatabase } from "./connection.ts";
import { migrateUp } from "./migrations/migrate.ts";

/** The cc-backend test database (schema version 10, 544 jobs). */
export const FIXTURE_DB = new URL("../../tests/fixtures/db/job.db", import.meta.url);

/** Options of {@link withTempDb}. */
export interface TempDbOptions {
  /** Start from a copy of the v10 fixture instead of an empty file. */
  fixture?: boolean;
  /** Run `migrateUp` before handing the database over (default true). */
  migrate?: boolean;
}

/** Runs `fn` with a database in a fresh temp directory, then closes and removes it. */
export async function withTempDb(
  fn: (db: DatabaseSync, path: string) => void | Promise<void>,
  options: TempDbOptions = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ccdb_test_" });
  const path = `${dir}/job.db`;
  try {
    if (options.fixture) await Deno.copyFile(FIXTURE_DB, path);
    const db = openDatabase(path, { dbConfig: { cacheSizeMb: 16 } });
    try {
      if (options.migrate ?? true) migrateUp(db);
      await fn(db, path);
    } finally {
      if (db.isOpen) db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A complete, valid job; `overrides` replace single fields. */
export function sampleJob(overrides: Partial<Job> = {}): Job {
  return {
    jobId: 1000,
    user: "alice",
    project: "proj1",
    cluster: "fritz",
    subCluster: "main",
    partition: "work",
    arrayJobId: 7,
    numNodes: 2,
    numHwthreads: 144,
    numAcc: 0,
    shared: "none",
    monitoringStatus: 1,
    smt: 1,
    jobState: "completed",
    submitTime: 1700000000,
    startTime: 1700000100,
    duration: 3600,
    walltime: 7200,
    resources: [{ hostname: "f0101", hwthreads: [0, 1, 2] }, { hostname: "f0102" }],
    metaData: { jobName: "sim", jobScript: "#!/bin/bash\necho hi" },
    footprint: { flops_any_avg: 12.5, mem_bw_avg: 80 },
    energyFootprint: { cpu_power: 1.25 },
    energy: 2.5,
    ...overrides,
  };
}
