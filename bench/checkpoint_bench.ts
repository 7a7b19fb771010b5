/**
 * Checkpoint benchmarks of the metric store: snapshot and restore of a
 * store of 100 million points (256 hosts × 154 series, built in-process),
 * written as binary snapshots (fsynced) and restored into a new store.
 * Target: restore under 10 s on 2 cores. (The files are in the page cache
 * when restored.) The WAL's cost on ingest is wal_ingest_bench.ts.
 *
 * Usage: deno run -A bench/checkpoint_bench.ts [snapshot|ingest|all] [points]
 *
 * @module
 */
import { MemoryStore } from "../server/metricstore/mod.ts";
import { Checkpointer } from "../server/metricstore/checkpointer.ts";
import { restoreCheckpoints } from "../server/metricstore/checkpoint_restore.ts";
import {
  benchRegistry,
  NODE_METRICS,
  SERIES_PER_HOST,
  T0,
  THREAD_METRICS,
  THREADS,
} from "./ingest_input.ts";
import { benchCheckpointIngest } from "./wal_ingest_bench.ts";

async function dirBytes(dir: string): Promise<number> {
  let n = 0;
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    n += e.isDirectory ? await dirBytes(path) : (await Deno.stat(path)).size;
  }
  return n;
}

/** Snapshot and restore speed of a store of about `points` points. */
export async function benchCheckpointSnapshot(
  points = 100_000_000,
): Promise<{ snapshotSeconds: number; restoreSeconds: number }> {
  const hosts = 256;
  const perSeries = Math.ceil(points / (hosts * SERIES_PER_HOST));
  const timestep = 10;
  const end = T0 + perSeries * timestep;
  const dir = await Deno.makeTempDir({ prefix: "cc-checkpoint-bench-" });
  try {
    let store: MemoryStore | null = new MemoryStore(benchRegistry(timestep));
    const built = performance.now();
    for (let h = 0; h < hosts; h++) {
      const host = store.ensureLevel(["bench", `n${String(h).padStart(4, "0")}`]);
      const levels = [{ level: host, from: 0, to: NODE_METRICS }];
      for (let t = 0; t < THREADS; t++) {
        levels.push({
          level: store.ensureChild(host, `hwthread${t}`),
          from: NODE_METRICS,
          to: NODE_METRICS + THREAD_METRICS,
        });
      }
      for (const { level, from, to } of levels) {
        for (let m = from; m < to; m++) {
          for (let i = 0; i < perSeries; i++) {
            // Every 97th sample missing: NaN gaps as in real data.
            if (i % 97 !== 13) {
              store.writeSample(level, m, T0 + i * timestep, (i % 1000) * 0.25 + m);
            }
          }
        }
      }
    }
    const stored = store.points;
    console.log(
      `checkpoint: built ${(stored / 1e6).toFixed(1)} M points (${hosts} hosts × ` +
        `${SERIES_PER_HOST} series × ${perSeries}) in ${
          ((performance.now() - built) / 1000).toFixed(1)
        } s, ${(store.bytesInUse / 1e9).toFixed(2)} GB`,
    );

    const checkpointer = new Checkpointer(store, {
      directory: dir,
      format: "wal",
      intervalSeconds: 3600,
      retentionSeconds: 10 * 86400,
      now: () => end,
      workers: 2,
    });
    checkpointer.lastCheckpoint = 0;
    const s0 = performance.now();
    const written = await checkpointer.checkpoint();
    const snapshotSeconds = (performance.now() - s0) / 1000;
    await checkpointer.journal.close();
    const bytes = await dirBytes(dir);
    console.log(
      `checkpoint: snapshot of ${written.files} hosts, ${
        (written.points / 1e6).toFixed(1)
      } M values ` +
        `(${(bytes / 1e6).toFixed(0)} MB, fsynced) in ${snapshotSeconds.toFixed(2)} s = ${
          (written.points / snapshotSeconds / 1e6).toFixed(1)
        } M values/s`,
    );
    const sample = store.read(["bench", "n0100", "hwthread7"], "thread_m1", { from: T0, to: end });
    store = null;

    const restored = new MemoryStore(benchRegistry(timestep));
    const r0 = performance.now();
    const result = await restoreCheckpoints(restored, { directory: dir, from: T0 - 1, workers: 4 });
    const restoreSeconds = (performance.now() - r0) / 1000;
    const again = restored.read(["bench", "n0100", "hwthread7"], "thread_m1", {
      from: T0,
      to: end,
    });
    const same = sample !== null && again !== null && sample.data.length === again.data.length &&
      sample.data.every((v, i) => Object.is(v, again.data[i]));
    console.log(
      `checkpoint: restore of ${(result.points / 1e6).toFixed(1)} M values from ${result.files} ` +
        `files in ${restoreSeconds.toFixed(2)} s = ${
          (result.points / restoreSeconds / 1e6).toFixed(1)
        } M values/s (target: 100 M in < 10 s on 2 cores); store holds ${
          (restored.points / 1e6).toFixed(1)
        } M points; sample series identical: ${same}`,
    );
    return { snapshotSeconds, restoreSeconds };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Every checkpoint benchmark. */
export async function benchCheckpoints(): Promise<void> {
  await benchCheckpointSnapshot();
  await benchCheckpointIngest();
}

if (import.meta.main) {
  const [mode, ...rest] = Deno.args;
  if (mode === "snapshot") {
    await benchCheckpointSnapshot(Number(rest[0] ?? 100_000_000));
  } else if (mode === "ingest") {
    await benchCheckpointIngest({
      batches: Number(rest[0] ?? 400),
      linesPerBatch: Number(rest[1] ?? 10_000),
      concurrency: Number(rest[2] ?? 2),
    });
  } else {
    await benchCheckpoints();
  }
}
