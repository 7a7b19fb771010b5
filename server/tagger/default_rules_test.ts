import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_APP_FILES } from "./default_rules/apps.ts";
import { DEFAULT_JOBCLASS_FILES } from "./default_rules/jobclasses.ts";
import { FIXTURE_APPS_DIR, FIXTURE_JOBCLASSES_DIR } from "./test_helpers.ts";

async function readDir(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for await (const entry of Deno.readDir(dir)) {
    files[entry.name] = await Deno.readTextFile(join(dir, entry.name));
  }
  return files;
}

Deno.test("the built-in app rules equal cc-backend's shipped files", async () => {
  const fixtures = await readDir(FIXTURE_APPS_DIR);
  assert.deepEqual(Object.keys(DEFAULT_APP_FILES), Object.keys(fixtures).sort());
  assert.deepEqual({ ...DEFAULT_APP_FILES }, fixtures);
});

Deno.test("the built-in job-class rules equal cc-backend's shipped files", async () => {
  const fixtures = await readDir(FIXTURE_JOBCLASSES_DIR);
  assert.deepEqual(Object.keys(DEFAULT_JOBCLASS_FILES).sort(), Object.keys(fixtures).sort());
  for (const [name, text] of Object.entries(fixtures)) {
    assert.deepEqual(DEFAULT_JOBCLASS_FILES[name], JSON.parse(text), name);
  }
});
