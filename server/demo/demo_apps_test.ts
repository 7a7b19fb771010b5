import assert from "node:assert/strict";
import { DEMO_APPS, renderJobScript } from "./demo_apps.ts";
import { generateDemoUsers } from "./demo_users.ts";
import { Rng } from "./rng.ts";
import { loadAppPatterns, matchApps } from "./test_util.ts";

Deno.test("every demo app's job scripts hit exactly its own tagger app", async () => {
  const patterns = await loadAppPatterns();
  assert.equal(patterns.size, 16);
  const rng = new Rng(3);
  for (const app of DEMO_APPS) {
    if (app.tag) assert.ok(patterns.has(app.tag), `${app.key}: no pattern file for ${app.tag}`);
    for (let i = 0; i < 40; i++) {
      const gpusPerNode = app.gpu ? rng.pick([1, 2, 4, 8]) : 0;
      const script = renderJobScript(app, {
        rng,
        jobName: rng.pick(app.jobNames),
        numNodes: rng.int(1, app.maxNodes),
        tasksPerNode: gpusPerNode || rng.pick([1, 72, 104]),
        gpusPerNode,
        partition: rng.pick(app.gpu ? ["a40", "a100"] : ["singlenode", "multinode", "spr1tb"]),
        gpuModel: app.gpu ? rng.pick(["a40", "a100"]) : undefined,
        walltime: rng.pick([3600, 86400, 5400]),
      });
      assert.deepEqual(
        matchApps(script, patterns),
        app.tag ? [app.tag] : [],
        `${app.key}:\n${script}`,
      );
    }
  }
});

Deno.test("renderJobScript() writes a Slurm header matching the request", () => {
  const app = DEMO_APPS.find((a) => a.key === "python-gpu")!;
  const script = renderJobScript(app, {
    rng: new Rng(1),
    jobName: "diffusion",
    numNodes: 1,
    tasksPerNode: 4,
    gpusPerNode: 4,
    partition: "a100",
    gpuModel: "a100",
    walltime: 86400,
  });
  assert.match(script, /^#!\/bin\/bash -l\n/);
  const header = [
    "#SBATCH --job-name=diffusion",
    "#SBATCH --nodes=1",
    "#SBATCH --time=24:00:00",
    "#SBATCH --gres=gpu:a100:4",
  ];
  for (const line of header) assert.ok(script.includes(line + "\n"), line);
});

Deno.test("the app catalogue covers the main tagger apps on CPU and GPU", () => {
  const tags = new Set(DEMO_APPS.map((a) => a.tag));
  for (const tag of ["gromacs", "vasp", "lammps", "openfoam", "python", "cp2k", "orca"]) {
    assert.ok(tags.has(tag), tag);
  }
  assert.ok(DEMO_APPS.some((a) => a.tag === null), "some jobs carry no app tag");
  assert.equal(new Set(DEMO_APPS.map((a) => a.key)).size, DEMO_APPS.length);
  assert.ok(DEMO_APPS.filter((a) => a.gpu).length >= 3);
});

Deno.test("generateDemoUsers() makes 40 users in 15 projects, NHR style", () => {
  const users = generateDemoUsers(new Rng(5), { apps: DEMO_APPS });
  assert.equal(users.length, 40);
  assert.equal(new Set(users.map((u) => u.user)).size, 40);
  assert.equal(new Set(users.map((u) => u.project)).size, 15);
  const keys = new Set(DEMO_APPS.map((a) => a.key));
  for (const u of users) {
    assert.match(u.project, /^[a-z]{4}1\d\d$/);
    assert.ok(u.user.startsWith(u.project) && /^[a-z]{4}1\d\d[a-z]\d*$/.test(u.user), u.user);
    assert.ok(u.apps.length >= 1 && u.apps.every((k) => keys.has(k)));
    assert.ok(u.apps.every((k) => DEMO_APPS.find((a) => a.key === k)?.gpu === u.gpu));
  }
  assert.ok(users.some((u) => u.gpu) && users.some((u) => !u.gpu));
  assert.ok(users[0].activity > users[39].activity);
  assert.deepEqual(generateDemoUsers(new Rng(5), { apps: DEMO_APPS }), users);
});
