/**
 * The tree dump of `GET /api/debug?selector=a:b:c`: per level, each metric's
 * buffers (`start`, `len`, `end`, `saved` for buffers restored from a
 * checkpoint) and each child level, mixed in one object as the original
 * prints them, but always valid JSON.
 *
 * @module
 */
import type { MetricBuffer } from "./buffer.ts";
import type { Level } from "./level.ts";
import type { MemoryStore } from "./memory_store.ts";

/** One buffer in the dump. */
export interface DumpedBuffer {
  start: number;
  len: number;
  end: number;
  saved?: boolean;
}

/** A level: metric name → buffers (oldest first), child name → level. */
export interface DumpedLevel {
  [name: string]: DumpedBuffer[] | DumpedLevel;
}

/** `{"data": <level>}` for the level at `path`, or undefined when there is none. */
export function debugDump(
  store: MemoryStore,
  path: readonly string[],
): { data: DumpedLevel } | undefined {
  const level = store.findLevel(path);
  return level === undefined ? undefined : { data: dumpLevel(store, level) };
}

function dumpLevel(store: MemoryStore, level: Level): DumpedLevel {
  const out: DumpedLevel = {};
  level.heads.forEach((head, m) => {
    if (head === null) return;
    const buffers: DumpedBuffer[] = [];
    for (let b: MetricBuffer | null = head; b !== null; b = b.prev) {
      const item: DumpedBuffer = { start: b.start, len: b.len, end: b.end() };
      if (b.archived) item.saved = true;
      buffers.push(item);
    }
    out[store.metrics.metrics[m].name] = buffers.reverse();
  });
  for (const [name, child] of level.children ?? []) out[name] = dumpLevel(store, child);
  return out;
}
