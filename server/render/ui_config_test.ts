import assert from "node:assert/strict";
import { applyDefaults } from "../config/apply_defaults.ts";
import { AUTH_SOURCES, UserConfigRepository, UserRepository } from "../db/mod.ts";
import { withTempDb } from "../db/test_db.ts";
import type { AuthUser } from "../auth/auth_user.ts";
import { flattenUiConfig, userUiConfig } from "./ui_config.ts";

Deno.test("flattenUiConfig() gives cc-backend's default keys and per-cluster selections", () => {
  const config = applyDefaults({
    main: { addr: ":0" },
    ui: {
      "job-list": { "use-paging": true },
      "metric-config": {
        "job-list-metrics": ["mem_bw"],
        clusters: [{
          name: "test",
          "job-view-plot-metrics": ["a"],
          "sub-clusters": [{ name: "one", "job-list-metrics": ["mem_used", "flops_sp"] }],
        }],
      },
    },
  });
  const flat = flattenUiConfig(config.ui);
  assert.equal(flat.jobList_usePaging, true);
  assert.equal(flat.jobList_showFootprint, false);
  assert.equal(flat.jobView_showPolarPlot, true);
  assert.equal(flat.plotConfiguration_plotsPerRow, 3);
  assert.equal((flat.plotConfiguration_colorScheme as string[]).length, 7);
  assert.deepEqual(flat.metricConfig_jobListMetrics, ["mem_bw"]);
  assert.deepEqual(flat.metricConfig_jobViewTableMetrics, ["flops_any", "mem_bw", "mem_used"]);
  assert.deepEqual(flat["metricConfig_jobViewPlotMetrics:test"], ["a"]);
  assert.deepEqual(flat["metricConfig_jobListMetrics:test:one"], ["mem_used", "flops_sp"]);
  assert.equal(flat["metricConfig_jobListMetrics:test"], undefined);
  assert.equal(flat.jobList_hideShortRunningJobs, undefined);
});

Deno.test("userUiConfig() overlays the user's stored values and adds the short-job cutoff", async () => {
  await withTempDb(async (db) => {
    await new UserRepository(db).addUser({
      username: "u",
      roles: ["user"],
      projects: [],
      authSource: AUTH_SOURCES.local,
    });
    const repo = new UserConfigRepository(db);
    repo.setConfig("u", { key: "jobList_usePaging", value: true });
    repo.setConfig("u", { key: "metricConfig_jobListMetrics:fritz", value: ["x"] });
    const config = applyDefaults({ main: { addr: ":0", "short-running-jobs-duration": 120 } });
    const user = { username: "u", roles: ["user"], projects: [] } as unknown as AuthUser;
    const ui = userUiConfig({ db, config }, user);
    assert.equal(ui.jobList_usePaging, true);
    assert.deepEqual(ui["metricConfig_jobListMetrics:fritz"], ["x"]);
    assert.deepEqual(ui.metricConfig_jobListMetrics, [
      "cpu_load",
      "flops_any",
      "mem_bw",
      "mem_used",
    ]);
    assert.equal(ui.jobList_hideShortRunningJobs, 120);
    assert.equal(userUiConfig({ db, config }, undefined).jobList_hideShortRunningJobs, undefined);
  });
});
