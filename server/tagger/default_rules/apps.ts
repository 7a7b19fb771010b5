/**
 * The built-in application rules: copies of cc-backend's `configs/tagger/apps`
 * files (file name → content), used when `./var/tagger/apps` does not exist.
 * Kept in a module so that `deno compile` embeds them; a test checks them
 * against `tests/fixtures/tagger/apps`.
 *
 * @module
 */

/** File name → file text of each built-in app rule file. */
export const DEFAULT_APP_FILES: Readonly<Record<string, string>> = Object.freeze({
  "alf.txt": "alf\n",
  "caracal.txt": "calc_rate\nqmdffgen\ndynamic\nevbopt\nblack_box\npoly_qmdff\n",
  "chroma.txt": "chroma\nqdp\nqmp\n",
  "cp2k.txt": "cp2k\n",
  "cpmd.txt": "cpmd\n",
  "flame.txt": "flame\n",
  "gromacs.txt": "gromacs\ngmx\nmdrun\n",
  "julia.txt": "julia\n",
  "lammps.txt": "\\blmp\\s+\n",
  "matlab.txt": "matlab\n",
  "openfoam.txt": "openfoam\n",
  "orca.txt": "orca\n",
  "python.txt": "python\npip\nanaconda\nconda\n",
  "starccm.txt": "starccm+\n-podkey\n",
  "turbomole.txt": "dscf\ngrad\nridft\nrdgrad\nricc2\nstatpt\naoforce\nescf\negrad\nodft\n",
  "vasp.txt": "vasp_gam\nvasp_ncl\nvasp_std\n",
});
