/**
 * Lookups over a node topology (cluster.json `topology`): which core, socket
 * and memory domain a hardware thread belongs to, and which units a set of
 * hardware threads touches.
 *
 * @module
 */
import type { Topology } from "../archive/types.ts";

/** Unit ids by hardware thread, and units' members. */
export class TopologyIndex {
  readonly topology: Topology;
  readonly #coreOf = new Map<number, number>();
  readonly #socketOf = new Map<number, number>();
  readonly #domainOf = new Map<number, number>();

  constructor(topology: Topology) {
    this.topology = topology;
    const index = (units: number[][] | undefined, map: Map<number, number>) =>
      units?.forEach((threads, id) => threads.forEach((t) => map.set(t, id)));
    index(topology.core, this.#coreOf);
    index(topology.socket, this.#socketOf);
    index(topology.memoryDomain, this.#domainOf);
  }

  /** The core of hardware thread `t` (the thread itself when the topology lists no cores). */
  coreOf(t: number): number | undefined {
    return this.topology.core ? this.#coreOf.get(t) : t;
  }

  /** Hardware threads of core `c`. */
  coreThreads(c: number): number[] {
    return this.topology.core ? this.topology.core[c] ?? [] : [c];
  }

  /** Sorted ids of the cores touched by `threads`. */
  cores(threads: readonly number[]): number[] {
    return unique(threads.map((t) => this.coreOf(t)));
  }

  /** Sorted ids of the sockets touched by `threads`. */
  sockets(threads: readonly number[]): number[] {
    return unique(threads.map((t) => this.#socketOf.get(t)));
  }

  /** Sorted ids of the memory domains touched by `threads`. */
  memoryDomains(threads: readonly number[]): number[] {
    return unique(threads.map((t) => this.#domainOf.get(t)));
  }

  /** Hardware threads of socket `s`. */
  socketThreads(s: number): number[] {
    return this.topology.socket[s] ?? [];
  }

  /** Hardware threads of memory domain `d`. */
  domainThreads(d: number): number[] {
    return this.topology.memoryDomain[d] ?? [];
  }

  /** Every hardware thread of the node. */
  allThreads(): number[] {
    return this.topology.node;
  }
}

function unique(ids: (number | undefined)[]): number[] {
  const set = new Set<number>();
  for (const id of ids) if (id !== undefined) set.add(id);
  return [...set].sort((a, b) => a - b);
}
