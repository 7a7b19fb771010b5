/**
 * Complete node topologies (hwthreads per socket, memory domain and core)
 * built from a few numbers, for the demo clusters.
 *
 * @module
 */

import type { Accelerator, Topology } from "../archive/types.ts";

/** Shape of a node's hardware, from which a complete topology is built. */
export interface TopologySpec {
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
  /** Memory domains (NUMA nodes) per socket. */
  domainsPerSocket: number;
  accelerators?: Accelerator[];
}

/**
 * Builds a complete, consistent topology: hwthread `t * cores + c` is thread
 * `t` of core `c` (Linux numbering), cores are numbered socket by socket.
 */
export function buildTopology(spec: TopologySpec): Topology {
  const cores = spec.sockets * spec.coresPerSocket;
  const threadsOf = (core: number): number[] =>
    Array.from({ length: spec.threadsPerCore }, (_, t) => t * cores + core);
  const coresOf = (first: number, count: number): number[] =>
    Array.from({ length: count }, (_, i) => first + i);
  const perDomain = spec.coresPerSocket / spec.domainsPerSocket;
  if (!Number.isInteger(perDomain)) {
    throw new RangeError(
      `cannot split ${spec.coresPerSocket} cores into ${spec.domainsPerSocket} memory domains`,
    );
  }
  const topology: Topology = {
    node: Array.from({ length: cores * spec.threadsPerCore }, (_, i) => i),
    socket: Array.from(
      { length: spec.sockets },
      (_, s) => coresOf(s * spec.coresPerSocket, spec.coresPerSocket).flatMap(threadsOf),
    ),
    memoryDomain: Array.from(
      { length: spec.sockets * spec.domainsPerSocket },
      (_, d) => coresOf(d * perDomain, perDomain).flatMap(threadsOf),
    ),
    core: Array.from({ length: cores }, (_, c) => threadsOf(c)),
  };
  if (spec.accelerators) topology.accelerators = spec.accelerators;
  return topology;
}
