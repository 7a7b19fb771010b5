import assert from "node:assert/strict";
import { join } from "node:path";
import { zstdDecompressSync } from "node:zlib";
import { parquetReadObjects } from "hyparquet";
import type { NodestateRetentionConfig } from "../config/mod.ts";
import { nodeStateRetentionProblem, runNodeStateRetention } from "./node_state_retention.ts";
import { localDate } from "./parquet_files.ts";
import { addNodeState, type TaskSite, withTaskSite } from "./test_site.ts";

const NOW = 1_700_000_000;
const OLD = NOW - 30 * 3600;

function config(overrides: Partial<NodestateRetentionConfig> = {}): NodestateRetentionConfig {
  return { policy: "delete", age: 24, maxFileSizeMb: 128, ...overrides };
}

/**
 * f0101: three old rows; f0102: one old, one new; f0103: one old row (its
 * newest); f0104: two old rows with the same time stamp (the higher id is newest).
 */
function states(site: TaskSite): Record<string, number> {
  return {
    a1: addNodeState(site, "f0101", { timeStamp: OLD + 1, nodeState: "allocated" }),
    a2: addNodeState(site, "f0101", { timeStamp: OLD + 2, healthMetrics: { missing: ["mem"] } }),
    a3: addNodeState(site, "f0101", { timeStamp: OLD + 3 }),
    b1: addNodeState(site, "f0102", { timeStamp: OLD + 1, jobsRunning: 2, cpusAllocated: 64 }),
    b2: addNodeState(site, "f0102", { timeStamp: NOW - 10 }),
    c1: addNodeState(site, "f0103", { timeStamp: OLD }),
    d1: addNodeState(site, "f0104", { timeStamp: OLD + 5, memoryAllocated: 2 ** 40 }),
    d2: addNodeState(site, "f0104", { timeStamp: OLD + 5 }),
  };
}

function remaining(site: TaskSite): number[] {
  return site.db.prepare("SELECT id FROM node_state ORDER BY id").all().map((r) => Number(r.id));
}

Deno.test("node-state retention delete keeps the newest row of every node", async () => {
  await withTaskSite(async (site) => {
    const s = states(site);
    const result = await runNodeStateRetention({ db: site.db, config: config(), now: NOW });
    assert.deepEqual(result, {
      policy: "delete",
      cutoff: NOW - 24 * 3600,
      written: 0,
      deleted: 4,
      files: [],
    });
    assert.deepEqual(remaining(site), [s.a3, s.b2, s.c1, s.d2]);
    assert.deepEqual(
      site.nodes.latestStates().map((n) => [n.hostname, n.state.id]),
      [["f0101", s.a3], ["f0102", s.b2], ["f0103", s.c1], ["f0104", s.d2]],
    );
  });
});

Deno.test("node-state retention move writes the rows to Parquet, then deletes exactly them", async () => {
  await withTaskSite(async (site) => {
    const s = states(site);
    const target = join(site.dir, "nodestates");
    const result = await runNodeStateRetention({
      db: site.db,
      config: config({ policy: "move", targetKind: "file", targetPath: target }),
      now: NOW,
    });
    const name = `cc-nodestate-${localDate(NOW)}-001.parquet`;
    assert.deepEqual(result.files, [join(target, name)]);
    assert.deepEqual([result.written, result.deleted], [4, 4]);
    assert.deepEqual(remaining(site), [s.a3, s.b2, s.c1, s.d2]);
    const rows = await parquetReadObjects({
      file: (await Deno.readFile(join(target, name))).buffer,
      compressors: { ZSTD: (input: Uint8Array) => new Uint8Array(zstdDecompressSync(input)) },
    });
    assert.deepEqual(rows, [
      row("f0101", OLD + 1, { node_state: "allocated" }),
      row("f0101", OLD + 2, { health_metrics: '{"missing":["mem"]}' }),
      row("f0102", OLD + 1, { jobs_running: 2, cpus_allocated: 64 }),
      row("f0104", OLD + 5, { memory_allocated: 2n ** 40n }),
    ]);
  });
});

function row(hostname: string, time: number, overrides: Record<string, unknown>) {
  return {
    time_stamp: BigInt(time),
    node_state: "idle",
    health_state: "full",
    health_metrics: null,
    cpus_allocated: 0,
    memory_allocated: 0n,
    gpus_allocated: 0,
    jobs_running: 0,
    hostname,
    cluster: "fritz",
    subcluster: "main",
    ...overrides,
  };
}

Deno.test("node-state retention move splits files and does nothing without old rows", async () => {
  await withTaskSite(async (site) => {
    for (let i = 0; i < 6; i++) addNodeState(site, "f0101", { timeStamp: OLD + i });
    const target = join(site.dir, "nodestates");
    const move = config({ policy: "move", targetPath: target, maxFileSizeMb: 0.0003 });
    const result = await runNodeStateRetention({ db: site.db, config: move, now: NOW });
    assert.equal(result.written, 5);
    assert.ok(result.files.length >= 2, `expected several files, got ${result.files.length}`);
    const again = await runNodeStateRetention({ db: site.db, config: move, now: NOW });
    assert.deepEqual([again.written, again.deleted, again.files], [0, 0, []]);
  });
});

Deno.test("node-state retention refuses a move without a usable target", async () => {
  assert.equal(nodeStateRetentionProblem(config()), undefined);
  assert.match(nodeStateRetentionProblem(config({ policy: "move" }))!, /needs a target-path/);
  assert.match(
    nodeStateRetentionProblem(config({ policy: "move", targetKind: "s3", targetBucket: "b" }))!,
    /s3 is not supported/,
  );
  await withTaskSite(async (site) => {
    await assert.rejects(
      runNodeStateRetention({ db: site.db, config: config({ policy: "move" }), now: NOW }),
      /node-state retention move: policy move needs a target-path/,
    );
  });
});
