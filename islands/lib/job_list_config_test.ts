import assert from "node:assert/strict";
import {
  configKey,
  histogramMetrics,
  listMetrics,
  metricAvailability,
  metricsOn,
  pagingOf,
  plotScope,
  plotSettings,
  rowScopes,
  showFootprint,
  slimJob,
} from "./job_list_config.ts";
import type { GlobalMetric, JobItem } from "./job_list_types.ts";

Deno.test("listMetrics() falls back from cluster:partition to cluster to the global key", () => {
  const config = {
    metricConfig_jobListMetrics: ["a"],
    "metricConfig_jobListMetrics:fritz": ["b"],
    "metricConfig_jobListMetrics:fritz:work": ["c"],
  };
  assert.deepEqual(listMetrics(config), ["a"]);
  assert.deepEqual(listMetrics(config, "fritz"), ["b"]);
  assert.deepEqual(listMetrics(config, "fritz", "work"), ["c"]);
  assert.deepEqual(listMetrics(config, "fritz", "other"), ["b"]);
  assert.deepEqual(listMetrics(config, "alex", "work"), ["a"]);
  assert.deepEqual(listMetrics({}), []);
  assert.equal(configKey("k", "c", "s"), "k:c:s");
  assert.equal(configKey("k", undefined, "s"), "k");
});

Deno.test("showFootprint(), histogramMetrics() and pagingOf() read cc-backend's keys", () => {
  assert.equal(showFootprint({ jobList_showFootprint: true }, "fritz"), true);
  assert.equal(
    showFootprint({ jobList_showFootprint: true, "jobList_showFootprint:fritz": false }, "fritz"),
    false,
  );
  assert.equal(showFootprint({}), false);
  // The cluster key has no fallback to the global one.
  const h = { userView_histogramMetrics: ["x"], "userView_histogramMetrics:alex": ["y"] };
  assert.deepEqual(histogramMetrics(h), ["x"]);
  assert.deepEqual(histogramMetrics(h, "alex"), ["y"]);
  assert.deepEqual(histogramMetrics(h, "fritz"), []);
  assert.deepEqual(pagingOf({}), { usePaging: false, itemsPerPage: 10 });
  assert.deepEqual(pagingOf({ jobList_usePaging: true }), { usePaging: true, itemsPerPage: 10 });
  assert.deepEqual(pagingOf({ jobList_usePaging: true, jobList_jobsPerPage: 25 }), {
    usePaging: true,
    itemsPerPage: 25,
  });
  assert.deepEqual(pagingOf({ jobList_jobsPerPage: 25 }), { usePaging: false, itemsPerPage: 10 });
});

Deno.test("plotSettings() reads the plot configuration with fallbacks", () => {
  assert.deepEqual(plotSettings({}), {
    colorScheme: ["#0000ff"],
    lineWidth: 1,
    colorBackground: true,
    colorblind: false,
    plotsPerRow: 3,
  });
  const s = plotSettings({
    plotConfiguration_colorScheme: ["#111", "#222"],
    plotConfiguration_lineWidth: 3,
    plotConfiguration_colorBackground: false,
    plotConfiguration_colorblindMode: true,
  });
  assert.deepEqual(s.colorScheme, ["#111", "#222"]);
  assert.equal(s.lineWidth, 3);
  assert.equal(s.colorBackground, false);
  assert.equal(s.colorblind, true);
});

Deno.test("rowScopes() and plotScope() follow the job list's scope rules", () => {
  assert.deepEqual(rowScopes({ numNodes: 1, numAcc: 0 }), ["core"]);
  assert.deepEqual(rowScopes({ numNodes: 1, numAcc: 4 }), ["core", "accelerator"]);
  assert.deepEqual(rowScopes({ numNodes: 8, numAcc: 4 }), ["node"]);
  const entries = [{ scope: "core" }, { scope: "node" }, { scope: "socket" }];
  assert.equal(plotScope(entries, 1)?.scope, "core");
  assert.equal(plotScope(entries, 2)?.scope, "node");
  assert.equal(plotScope([], 1), undefined);
});

Deno.test("metricAvailability() and metricsOn() read globalMetrics' availability", () => {
  const metrics: GlobalMetric[] = [
    { name: "flops", scope: "node", availability: [{ cluster: "fritz", subClusters: ["main"] }] },
    {
      name: "gpu",
      scope: "accelerator",
      availability: [{ cluster: "alex", subClusters: ["a40"] }],
    },
  ];
  assert.equal(metricAvailability(metrics, "flops", "fritz", "main"), "ok");
  assert.equal(metricAvailability(metrics, "flops", "fritz", "spr"), "disabled");
  assert.equal(metricAvailability(metrics, "flops", "alex", "a40"), "not-configured");
  assert.equal(metricAvailability(metrics, "nope", "fritz", "main"), "not-configured");
  assert.deepEqual(metricsOn(metrics, "alex").map((m) => m.name), ["gpu"]);
  assert.equal(metricsOn(metrics).length, 2);
});

Deno.test("slimJob() keeps only what a list row shows", () => {
  const job = {
    id: "1",
    numNodes: 1,
    resources: [{ hostname: "a" }, { hostname: "b" }],
    metaData: { jobName: "n", jobScript: "#!/bin/sh\n".repeat(1000) },
    tags: null,
  } as unknown as JobItem;
  const slim = slimJob(job);
  assert.deepEqual(slim.metaData, { jobName: "n" });
  assert.deepEqual(slim.resources, [{ hostname: "a" }]);
  assert.deepEqual(slim.tags, []);
  assert.deepEqual(slimJob({ ...job, numNodes: 2, metaData: null }).resources, []);
  assert.equal(slimJob({ ...job, metaData: null }).metaData, null);
});
