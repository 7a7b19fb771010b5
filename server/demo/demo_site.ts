/**
 * The demo site as the job generators see it: where jobs can run (one target
 * per subcluster, with its hosts, metrics and a best-effort occupancy map),
 * who submits them and what a job asks for.
 *
 * @module
 */

import type { Cluster, MetricConfig, Resource, SubCluster } from "../archive/types.ts";
import { DEMO_APPS, type DemoApp, type ProfileKind } from "./demo_apps.ts";
import { demoClusters, subClusterHosts, subClusterMetrics } from "./demo_clusters.ts";
import { type DemoUser, generateDemoUsers } from "./demo_users.ts";
import { deriveSeed, Rng } from "./rng.ts";

/** A subcluster jobs can be placed on. */
export interface Target {
  cluster: Cluster;
  subCluster: SubCluster;
  hosts: string[];
  metrics: MetricConfig[];
  /** GPUs per node, or 1 on CPU nodes (a CPU node is allocated whole). */
  slots: number;
  gpu: boolean;
  /** The first CPU subcluster of a cluster has singlenode/multinode partitions. */
  splitPartitions: boolean;
  /** Per host and slot: the time the slot becomes free. */
  freeAt: Float64Array;
}

/** Everything the generators draw jobs from. */
export interface DemoSite {
  targets: Target[];
  users: DemoUser[];
  apps: Map<string, DemoApp>;
}

/** Options shared by the site-based generators. */
export interface DemoSiteOptions {
  seed: number | string;
  clusters?: Cluster[];
  /** Number of users (default 40). */
  users?: number;
  /** Number of projects (default 15). */
  projects?: number;
}

/** Builds the site; users depend only on the seed and the cluster kinds, not on job counts. */
export function createDemoSite(options: DemoSiteOptions): DemoSite {
  const clusters = options.clusters ?? demoClusters();
  const targets: Target[] = [];
  for (const cluster of clusters) {
    let firstCpu = true;
    for (const subCluster of cluster.subClusters) {
      const hosts = subClusterHosts(subCluster);
      const gpus = subCluster.topology.accelerators?.length ?? 0;
      const slots = Math.max(1, gpus);
      targets.push({
        cluster,
        subCluster,
        hosts,
        metrics: subClusterMetrics(cluster, subCluster.name),
        slots,
        gpu: gpus > 0,
        splitPartitions: gpus === 0 && firstCpu,
        freeAt: new Float64Array(hosts.length * slots),
      });
      if (gpus === 0) firstCpu = false;
    }
  }
  const hasGpu = targets.some((t) => t.gpu);
  const hasCpu = targets.some((t) => !t.gpu);
  const apps = DEMO_APPS.filter((a) => a.gpu ? hasGpu : hasCpu);
  const users = generateDemoUsers(new Rng(deriveSeed(options.seed, "users")), {
    apps,
    users: options.users,
    projects: options.projects,
  });
  return { targets, users, apps: new Map(apps.map((a) => [a.key, a])) };
}

/** What a job asks for, before it is placed in time and on hosts. */
export interface Draft {
  user: DemoUser;
  app: DemoApp;
  target: Target;
  profile: ProfileKind;
  numNodes: number;
  /** GPUs per node; 0 for CPU jobs. */
  gpusPerNode: number;
  walltime: number;
}

const WALLTIME_HOURS = [[1, 10], [2, 10], [4, 15], [6, 10], [8, 10], [12, 15], [24, 30]] as const;

/** Draws who runs what where, how big and for how long at most. */
export function draftJob(rng: Rng, site: DemoSite): Draft {
  const user = rng.weighted(site.users.map((u) => [u, u.activity] as const));
  const app = site.apps.get(rng.weighted(user.apps.map((k, i) => [k, 3 / (i + 1)] as const)))!;
  const target = rng.weighted(
    site.targets.filter((t) => t.gpu === app.gpu)
      // Extra CPU subclusters are special-purpose (big memory) and less busy.
      .map((t) => [t, t.hosts.length * (t.gpu || t.splitPartitions ? 1 : 0.5)] as const),
  );
  const maxNodes = Math.min(app.maxNodes, target.hosts.length);
  let numNodes: number, gpusPerNode = 0;
  if (!target.gpu) {
    const n = rng.weighted([[1, 70], [2, 10], [4, 8], [8, 6], [16, 4], [0, 2]] as const);
    numNodes = Math.min(maxNodes, n === 0 ? rng.int(3, 12) : n);
  } else if (maxNodes > 1 && rng.chance(0.2)) {
    numNodes = Math.min(maxNodes, rng.weighted([[2, 7], [4, 3]] as const));
    gpusPerNode = target.slots;
  } else {
    numNodes = 1;
    gpusPerNode = Math.min(
      target.slots,
      rng.weighted([[1, 35], [2, 20], [4, 20], [8, 25]] as const),
    );
  }
  const profile = rng.weighted(app.profiles);
  const walltime = rng.weighted(WALLTIME_HOURS) * 3600;
  return { user, app, target, profile, numNodes, gpusPerNode, walltime };
}

/** The partition name a job is submitted to. */
export function partitionOf(draft: Draft): string {
  if (!draft.target.splitPartitions) return draft.target.subCluster.name;
  return draft.numNodes > 1 ? "multinode" : "singlenode";
}

/**
 * Places a job on hosts: free hosts (or GPUs) at `start` when there are
 * enough, otherwise the ones that free up first, so overlap only happens when
 * more jobs are asked for than the cluster can hold. Marks them busy until `end`.
 * Jobs holding whole nodes share the subcluster's `topology.node` array as
 * their `hwthreads` (this keeps 20,000+ jobs light); copy before mutating.
 */
export function allocate(
  rng: Rng,
  request: { draft: Draft; start: number; end: number },
): Resource[] {
  const { draft, start, end } = request;
  const { target } = draft;
  const { slots, freeAt, hosts } = target;
  const topology = target.subCluster.topology;
  const whole = draft.gpusPerNode === 0 || draft.gpusPerNode === slots;

  const busyUntil = (h: number): number => {
    let t = -Infinity;
    for (let s = 0; s < slots; s++) t = Math.max(t, freeAt[h * slots + s]);
    return t;
  };
  const indices = (n: number): number[] => {
    const list: number[] = [];
    for (let i = 0; i < n; i++) list.push(i);
    return list;
  };

  let chosen: { host: number; slots: number[] }[];
  if (whole) {
    const all = indices(slots);
    const free: number[] = [];
    for (let h = 0; h < hosts.length; h++) if (busyUntil(h) <= start) free.push(h);
    let picked: number[];
    if (free.length >= draft.numNodes) {
      const offset = rng.int(0, free.length - 1);
      picked = [];
      for (let i = 0; i < draft.numNodes; i++) picked.push(free[(offset + i) % free.length]);
    } else {
      const until = indices(hosts.length).map(busyUntil);
      picked = indices(hosts.length).sort((a, b) => until[a] - until[b] || a - b)
        .slice(0, draft.numNodes);
    }
    chosen = picked.sort((a, b) => a - b).map((host) => ({ host, slots: all }));
  } else {
    const candidates: number[] = [];
    for (let h = 0; h < hosts.length; h++) {
      let free = 0;
      for (let s = 0; s < slots; s++) if (freeAt[h * slots + s] <= start) free++;
      if (free >= draft.gpusPerNode) candidates.push(h);
    }
    const host = candidates.length > 0 ? rng.pick(candidates) : rng.int(0, hosts.length - 1);
    const order = indices(slots)
      .sort((a, b) => freeAt[host * slots + a] - freeAt[host * slots + b] || a - b);
    chosen = [{ host, slots: order.slice(0, draft.gpusPerNode).sort((a, b) => a - b) }];
  }

  const cores = topology.core ?? topology.node.map((t) => [t]);
  const coresPerSlot = cores.length / slots;
  return chosen.map(({ host, slots: used }) => {
    for (const s of used) freeAt[host * slots + s] = end;
    const resource: Resource = {
      hostname: hosts[host],
      hwthreads: whole
        ? topology.node
        : used.flatMap((s) => cores.slice(s * coresPerSlot, (s + 1) * coresPerSlot).flat()),
    };
    const accelerators = topology.accelerators;
    if (accelerators && draft.gpusPerNode > 0) {
      resource.accelerators = used.map((s) => accelerators[s].id);
    }
    return resource;
  });
}
