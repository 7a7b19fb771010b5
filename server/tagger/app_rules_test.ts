import assert from "node:assert/strict";
import { appNameOf, compileAppPattern, matchApps, parseAppRules } from "./app_rules.ts";
import { readRuleFiles } from "./rule_files.ts";

const FIXTURE_APPS = new URL("../../tests/fixtures/tagger/apps/", import.meta.url).pathname;

async function fixtureApps() {
  const read = await readRuleFiles(FIXTURE_APPS, { accept: () => true, defaults: [] });
  assert.equal(read.builtIn, false);
  const parsed = parseAppRules(read.files);
  assert.deepEqual(parsed.errors, []);
  return parsed.apps;
}

/** A job script whose comments and #SBATCH lines name other apps, which must not count. */
function script(command: string): string {
  return [
    "#!/bin/bash",
    "#SBATCH --job-name=vasp_std-python-gromacs",
    "#SBATCH --nodes=2",
    "# this comment mentions orca, julia, matlab and cp2k",
    "module purge",
    "srun hostname # then lmp -in x, starccm+ and ridft",
    command,
    "",
  ].join("\n");
}

/** One job script per shipped app that only that app's patterns hit. */
const HITS: Record<string, string> = {
  alf: "srun ./alf_run input.dat",
  caracal: "srun calc_rate -i system.in",
  chroma: "mpirun chroma -i in.xml -o out.xml",
  cp2k: "srun cp2k.psmp -i h2o.inp",
  cpmd: "mpirun cpmd.x input.in",
  flame: "srun ./flame_solver --steps 100",
  gromacs: "srun gmx_mpi mdrun -deffnm md",
  julia: "julia --project=. run.jl",
  lammps: "srun lmp -in in.lj",
  matlab: "matlab -batch main",
  openfoam: "source /opt/OpenFOAM/etc/bashrc\nsimpleFoam -parallel",
  orca: "/opt/orca/orca job.inp > job.out",
  python: "python3 train.py --epochs 10",
  starccm: "starccm+ -batch run.java -np 72",
  turbomole: "ridft > ridft.out",
  vasp: "srun vasp_std",
};

Deno.test("the shipped app rules load as 16 apps in file-name order", async () => {
  const apps = await fixtureApps();
  assert.equal(apps.length, 16);
  assert.deepEqual(apps.map((a) => a.name), Object.keys(HITS));
  assert.deepEqual(apps.find((a) => a.name === "turbomole")?.sources.length, 10);
});

Deno.test("every shipped app's patterns hit a script built for it and miss the others", async (t) => {
  const apps = await fixtureApps();
  for (const [name, command] of Object.entries(HITS)) {
    await t.step(name, () => assert.deepEqual(matchApps(script(command), apps), [name]));
  }
  await t.step("a script of plain shell commands hits nothing", () => {
    assert.deepEqual(matchApps(script("srun ./a.out input"), apps), []);
  });
});

Deno.test("matchApps() follows cc-backend's matching rules", async (t) => {
  const apps = await fixtureApps();
  await t.step("the script is lower-cased before matching", () => {
    assert.deepEqual(matchApps("SRUN VASP_STD", apps), ["vasp"]);
  });
  await t.step("a pattern after a # on its line does not count, one before it does", () => {
    assert.deepEqual(matchApps("echo done # vasp_std", apps), []);
    assert.deepEqual(matchApps("srun vasp_std # production run", apps), ["vasp"]);
    assert.deepEqual(matchApps("#vasp_std\nsrun ./a.out", apps), []);
  });
  await t.step("every matching app is tagged, in rule order", () => {
    assert.deepEqual(matchApps("python3 prep.py\nsrun gmx_mpi mdrun", apps), ["gromacs", "python"]);
  });
  await t.step("short patterns match inside words (as in cc-backend)", () => {
    assert.deepEqual(matchApps("./upgrade.sh", apps), ["turbomole"]);
  });
  await t.step("lammps needs whitespace after lmp", () => {
    assert.deepEqual(matchApps("srun lmp_serial < in.lj", apps), []);
    assert.deepEqual(matchApps("srun lmp\n", apps), ["lammps"]);
  });
  await t.step(
    "`./vasp` matches none of the shipped vasp patterns (cc-backend's test relies on a seeded tag)",
    () => {
      assert.deepEqual(matchApps("srun ./vasp", apps), []);
    },
  );
});

Deno.test("parseAppRules() handles names, blank lines, bad patterns and duplicates", async (t) => {
  await t.step("the app name is the file name without its last extension", () => {
    assert.equal(appNameOf("vasp.txt"), "vasp");
    assert.equal(appNameOf("my.app.txt"), "my.app");
    assert.equal(appNameOf("noext"), "noext");
  });
  await t.step("blank lines are skipped, lines are trimmed, an invalid pattern is reported", () => {
    const { apps, errors } = parseAppRules([
      { name: "foo.txt", text: "\n  foo_bin  \r\n(unclosed\n\nbar\n" },
    ]);
    assert.deepEqual(apps[0].sources, ["foo_bin", "bar"]);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^foo\.txt:3: invalid pattern "\(unclosed" skipped/);
  });
  await t.step("an upper-case pattern never matches the lower-cased script", () => {
    const { apps } = parseAppRules([{ name: "big.txt", text: "BigApp\n" }]);
    assert.deepEqual(matchApps("BigApp --run", apps), []);
  });
  await t.step("a later file with the same app name replaces the earlier one", () => {
    const { apps } = parseAppRules([
      { name: "a.txt", text: "one\n" },
      { name: "b.txt", text: "x\n" },
      { name: "a.md", text: "two\n" },
    ]);
    assert.deepEqual(apps.map((a) => [a.name, a.sources]), [["b", ["x"]], ["a", ["two"]]]);
  });
  await t.step("a pattern cannot escape its group with a stray parenthesis", () => {
    assert.throws(() => compileAppPattern("a)|(b"));
  });
  await t.step("RE2 escapes that Unicode mode refuses still compile", () => {
    assert.throws(() => new RegExp("\\-podkey", "u"));
    assert.ok(compileAppPattern("\\-podkey").test("starccm+ -podkey"));
  });
});
