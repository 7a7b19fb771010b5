/**
 * Test support for the metric store (not used by the program): a small
 * metric list, stores with small buffers, and line-protocol bodies.
 *
 * @module
 */
import type { Topology } from "../archive/types.ts";
import { Ingestor } from "./ingest.ts";
import { MemoryStore, type MemoryStoreOptions } from "./memory_store.ts";
import { type Aggregation, MetricRegistry } from "./metric_registry.ts";

/** The metrics of the tests: name → [frequency, aggregation]. */
export const TEST_METRICS: Record<string, [number, Aggregation]> = {
  cpu_load: [10, "avg"],
  mem_used: [10, null],
  flops_any: [10, "sum"],
  cpu_user: [10, "avg"],
  mem_bw: [10, "sum"],
  acc_power: [10, "sum"],
  load: [10, "avg"],
  cpu_system: [10, "avg"],
};

/** A registry of {@link TEST_METRICS}. */
export function testRegistry(): MetricRegistry {
  return new MetricRegistry(
    Object.entries(TEST_METRICS).map(([name, [frequency, aggregation]]) => ({
      name,
      frequency,
      aggregation,
    })),
  );
}

/** A store of the test metrics (small buffers unless `bufferCapacity` is given). */
export function testStore(options: MemoryStoreOptions = {}): MemoryStore {
  return new MemoryStore(testRegistry(), { bufferCapacity: 8, ...options });
}

/** A store and its ingestor. */
export function testIngestor(
  options: MemoryStoreOptions = {},
): { store: MemoryStore; ingestor: Ingestor } {
  const store = testStore(options);
  return { store, ingestor: new Ingestor(store) };
}

/** UTF-8 bytes of `lines` joined with newlines (and a final newline). */
export function body(...lines: string[]): Uint8Array {
  return new TextEncoder().encode(lines.map((l) => l + "\n").join(""));
}

/** `Array.from` of a typed array with NaN kept (for deepEqual). */
export function values(data: ArrayLike<number> | undefined): number[] {
  return Array.from(data ?? []);
}

/**
 * Two sockets of two cores of two hwthreads each (hwthreads 0-7, core c =
 * [2c, 2c+1]), one memory domain per socket, two accelerators.
 */
export function smallTopology(): Topology {
  return {
    node: [0, 1, 2, 3, 4, 5, 6, 7],
    socket: [[0, 1, 2, 3], [4, 5, 6, 7]],
    memoryDomain: [[0, 1, 2, 3], [4, 5, 6, 7]],
    core: [[0, 1], [2, 3], [4, 5], [6, 7]],
    accelerators: [
      { id: "gpu0", type: "Nvidia GPU", model: "A100" },
      { id: "gpu1", type: "Nvidia GPU", model: "A100" },
    ],
  };
}
