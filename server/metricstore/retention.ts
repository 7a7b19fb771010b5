/**
 * Keeping the store's memory bounded: retention (free what is older than
 * `retention-in-memory`, except on hosts of running jobs) and the memory
 * cap (free the oldest buffers of the whole store when the store's memory
 * exceeds `memory-cap`), plus the timers that run both.
 *
 * Deliberate differences to cc-backend: hosts of running jobs stay excluded
 * from retention for as long as the jobs run (cc-backend frees them at the
 * next memory-tracker tick); the cap is checked against the store's own
 * accounting (slabs, buffers, levels) after every ingested body and every
 * 30 s, not against the process heap, and frees oldest-first across all
 * chains instead of in 25 % retention steps.
 *
 * @module
 */
import { log } from "../log/logger.ts";
import type { MetricBuffer } from "./buffer.ts";
import type { Level } from "./level.ts";
import type { MemoryStore } from "./memory_store.ts";

/** Hosts `[cluster, host]` of jobs running since before `startedBefore` (unix seconds). */
export type HostsInUse = (
  startedBefore: number,
) => Iterable<readonly [string, string]> | Promise<Iterable<readonly [string, string]>>;

/** What a retention pass did. */
export interface RetentionResult {
  /** Samples older than this were freed (unix seconds). */
  threshold: number;
  freedBuffers: number;
  keptHosts: number;
  /** Buffers moved by compaction. */
  movedBuffers: number;
}

/** Frees everything older than `now - retentionSeconds` except on the hosts in use. */
export async function runRetention(
  store: MemoryStore,
  options: { now: number; retentionSeconds: number; hostsInUse?: HostsInUse },
): Promise<RetentionResult> {
  const threshold = options.now - options.retentionSeconds;
  const keep = new Set<string>();
  if (options.hostsInUse) {
    for (const [cluster, host] of await options.hostsInUse(threshold)) {
      keep.add(`${cluster}\0${host}`);
    }
  }
  const freedBuffers = store.freeOlderThan(
    threshold,
    keep.size > 0 ? (cluster, host) => keep.has(`${cluster}\0${host}`) : undefined,
  );
  const movedBuffers = store.compact();
  return { threshold, freedBuffers, keptHosts: keep.size, movedBuffers };
}

/**
 * Frees the oldest buffers of the whole store (by end time, all chains
 * together) until at least `bytes` of buffer memory are released, then
 * compacts. Returns the number of buffers freed.
 */
export function freeOldest(store: MemoryStore, bytes: number): number {
  const count = store.allocator.buffersInUse;
  const ends = new Float64Array(count);
  const sizes = new Float64Array(count);
  let n = 0;
  const collect = (level: Level) => {
    for (const head of level.heads) {
      for (let b: MetricBuffer | null = head; b !== null; b = b.prev) {
        ends[n] = b.end();
        sizes[n++] = b.home.pool.bytesPerBuffer;
      }
    }
    for (const child of level.children?.values() ?? []) collect(child);
  };
  collect(store.root);
  if (n === 0 || bytes <= 0) return 0;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => ends[a] - ends[b]);
  let k = 0;
  for (let sum = 0; k < n && sum < bytes; k++) sum += sizes[order[k]];
  const freed = store.freeOlderThan(ends[order[k - 1]] + 1);
  store.compact();
  return freed;
}

/**
 * When the store holds more than `capBytes`, frees its oldest buffers until
 * it is below 90 % of the cap and logs a warning. Returns the buffers freed.
 */
export function enforceMemoryCap(store: MemoryStore, capBytes: number): number {
  if (!(capBytes > 0) || store.bytesInUse <= capBytes) return 0;
  const before = store.bytesInUse;
  const target = capBytes * 0.9;
  let freed = freeOldest(store, store.bytesInUse - target);
  // Memory shrinks in whole slabs; a remainder below one slab is not worth more rounds.
  const tolerance = store.allocator.slabBytes;
  for (let round = 0; round < 4 && store.bytesInUse > target + tolerance; round++) {
    const n = freeOldest(store, store.bytesInUse - target - tolerance);
    freed += n;
    if (n === 0) break;
  }
  log.warn(
    `metric store: memory cap of ${capBytes} bytes exceeded (${before} bytes in use); ` +
      `freed the ${freed} oldest buffers, now ${store.bytesInUse} bytes`,
  );
  return freed;
}

/** Options of {@link startMaintenance}. */
export interface MaintenanceOptions {
  retentionSeconds: number;
  /** 0 or absent: no cap. */
  memoryCapBytes?: number;
  hostsInUse?: HostsInUse;
  /** Clock in unix seconds (tests inject one). */
  now?: () => number;
  /** Seconds between memory checks (default 30). */
  memoryCheckSeconds?: number;
}

/** A running maintenance schedule. */
export interface Maintenance {
  /** Runs retention once now (also what the timer calls). */
  runRetention(): Promise<RetentionResult | undefined>;
  stop(): void;
}

/**
 * Runs retention every `retentionSeconds / 2` (as cc-backend) and the memory
 * cap every `memoryCheckSeconds`. Timers do not keep the process alive. A
 * failing `hostsInUse` skips that retention pass (logged), so running jobs
 * never lose data because the job list was unavailable.
 */
export function startMaintenance(store: MemoryStore, options: MaintenanceOptions): Maintenance {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  let running = false;
  const retention = async (): Promise<RetentionResult | undefined> => {
    if (running) return undefined;
    running = true;
    try {
      const result = await runRetention(store, { ...options, now: now() });
      log.info(
        `metric store: retention freed ${result.freedBuffers} buffers older than ` +
          `${result.threshold} (${result.keptHosts} hosts of running jobs kept)`,
      );
      return result;
    } catch (error) {
      log.error(`metric store: retention skipped: ${(error as Error).message}`);
      return undefined;
    } finally {
      running = false;
    }
  };
  const timers: number[] = [];
  const every = (seconds: number, f: () => void) => {
    const id = setInterval(f, Math.max(1, seconds) * 1000) as unknown as number;
    Deno.unrefTimer(id);
    timers.push(id);
  };
  every(options.retentionSeconds / 2, () => void retention());
  const cap = options.memoryCapBytes ?? 0;
  if (cap > 0) every(options.memoryCheckSeconds ?? 30, () => enforceMemoryCap(store, cap));
  return {
    runRetention: retention,
    stop: () => timers.forEach((id) => clearInterval(id)),
  };
}
