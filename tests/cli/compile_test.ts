import assert from "node:assert/strict";
import { join } from "node:path";
import { DENO_JSON, REPO, withSite } from "./cli_helpers.ts";

/**
 * The arguments of the `compile` task in deno.json (after `deno`), with the
 * output redirected to `output`.
 */
async function compileTaskArgs(output: string): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(DENO_JSON));
  const task: string = config.tasks.compile;
  const words = task.split(/\s+/);
  assert.equal(words[0], "deno", `unexpected compile task ${task}`);
  assert.equal(words[1], "compile", `unexpected compile task ${task}`);
  const at = words.indexOf("--output");
  assert.ok(at > 0, `the compile task has no --output: ${task}`);
  words[at + 1] = output;
  return words.slice(1);
}

// `deno compile` normally downloads the denort runtime, which our machines
// cannot; DENORT_BIN makes it embed the program into the deno binary itself.
// That still builds the whole module graph and embeds every asset, so a
// successful compile proves they all resolve. (The result is not runnable as
// cc-backend: its runtime is the deno CLI.)
Deno.test("deno task compile builds a single cc-backend executable", async (t) => {
  await withSite(async (dir) => {
    const output = join(dir, "cc-backend");
    const args = await compileTaskArgs(output);
    const result = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: REPO,
      env: { NO_COLOR: "1", DENORT_BIN: Deno.realPathSync(Deno.execPath()) },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(result.stderr);

    await t.step("deno compile succeeds", () => {
      assert.equal(result.code, 0, stderr);
    });

    await t.step("the executable is written and larger than 50 MB", async () => {
      const info = await Deno.stat(output);
      assert.ok(info.isFile);
      assert.ok(info.size > 50 * 1024 * 1024, `only ${info.size} bytes`);
      assert.ok((info.mode ?? 0o755) & 0o100, "not executable");
    });

    // Workers are not part of the module graph deno compile follows; the
    // task must --include the insert worker of -init-db, the job writer and
    // the metric store's parse worker.
    await t.step("the worker modules are among the embedded files", () => {
      assert.match(stderr, /^Embedded Files$/m);
      assert.match(stderr, /\binsert_worker\.ts \(/, "insert_worker.ts not embedded");
      assert.match(stderr, /\bjob_writer_worker\.ts \(/, "job_writer_worker.ts not embedded");
      assert.match(stderr, /\bingest_worker\.ts \(/, "ingest_worker.ts not embedded");
    });
  });
});
