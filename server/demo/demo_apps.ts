/**
 * The applications demo users run: how their job scripts look (so that the
 * app tagger's regular expressions recognise them), how many nodes they take
 * and which performance profiles they show.
 *
 * @module
 */

import { CPU_APPS } from "./cpu_apps.ts";
import { GPU_APPS } from "./gpu_apps.ts";
import type { Rng } from "./rng.ts";

/** The performance behaviour of a job, which drives its metric levels. */
export type ProfileKind =
  | "compute"
  | "memory"
  | "balanced"
  | "serial"
  | "idle"
  | "gpu"
  | "gpuLow";

/** What a job script is rendered from. */
export interface ScriptContext {
  rng: Rng;
  jobName: string;
  numNodes: number;
  tasksPerNode: number;
  /** GPUs per node; 0 on CPU nodes. */
  gpusPerNode: number;
  partition: string;
  /** Lower-cased accelerator model for `--gres`, e.g. `a100`. */
  gpuModel?: string;
  walltime: number;
}

/** One application of the demo catalogue. */
export interface DemoApp {
  /** Unique key, e.g. `gromacs-gpu`. */
  key: string;
  /** The app tag the tagger should derive from the script, or null for none. */
  tag: string | null;
  gpu: boolean;
  /** Relative share of users running it. */
  popularity: number;
  maxNodes: number;
  profiles: readonly (readonly [ProfileKind, number])[];
  jobNames: readonly string[];
  /** The body of the job script after the `#SBATCH` header. */
  commands(ctx: ScriptContext): string[];
}

/** The catalogue of demo applications. */
export const DEMO_APPS: readonly DemoApp[] = [...CPU_APPS, ...GPU_APPS];

function hhmmss(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor(seconds % 3600 / 60);
  const s = seconds % 60;
  return [h, m, s].map((v) => String(v).padStart(2, "0")).join(":");
}

/** Renders a Slurm batch script for an app: `#SBATCH` header, then the app's commands. */
export function renderJobScript(app: DemoApp, ctx: ScriptContext): string {
  const lines = [
    "#!/bin/bash -l",
    `#SBATCH --job-name=${ctx.jobName}`,
    `#SBATCH --nodes=${ctx.numNodes}`,
    `#SBATCH --ntasks-per-node=${ctx.tasksPerNode}`,
    `#SBATCH --time=${hhmmss(ctx.walltime)}`,
    `#SBATCH --partition=${ctx.partition}`,
  ];
  if (ctx.gpusPerNode > 0) lines.push(`#SBATCH --gres=gpu:${ctx.gpuModel}:${ctx.gpusPerNode}`);
  lines.push("#SBATCH --export=NONE", "", "unset SLURM_EXPORT_ENV", "", ...app.commands(ctx));
  return lines.join("\n") + "\n";
}
