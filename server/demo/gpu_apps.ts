/**
 * The GPU applications of the demo catalogue: deep learning in Python and
 * GPU builds of MD and DFT codes.
 *
 * @module
 */

import type { DemoApp } from "./demo_apps.ts";

/** Applications of the GPU clusters. */
export const GPU_APPS: readonly DemoApp[] = [
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
    commands: (c) => [
      "module load cuda/12.3 nvhpc/23.7",
      `srun ./build/${c.jobName} --device cuda`,
    ],
  },
];
