import assert from "node:assert/strict";
import { barPercent, classifyFootprint, footprintBars, jobThresholds } from "./job_footprint.ts";

const T = { peak: 100, normal: 50, caution: 20, alert: 10 };
const LOW = { peak: 256, normal: 128, caution: 200, alert: 240 };

Deno.test("classifyFootprint() grades higher-is-better values against the thresholds", () => {
  const grade = (v: number) => {
    const c = classifyFootprint(v, T);
    return [c.color, c.impact];
  };
  assert.deepEqual(grade(0), ["danger", 3]);
  assert.deepEqual(grade(10), ["danger", 3]);
  assert.deepEqual(grade(15), ["warning", 2]);
  assert.deepEqual(grade(20), ["warning", 2]);
  assert.deepEqual(grade(35), ["success", 1]);
  assert.deepEqual(grade(50), ["success", 1]);
  assert.deepEqual(grade(80), ["info", 0]);
  assert.deepEqual(grade(101), ["secondary", -1]);
  assert.deepEqual(grade(-1), ["secondary", -1]);
  assert.equal(
    classifyFootprint(5, T).message,
    "Footprint value way below expected normal threshold.",
  );
  assert.deepEqual(classifyFootprint(5, T).icons, ["emoji-frown", "exclamation-triangle-fill"]);
  assert.equal(
    classifyFootprint(101, T).message,
    "Footprint value above expected peak threshold: Check for artifacts!",
  );
  assert.equal(
    classifyFootprint(80, T).message,
    "Footprint value above expected normal threshold: Check for artifacts recommended.",
  );
});

Deno.test("classifyFootprint() grades lower-is-better values the other way round", () => {
  const grade = (v: number) => classifyFootprint(v, { ...LOW, lowerIsBetter: true }).color;
  assert.equal(grade(250), "danger");
  assert.equal(grade(240), "danger");
  assert.equal(grade(220), "warning");
  assert.equal(grade(200), "warning");
  assert.equal(grade(100), "success");
  assert.equal(grade(0), "success");
  assert.equal(grade(300), "secondary");
  assert.equal(
    classifyFootprint(250, { ...LOW, lowerIsBetter: true }).message,
    "Footprint value way above expected normal threshold.",
  );
  assert.equal(
    classifyFootprint(220, { ...LOW, lowerIsBetter: true }).message,
    "Footprint value above expected normal threshold.",
  );
});

Deno.test("jobThresholds() scales non-average statistics of shared jobs by their hwthread share", () => {
  const exclusive = { shared: "none", numHWThreads: 18, stat: "max", hwthreadsPerNode: 72 };
  assert.deepEqual(jobThresholds(T, exclusive), T);
  assert.deepEqual(jobThresholds(T, { ...exclusive, shared: "single_user", stat: "avg" }), T);
  assert.deepEqual(
    jobThresholds(T, { ...exclusive, shared: "single_user" }),
    { peak: 25, normal: 13, caution: 5, alert: 3 },
  );
  assert.deepEqual(
    jobThresholds(T, { ...exclusive, shared: "multi_user", hwthreadsPerNode: 0 }),
    T,
  );
});

Deno.test("footprintBars() classifies, sorts by impact then name, and flags unknown metrics", () => {
  const configs = [
    { name: "flops_any", unit: { base: "F/s", prefix: "G" }, ...T },
    { name: "mem_bw", unit: { base: "B/s", prefix: "G" }, ...T },
    { name: "mem_used", unit: { base: "B", prefix: "G" }, lowerIsBetter: true, ...LOW },
    { name: "cpu_load", unit: { base: "" }, ...T },
  ];
  const bars = footprintBars(
    {
      shared: "none",
      numHWThreads: 72,
      footprint: [
        { name: "mem_used", stat: "max", value: 250 },
        { name: "mystery", stat: "avg", value: 1 },
        { name: "mem_bw", stat: "avg", value: 40 },
        { name: "flops_any", stat: "avg", value: 40 },
        { name: "cpu_load", stat: "avg", value: 500 },
      ],
    },
    configs,
    72,
  );
  assert.deepEqual(bars.map((b) => [b.name, b.color, b.impact]), [
    ["cpu_load", "secondary", -1],
    ["flops_any", "success", 1],
    ["mem_bw", "success", 1],
    ["mem_used", "danger", 3],
    ["mystery", "light", 4],
  ]);
  assert.equal(bars[1].unit, "GF/s");
  assert.equal(bars[1].peak, 100);
  assert.equal(bars[3].lowerIsBetter, true);
  assert.equal(bars[4].message, "No config for metric mystery found.");
});

Deno.test("barPercent() is the share of the peak within 0..100", () => {
  assert.equal(barPercent(25, 100), 25);
  assert.equal(barPercent(250, 100), 100);
  assert.equal(barPercent(-5, 100), 0);
  assert.equal(barPercent(5, 0), 0);
  assert.equal(barPercent(NaN, 10), 0);
});
