import assert from "node:assert/strict";
import { AppError } from "../errors.ts";
import { withTempDb } from "./test_db.ts";
import { UserConfigRepository } from "./user_config_repository.ts";

Deno.test("listConfig() and getConfig() read the fixture's JSON values", async () => {
  await withTempDb((db) => {
    const config = new UserConfigRepository(db);
    assert.deepEqual(config.listConfig("demo"), {
      "jobList_showFootprint:fritz": false,
      "metricConfig_jobListMetrics:fritz": ["flops_any", "mem_bw", "mem_used", "clock"],
    });
    assert.equal(config.getConfig("demo", "jobList_showFootprint:fritz"), false);
    assert.equal(config.getConfig("demo", "missing"), undefined);
    assert.deepEqual(config.listConfig("nobody"), {});
  }, { fixture: true });
});

Deno.test("setConfig() inserts, replaces and keeps strings verbatim", async () => {
  await withTempDb((db) => {
    const config = new UserConfigRepository(db);
    config.setConfig("demo", { key: "plot_general_colorscheme", value: ["#fff", "'); --"] });
    config.setConfig("demo", { key: "jobList_showFootprint:fritz", value: true });
    assert.deepEqual(config.getConfig("demo", "plot_general_colorscheme"), ["#fff", "'); --"]);
    assert.equal(config.getConfig("demo", "jobList_showFootprint:fritz"), true);
    const raw = db.prepare(
      "SELECT value FROM configuration WHERE username = 'demo' AND confkey = 'jobList_showFootprint:fritz'",
    ).get();
    assert.equal(raw?.value, "true");
    assert.equal(config.deleteConfig("demo", "plot_general_colorscheme"), true);
    assert.equal(config.deleteConfig("demo", "plot_general_colorscheme"), false);
  }, { fixture: true });
});

Deno.test("setConfig() names an unknown user and rejects unusable input", async () => {
  await withTempDb((db) => {
    const config = new UserConfigRepository(db);
    assert.throws(() => config.setConfig("ghost", { key: "k", value: 1 }), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.status, 404);
      assert.equal(error.message, 'cannot set configuration "k" for user "ghost": no such user');
      return true;
    });
    assert.throws(() => config.setConfig("demo", { key: "", value: 1 }), /empty key/);
    assert.throws(
      () => config.setConfig("demo", { key: "k", value: undefined }),
      /not representable as JSON/,
    );
  }, { fixture: true });
});

Deno.test("getConfig() reports a stored value that is not JSON", async () => {
  await withTempDb((db) => {
    db.prepare("INSERT INTO configuration VALUES ('demo', 'broken', '{oops')").run();
    const config = new UserConfigRepository(db);
    assert.throws(
      () => config.getConfig("demo", "broken"),
      /configuration "broken" of user "demo" does not hold valid JSON/,
    );
  }, { fixture: true });
});
