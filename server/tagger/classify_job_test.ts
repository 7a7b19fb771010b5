import assert from "node:assert/strict";
import type { Job, JobStatistics } from "../archive/mod.ts";
import { classifyJob, jobEnvironment } from "./classify_job.ts";
import { parseJobClassRule } from "./job_class_rules.ts";
import { fixtureJobClassRules, FRITZ_MAIN_METRICS, stats, testJob } from "./test_helpers.ts";

const { rules } = await fixtureJobClassRules();

function classify(statistics: Record<string, JobStatistics>, job: Job = testJob()) {
  return classifyJob({ job, statistics, metricConfig: FRITZ_MAIN_METRICS }, rules);
}

function tags(statistics: Record<string, JobStatistics>, job?: Job): string[] {
  return classify(statistics, job).matches.map((m) => m.tag);
}

// Limits of fritz/main: cpu_load peak 72; mem_used peak 256, alert 240; flops_any peak 5600,
// alert 50; mem_bw peak 350, alert 10. Parameters: excessive load 1.2 (72 × 1.2 = 86.4),
// low load 0.85 (72 × 0.85 = 61.2), memory bound 0.8 (350 × 0.8 = 280), minimum duration 600 s.

Deno.test("highMemoryUsage.json: mem_used.max above the alert limit 240", async (t) => {
  await t.step("max 250 hits, with the hint's percentage of the peak 256", () => {
    const { matches } = classify(stats({ mem_used: [100, 200, 250] }));
    assert.deepEqual(matches, [{
      tag: "highmemory",
      hint: "This job used high memory: peak memory usage 250 GB (97.66% of 256 GB node " +
        "capacity), exceeding the 0.9 utilization threshold. Risk of out-of-memory conditions.",
    }]);
  });
  await t.step("max 240 (equal to the alert limit) misses", () => {
    assert.deepEqual(tags(stats({ mem_used: [100, 200, 240] })), []);
  });
});

Deno.test("highload.json: cpu_load.avg above 1.2 × peak = 86.4", async (t) => {
  await t.step("avg 90 hits", () => {
    const { matches } = classify(stats({ cpu_load: [80, 90, 95] }));
    assert.deepEqual(matches, [{
      tag: "excessiveload",
      hint: "This job was detected as having excessive CPU load: average cpu load 90 exceeds " +
        "the oversubscription threshold 86.4 (1.2 \u00d7 72 peak cores), indicating CPU contention.",
    }]);
  });
  await t.step("avg 80 misses (and is not low load either)", () => {
    assert.deepEqual(tags(stats({ cpu_load: [70, 80, 85] })), []);
  });
});

Deno.test("lowload.json: cpu_load.avg below 0.85 × peak = 61.2", async (t) => {
  await t.step("avg 30 hits", () => {
    const { matches } = classify(stats({ cpu_load: [10, 30, 50] }));
    assert.deepEqual(matches, [{
      tag: "lowload",
      hint: "This job was detected as low CPU load: average cpu load 30 is below the threshold " +
        "61.2 (0.85).",
    }]);
  });
  await t.step("avg 61.2 misses (61.199999999999996 is the threshold)", () => {
    assert.deepEqual(tags(stats({ cpu_load: [60, 61.2, 62] })), []);
  });
});

Deno.test("lowUtilization.json: flops_any.avg below 50 and mem_bw.avg below 10", async (t) => {
  await t.step("flops 20 and bandwidth 5 hit", () => {
    const { matches } = classify(stats({ flops_any: [0, 20, 40], mem_bw: [0, 5, 8] }));
    assert.deepEqual(matches, [{
      tag: "lowutilization",
      hint: "This job shows low resource utilization: FLOP rate 20 GF/s (0.36% of peak) and " +
        "memory bandwidth 5 GB/s (1.43% of peak) are both below their alert thresholds.",
    }]);
  });
  await t.step("bandwidth 15 misses", () => {
    assert.deepEqual(tags(stats({ flops_any: [0, 20, 40], mem_bw: [0, 15, 20] })), []);
  });
  await t.step("flops 60 misses", () => {
    assert.deepEqual(tags(stats({ flops_any: [0, 60, 80], mem_bw: [0, 5, 8] })), []);
  });
});

Deno.test("memoryBound.json: mem_bw.avg above 0.8 × peak = 280", async (t) => {
  await t.step("avg 300 hits", () => {
    const { matches } = classify(stats({ mem_bw: [200, 300, 320] }));
    assert.deepEqual(matches, [{
      tag: "memorybound",
      hint: "This job is memory bandwidth bound: memory bandwidth 300 GB/s (85.71% of peak) is " +
        "within 0.8 of peak bandwidth. Consider improving data reuse or compute intensity.",
    }]);
  });
  await t.step("avg 250 misses", () => {
    assert.deepEqual(tags(stats({ mem_bw: [200, 250, 320] })), []);
  });
});

Deno.test("the shipped rules share their requirements", async (t) => {
  const all = stats({
    cpu_load: [10, 30, 50],
    mem_used: [100, 200, 250],
    flops_any: [0, 20, 40],
    mem_bw: [0, 5, 8],
  });
  await t.step("several rules match one job, in rule order", () => {
    assert.deepEqual(tags(all), ["highmemory", "lowutilization", "lowload"]);
  });
  await t.step("a shared node matches nothing", () => {
    assert.deepEqual(tags(all, testJob({ shared: "single_user" })), []);
  });
  await t.step("a job of exactly 600 s matches nothing, one of 601 s does", () => {
    assert.deepEqual(tags(all, testJob({ duration: 600 })), []);
    assert.equal(tags(all, testJob({ duration: 601 })).length, 3);
  });
});

Deno.test("classifyJob() skips rules it cannot evaluate and says why", async (t) => {
  await t.step("a metric without statistics", () => {
    const result = classify(stats({ cpu_load: [80, 90, 95] }));
    const skipped = result.skipped.find((s) => s.tag === "highmemory");
    assert.match(skipped!.reason, /no statistics for metric "mem_used"/);
  });
  await t.step("a metric the subcluster does not have", () => {
    const result = classifyJob({
      job: testJob({ subCluster: "spr2tb" }),
      statistics: stats({ mem_bw: [200, 300, 320] }),
      metricConfig: FRITZ_MAIN_METRICS.filter((m) => m.name !== "mem_bw"),
    }, rules);
    assert.deepEqual(result.matches, []);
    assert.match(
      result.skipped.find((s) => s.tag === "memorybound")!.reason,
      /metric "mem_bw" is not configured for subcluster "spr2tb" of cluster "fritz"/,
    );
  });
  await t.step("no statistics at all", () => {
    const result = classifyJob({ job: testJob(), statistics: null, metricConfig: [] }, rules);
    assert.equal(result.skipped.length, rules.length);
  });
  await t.step("an expression failing on this job's values", () => {
    const rule = parseJobClassRule({
      name: "odd.json",
      text: JSON.stringify({ tag: "odd", rule: "job.shared > 1" }),
    }, {});
    const result = classifyJob({ job: testJob(), statistics: {}, metricConfig: [] }, [rule]);
    assert.match(result.skipped[0].reason, /invalid operation: string > number/);
  });
});

Deno.test("cc-backend's classifyJob test: high_flops on 2 nodes", async (t) => {
  const rule = parseJobClassRule({
    name: "high_flops.json",
    text: JSON.stringify({
      name: "High FLOPS",
      tag: "high_flops",
      metrics: ["flops_any"],
      requirements: ["job.numNodes > 1"],
      variables: [{ name: "avg_flops", expr: "flops_any.avg" }],
      rule: "avg_flops > 100",
      hint: "High FLOPS: {{.avg_flops}}",
    }),
  }, {});
  const config = [{ ...FRITZ_MAIN_METRICS[2], peak: 1000, normal: 100, caution: 50, alert: 10 }];
  const job = testJob({ id: 123, numNodes: 2, numHwthreads: 4 });
  await t.step("avg 150 matches", () => {
    const result = classifyJob(
      { job, statistics: stats({ flops_any: [0, 150, 200] }), metricConfig: config },
      [rule],
    );
    assert.deepEqual(result.matches, [{ tag: "high_flops", hint: "High FLOPS: 150" }]);
  });
  await t.step("avg 20 does not", () => {
    const result = classifyJob(
      { job, statistics: stats({ flops_any: [0, 20, 200] }), metricConfig: config },
      [rule],
    );
    assert.deepEqual(result, { matches: [], skipped: [] });
  });
});

Deno.test("jobEnvironment() gives the job fields cc-backend provides", () => {
  assert.deepEqual(jobEnvironment(testJob({ smt: 2, numAcc: 4 })), {
    shared: "none",
    duration: 3600,
    numCores: 144,
    numNodes: 2,
    jobState: "completed",
    numAcc: 4,
    smt: 2,
  });
});
