/**
 * Test support for checkpointing (not used by the program): temp
 * directories, a store with an ingestor wired to a checkpointer on a fake
 * clock, and a log capture.
 *
 * @module
 */
import { setLogSink } from "../log/logger.ts";
import { Checkpointer, type CheckpointerOptions } from "./checkpointer.ts";
import type { Ingestor } from "./ingest.ts";
import type { MemoryStore } from "./memory_store.ts";
import { body, testIngestor, values } from "./test_helpers.ts";

/** Runs `fn` with a fresh temp directory and removes it afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "cc-checkpoint-test-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A settable clock in unix seconds. */
export interface Clock {
  now: number;
}

/** A store, its ingestor and a checkpointer journaling it. */
export interface CheckpointSite {
  store: MemoryStore;
  ingestor: Ingestor;
  checkpointer: Checkpointer;
  /** Ingests lines (newline-joined) at the clock's time; throws on rejected lines. */
  ingest(...lines: string[]): void;
}

/** A new site on `dir` (format wal unless given). */
export function checkpointSite(
  dir: string,
  clock: Clock,
  options: Partial<CheckpointerOptions> = {},
): CheckpointSite {
  const { store, ingestor } = testIngestor();
  const checkpointer = new Checkpointer(store, {
    directory: dir,
    format: "wal",
    intervalSeconds: 3600,
    retentionSeconds: 1_000_000,
    now: () => clock.now,
    sync: false,
    ...options,
  });
  ingestor.setSampleSink(checkpointer.journal);
  return {
    store,
    ingestor,
    checkpointer,
    ingest: (...lines) => {
      const result = ingestor.ingest(body(...lines), { cluster: "fritz", now: clock.now });
      if (result.rejectedTotal > 0) throw new Error(JSON.stringify(result.rejected));
    },
  };
}

/** Every series (selector, metric) of the test data and its values over a wide range. */
export function readAll(
  store: MemoryStore,
  series: [string[], string][],
): Record<string, { from: number; to: number; data: number[] } | null> {
  const out: Record<string, { from: number; to: number; data: number[] } | null> = {};
  for (const [selector, metric] of series) {
    const r = store.read(selector, metric, { from: 0, to: 10_000_000 });
    out[`${selector.join(":")}/${metric}`] = r === null
      ? null
      : { from: r.from, to: r.to, data: values(r.data) };
  }
  return out;
}

/** Runs `fn` with log lines captured; returns them. */
export async function captureLog(fn: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    await fn();
  } finally {
    setLogSink(previous);
  }
  return lines;
}

/** Lines of the test data: node-, hwthread- and socket/memoryDomain-level series with gaps. */
export function sampleLines(from: number, count: number, step = 10): string[] {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const ts = from + i * step;
    if (i % 7 !== 3) lines.push(`cpu_load,hostname=f1 value=${i * 0.5} ${ts}`);
    for (const t of [0, 1]) {
      lines.push(`cpu_user,hostname=f1,type=hwthread,type-id=${t} value=${i + t * 0.25} ${ts}`);
    }
    if (i % 5 !== 1) {
      lines.push(
        `mem_bw,hostname=f1,type=socket,type-id=0,stype=memoryDomain,stype-id=1 value=${
          i * 2
        } ${ts}`,
      );
    }
    lines.push(`cpu_load,hostname=f2 value=${100 + i} ${ts}`);
  }
  return lines;
}

/** The series {@link sampleLines} writes. */
export const SAMPLE_SERIES: [string[], string][] = [
  [["fritz", "f1"], "cpu_load"],
  [["fritz", "f1", "hwthread0"], "cpu_user"],
  [["fritz", "f1", "hwthread1"], "cpu_user"],
  [["fritz", "f1"], "cpu_user"],
  [["fritz", "f1", "socket0", "memoryDomain1"], "mem_bw"],
  [["fritz", "f2"], "cpu_load"],
];
