import assert from "node:assert/strict";
import { metricSelection, uiSetting } from "./ui_settings.ts";

Deno.test("metricSelection() prefers the subcluster key, then the cluster key, then the global one", () => {
  const map = {
    metricConfig_jobViewPlotMetrics: ["cpu_load"],
    "metricConfig_jobViewPlotMetrics:fritz": ["mem_bw", 7],
    "metricConfig_jobViewPlotMetrics:fritz:spr1tb": ["flops_any"],
  };
  const key = "metricConfig_jobViewPlotMetrics";
  assert.deepEqual(metricSelection(map, key, { cluster: "fritz", subCluster: "spr1tb" }), [
    "flops_any",
  ]);
  assert.deepEqual(metricSelection(map, key, { cluster: "fritz", subCluster: "main" }), ["mem_bw"]);
  assert.deepEqual(metricSelection(map, key, { cluster: "emmy" }), ["cpu_load"]);
  assert.deepEqual(metricSelection(map, key, {}), ["cpu_load"]);
  assert.deepEqual(metricSelection({}, key, { cluster: "fritz" }), []);
});

Deno.test("uiSetting() takes a stored value only when it has the expected type", () => {
  const map = { a: true, n: "3", list: ["x", 1], ok: ["x"] };
  assert.equal(uiSetting(map, { key: "a", fallback: false }), true);
  assert.equal(uiSetting(map, { key: "n", fallback: 5 }), 5);
  assert.equal(uiSetting(map, { key: "missing", fallback: 5 }), 5);
  assert.deepEqual(uiSetting(map, { key: "list", fallback: ["d"] }), ["d"]);
  assert.deepEqual(uiSetting(map, { key: "ok", fallback: ["d"] }), ["x"]);
});
