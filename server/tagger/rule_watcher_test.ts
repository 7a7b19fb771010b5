import assert from "node:assert/strict";
import { join } from "node:path";
import { setLogSink } from "../log/logger.ts";
import { watchRuleDir } from "./rule_watcher.ts";
import { Taggers } from "./taggers.ts";
import { withTaggerSite } from "./test_helpers.ts";

/** Polls `check` until it holds or `timeoutMs` passes. */
async function eventually(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

Deno.test("the taggers reload their rules when the rule directories change", async (t) => {
  await withTaggerSite(async (site) => {
    const previous = setLogSink(() => {});
    const appsDir = join(site.dir, "var/tagger/apps");
    const classesDir = join(site.dir, "var/tagger/jobclasses");
    await Deno.mkdir(appsDir, { recursive: true });
    await Deno.mkdir(classesDir, { recursive: true });
    await Deno.writeTextFile(join(appsDir, "foo.txt"), "foo_bin\n");
    await Deno.writeTextFile(join(classesDir, "parameters.json"), '{"limit": 10}');
    const rule = (limit: string) =>
      JSON.stringify({ tag: "long", parameters: [limit], rule: `job.duration > ${limit}` });
    await Deno.writeTextFile(join(classesDir, "long.json"), rule("limit"));
    const taggers = new Taggers(site, {
      appsDir,
      jobClassesDir: classesDir,
      reloadDebounceMs: 30,
    });
    try {
      await taggers.load();
      taggers.watch();
      const apps = () => taggers.app.apps.map((a) => `${a.name}:${a.sources.join("|")}`);
      assert.deepEqual(apps(), ["foo:foo_bin"]);
      assert.deepEqual(taggers.jobClass.rules.map((r) => r.tag), ["long"]);

      await t.step("a new app file is picked up", async () => {
        await Deno.writeTextFile(join(appsDir, "bar.txt"), "bar_bin\n");
        await eventually("bar is loaded", () => apps().includes("bar:bar_bin"));
        assert.deepEqual(apps(), ["bar:bar_bin", "foo:foo_bin"]);
      });
      await t.step("an edited app file replaces that app", async () => {
        await Deno.writeTextFile(join(appsDir, "foo.txt"), "foo_new\nfoo_two\n");
        await eventually("foo is reloaded", () => apps().includes("foo:foo_new|foo_two"));
      });
      await t.step("a removed app file drops that app", async () => {
        await Deno.remove(join(appsDir, "bar.txt"));
        await eventually("bar is gone", () => apps().length === 1);
        assert.deepEqual(apps(), ["foo:foo_new|foo_two"]);
      });
      await t.step("a changed parameters.json reaches the rules", async () => {
        await Deno.writeTextFile(join(classesDir, "parameters.json"), '{"limit": 99}');
        await eventually(
          "the new limit is loaded",
          () => taggers.jobClass.rules[0]?.parameters.limit === 99,
        );
      });
      await t.step("a broken rule file is dropped; fixing it brings the rule back", async () => {
        await Deno.writeTextFile(join(classesDir, "long.json"), rule("nope"));
        await eventually("the rule is dropped", () => taggers.jobClass.rules.length === 0);
        await Deno.writeTextFile(join(classesDir, "long.json"), rule("limit"));
        await eventually("the rule is back", () => taggers.jobClass.rules.length === 1);
      });
    } finally {
      await taggers.close();
      setLogSink(previous);
    }
  });
});

Deno.test("watchRuleDir() does not watch a directory that does not exist", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cc-tagger-watch-" });
  try {
    assert.equal(watchRuleDir(join(dir, "missing"), () => Promise.resolve()), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
