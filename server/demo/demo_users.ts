/**
 * The users and projects of the demo site, in the NHR@FAU naming style:
 * project `abcd100`, users `abcd100h`, `abcd100w`, ...
 *
 * @module
 */

import type { DemoApp } from "./demo_apps.ts";
import type { Rng } from "./rng.ts";

/** One demo user. */
export interface DemoUser {
  user: string;
  project: string;
  /** Mostly runs on GPU nodes. */
  gpu: boolean;
  /** Relative share of submitted jobs. */
  activity: number;
  /** Keys of the apps this user runs, most used first. */
  apps: string[];
}

/** Options of {@link generateDemoUsers}. */
export interface DemoUserOptions {
  apps: readonly DemoApp[];
  /** Number of users (default 40). */
  users?: number;
  /** Number of projects (default 15, at most the number of users). */
  projects?: number;
  /** Share of users that mostly use GPUs (default 0.3). */
  gpuShare?: number;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const SUFFIXES = "hwxyzqvk";

/**
 * Draws users and projects. Every project has at least one user; user
 * activity follows a Zipf-like law so that a few users submit most jobs.
 */
export function generateDemoUsers(rng: Rng, options: DemoUserOptions): DemoUser[] {
  const userCount = options.users ?? 40;
  const projectCount = Math.max(1, Math.min(options.projects ?? 15, userCount));
  const gpuShare = options.gpuShare ?? 0.3;

  const projects = new Set<string>();
  while (projects.size < projectCount) {
    let name = "";
    for (let i = 0; i < 4; i++) name += rng.pick([...LETTERS]);
    projects.add(`${name}${rng.int(100, 199)}`);
  }
  const projectList = [...projects];
  const usedSuffixes = new Map<string, number>();
  const cpuApps = options.apps.filter((a) => !a.gpu);
  const gpuApps = options.apps.filter((a) => a.gpu);

  const users: DemoUser[] = [];
  for (let i = 0; i < userCount; i++) {
    const project = i < projectCount ? projectList[i] : rng.pick(projectList);
    let n = usedSuffixes.get(project) ?? 0;
    let user = `${project}${SUFFIXES[n % SUFFIXES.length]}`;
    if (n >= SUFFIXES.length) user += Math.floor(n / SUFFIXES.length);
    usedSuffixes.set(project, ++n);

    const gpu = gpuApps.length > 0 && (cpuApps.length === 0 || rng.chance(gpuShare));
    const pool = gpu ? gpuApps : cpuApps;
    const apps: string[] = [];
    const wanted = Math.min(pool.length, rng.weighted([[1, 5], [2, 4], [3, 1]] as const));
    while (apps.length < wanted) {
      const app = rng.weighted(pool.map((a) => [a.key, a.popularity] as const));
      if (!apps.includes(app)) apps.push(app);
    }
    users.push({ user, project, gpu, activity: 1 / Math.pow(i + 1, 0.8), apps });
  }
  return users;
}
