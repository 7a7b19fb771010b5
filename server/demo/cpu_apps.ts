/**
 * The CPU applications of the demo catalogue: molecular dynamics, DFT, CFD,
 * quantum chemistry, scripting languages and home-grown MPI codes.
 *
 * @module
 */

import type { DemoApp, ScriptContext } from "./demo_apps.ts";

const mpi = (ctx: ScriptContext) => ctx.rng.pick(["intelmpi/2021.10", "openmpi/4.1.6-gcc11"]);

/** Applications of the CPU clusters. */
export const CPU_APPS: readonly DemoApp[] = [
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
];
