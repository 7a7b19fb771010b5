/**
 * The applications demo users run: how their job scripts look (so that the
 * app tagger's regular expressions recognise them), how many nodes they take
 * and which performance profiles they show.
 *
 * @module
 */

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

const mpi = (ctx: ScriptContext) => ctx.rng.pick(["intelmpi/2021.10", "openmpi/4.1.6-gcc11"]);

/** The catalogue of demo applications. */
export const DEMO_APPS: readonly DemoApp[] = [
  {
    key: "gromacs",
    tag: "gromacs",
    gpu: false,
    popularity: 8,
    maxNodes: 16,
    profiles: [["compute", 8], ["balanced", 2]],
    jobNames: ["md_prod", "npt_equil", "lysozyme", "membrane_sim", "protein_fold"],
    commands: (c) => [
      `module load gromacs/${c.rng.pick(["2023.2", "2024.1"])}-gcc11-impi`,
      `srun gmx_mpi mdrun -s ${c.jobName}.tpr -deffnm ${c.jobName} -maxh ${
        Math.max(0.1, c.walltime / 3600 - 0.2).toFixed(1)
      }`,
    ],
  },
  {
    key: "vasp",
    tag: "vasp",
    gpu: false,
    popularity: 7,
    maxNodes: 8,
    profiles: [["memory", 5], ["balanced", 5]],
    jobNames: ["relax_Si", "scf_LiCoO2", "band_structure", "md_Li3PS4", "surface_Pt111"],
    commands: (c) => [
      `module load vasp6/6.4.2-intel`,
      "export OMP_NUM_THREADS=1",
      `srun ${c.rng.pick(["vasp_std", "vasp_std", "vasp_gam", "vasp_ncl"])} > vasp.out`,
    ],
  },
  {
    key: "lammps",
    tag: "lammps",
    gpu: false,
    popularity: 5,
    maxNodes: 16,
    profiles: [["compute", 6], ["balanced", 4]],
    jobNames: ["melt", "polymer", "granular", "lj_fluid", "crack"],
    commands: (c) => [
      `module load lammps/20230802-${mpi(c).split("/")[0]}`,
      `srun lmp -in in.${c.jobName} -log log.${c.jobName}`,
    ],
  },
  {
    key: "openfoam",
    tag: "openfoam",
    gpu: false,
    popularity: 5,
    maxNodes: 16,
    profiles: [["memory", 8], ["balanced", 2]],
    jobNames: ["motorBike", "pitzDaily", "channel395", "windAroundBuildings"],
    commands: (c) => [
      `module load openfoam/${c.rng.pick(["2306", "2312", "v11"])}`,
      "source $FOAM_BASH",
      "decomposePar -force > log.decompose",
      `srun ${c.rng.pick(["simpleFoam", "pimpleFoam", "interFoam"])} -parallel > log.solver`,
      "reconstructPar -latestTime",
    ],
  },
  {
    key: "cp2k",
    tag: "cp2k",
    gpu: false,
    popularity: 3,
    maxNodes: 8,
    profiles: [["compute", 5], ["balanced", 5]],
    jobNames: ["H2O-64", "md_water", "geo_opt", "ftp_bulk"],
    commands: (c) => [
      `module load cp2k/2023.1 ${mpi(c)}`,
      `srun cp2k.psmp -i ${c.jobName}.inp -o ${c.jobName}.out`,
    ],
  },
  {
    key: "orca",
    tag: "orca",
    gpu: false,
    popularity: 2,
    maxNodes: 1,
    profiles: [["compute", 6], ["serial", 4]],
    jobNames: ["benzene_opt", "tddft_dye", "freq_calc", "nmr_shifts"],
    commands: (c) => [
      "module load orca/5.0.4",
      `$(which orca) ${c.jobName}.inp > ${c.jobName}.out`,
    ],
  },
  {
    key: "turbomole",
    tag: "turbomole",
    gpu: false,
    popularity: 2,
    maxNodes: 1,
    profiles: [["compute", 5], ["serial", 5]],
    jobNames: ["cluster_opt", "ri_energy", "excited_states"],
    commands: (c) => [
      "module load turbomole/7.7",
      "export PARA_ARCH=SMP",
      `export PARNODES=${c.tasksPerNode}`,
      "ridft > ridft.out",
      "rdgrad > rdgrad.out",
    ],
  },
  {
    key: "python",
    tag: "python",
    gpu: false,
    popularity: 6,
    maxNodes: 1,
    profiles: [["serial", 4], ["idle", 2], ["balanced", 3]],
    jobNames: ["analysis", "postprocess", "train_model", "plot_results", "sweep"],
    commands: (c) => [
      "module load python/3.10-anaconda",
      `conda activate ${c.rng.pick(["analysis", "sci", "myenv"])}`,
      `python ${c.jobName}.py --input data/ --output results/`,
    ],
  },
  {
    key: "matlab",
    tag: "matlab",
    gpu: false,
    popularity: 2,
    maxNodes: 1,
    profiles: [["serial", 6], ["idle", 4]],
    jobNames: ["simulation", "evaluate", "param_study"],
    commands: (c) => [
      "module load matlab/R2023b",
      `matlab -nodisplay -nosplash -r "run('${c.jobName}.m'); exit"`,
    ],
  },
  {
    key: "julia",
    tag: "julia",
    gpu: false,
    popularity: 2,
    maxNodes: 4,
    profiles: [["compute", 5], ["balanced", 5]],
    jobNames: ["solver", "monte_carlo", "ode_sweep"],
    commands: (c) => ["module load julia/1.10.2", `julia --project=. -t auto ${c.jobName}.jl`],
  },
  {
    key: "starccm",
    tag: "starccm",
    gpu: false,
    popularity: 2,
    maxNodes: 16,
    profiles: [["memory", 7], ["balanced", 3]],
    jobNames: ["car_aero", "heat_exchanger", "cooling_jacket"],
    commands: (c) => [
      "module load star-ccm+/2023.2.1",
      "scontrol show hostnames > hosts.txt",
      `starccm+ -batch run.java -np ${c.numNodes * c.tasksPerNode} -machinefile hosts.txt` +
      ` -power -podkey $PODKEY ${c.jobName}.sim`,
    ],
  },
  {
    key: "chroma",
    tag: "chroma",
    gpu: false,
    popularity: 1,
    maxNodes: 16,
    profiles: [["compute", 1]],
    jobNames: ["hmc_run", "propagator", "spectrum"],
    commands: (c) => [
      `module load chroma/3.43 ${mpi(c)}`,
      `srun chroma -i ${c.jobName}.ini.xml -o ${c.jobName}.out.xml`,
    ],
  },
  {
    key: "cpmd",
    tag: "cpmd",
    gpu: false,
    popularity: 1,
    maxNodes: 4,
    profiles: [["compute", 1], ["balanced", 1]],
    jobNames: ["wavefunction", "car_parrinello"],
    commands: (c) => [`module load cpmd/4.3 ${mpi(c)}`, `srun cpmd.x ${c.jobName}.inp > out`],
  },
  {
    key: "custom",
    tag: null,
    gpu: false,
    popularity: 6,
    maxNodes: 16,
    profiles: [["compute", 4], ["memory", 3], ["balanced", 2], ["idle", 1]],
    jobNames: ["mhd3d", "lbm_solver", "wave2d", "nbody", "stencil_bench"],
    commands: (c) => [
      `module load intel/2023.2 ${mpi(c)}`,
      `srun ./bin/${c.jobName} config.nml`,
    ],
  },
  {
    key: "python-gpu",
    tag: "python",
    gpu: true,
    popularity: 8,
    maxNodes: 2,
    profiles: [["gpu", 3], ["gpuLow", 1]],
    jobNames: ["train_resnet", "finetune_llm", "diffusion", "segmentation"],
    commands: (c) => [
      `module load python/pytorch${c.rng.pick(["2.1", "2.3"])}py3.10`,
      "source activate torch",
      `srun python ${c.jobName}.py --epochs ${c.rng.pick([20, 50, 100])} --batch-size 256`,
    ],
  },
  {
    key: "gromacs-gpu",
    tag: "gromacs",
    gpu: true,
    popularity: 4,
    maxNodes: 1,
    profiles: [["gpu", 4], ["gpuLow", 1]],
    jobNames: ["md_prod", "lysozyme", "membrane_sim"],
    commands: (c) => [
      "module load gromacs/2024.1-gcc11-cuda",
      `gmx mdrun -nb gpu -pme gpu -update gpu -ntmpi ${c.gpusPerNode} -s ${c.jobName}.tpr`,
    ],
  },
  {
    key: "lammps-gpu",
    tag: "lammps",
    gpu: true,
    popularity: 2,
    maxNodes: 2,
    profiles: [["gpu", 1]],
    jobNames: ["lj_fluid", "polymer"],
    commands: (c) => [
      "module load lammps/20230802-cuda",
      `srun lmp -k on g ${c.gpusPerNode} -sf kk -in in.${c.jobName}`,
    ],
  },
  {
    key: "vasp-gpu",
    tag: "vasp",
    gpu: true,
    popularity: 1,
    maxNodes: 1,
    profiles: [["gpu", 2], ["gpuLow", 1]],
    jobNames: ["relax_Si", "md_Li3PS4"],
    commands: () => ["module load vasp6/6.4.2-nvhpc-acc", "srun vasp_std > vasp.out"],
  },
  {
    key: "custom-gpu",
    tag: null,
    gpu: true,
    popularity: 2,
    maxNodes: 2,
    profiles: [["gpu", 2], ["gpuLow", 1]],
    jobNames: ["cuda_stencil", "lbm_gpu", "nbody_gpu"],
    commands: (
      c,
    ) => ["module load cuda/12.3 nvhpc/23.7", `srun ./build/${c.jobName} --device cuda`],
  },
];

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
