import { deepEqual, equal, ok } from "node:assert/strict";
import { average, lttb, resample } from "./resample.ts";
import { values } from "./test_helpers.ts";

function series(n: number, f: (i: number) => number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => f(i));
}

Deno.test("lttb() keeps the first and last point and the extremes", () => {
  const data = series(1000, (i) => Math.sin(i / 50) * 10);
  data[123] = 500; // a spike
  data[777] = -400; // a dip
  const out = lttb(data, 100);
  equal(out.length, 100);
  equal(out[0], data[0]);
  equal(out[99], data[999]);
  ok(out.includes(500), "spike kept");
  ok(out.includes(-400), "dip kept");
  for (const v of out) ok(data.includes(v), "every output point is an input point");
});

Deno.test("lttb() keeps all-NaN buckets as gaps and never picks NaN over a value", () => {
  const data = series(100, (i) => (i >= 30 && i < 70 ? NaN : i));
  const out = lttb(data, 10);
  equal(out.length, 10);
  ok(values(out).some((v) => Number.isNaN(v)), "the gap is visible");
  const partial = series(100, (i) => (i % 2 === 0 ? NaN : i));
  ok(values(lttb(partial, 10)).slice(1, -1).every((v) => !Number.isNaN(v)));
});

Deno.test("average() means each bucket without NaN", () => {
  deepEqual(values(average(Float64Array.from([1, 2, 3, 4, 5, NaN, NaN, NaN, 9]), 3)), [2, 4.5, 9]);
  deepEqual(values(average(Float64Array.from([NaN, NaN]), 2)), [NaN]);
});

Deno.test("resample() follows the reference's no-op rules", async (t) => {
  const data = series(2000, (i) => i);
  await t.step("not coarser, or too few points: unchanged", () => {
    equal(resample(data, { freq: 60, resolution: 0 }).data, data);
    equal(resample(data, { freq: 60, resolution: 60 }).data, data);
    equal(resample(data, { freq: 60, resolution: 30 }).resolution, 60);
    const short = series(999, (i) => i);
    deepEqual(resample(short, { freq: 60, resolution: 600 }), { data: short, resolution: 60 });
    equal(resample(short, { freq: 60, resolution: 600, minimumPoints: 10 }).resolution, 600);
  });
  await t.step("LTTB by default, length len/step", () => {
    const r = resample(data, { freq: 60, resolution: 600 });
    equal(r.resolution, 600);
    equal(r.data.length, 200);
    equal(r.data[0], 0);
    equal(r.data[199], 1999);
  });
  await t.step("a resolution that is not a multiple is rounded down", () => {
    const r = resample(data, { freq: 60, resolution: 650 });
    equal(r.resolution, 600);
  });
  await t.step("averaging", () => {
    const r = resample(data, { freq: 60, resolution: 600, method: "average" });
    equal(r.data.length, 200);
    equal(r.data[0], 4.5);
  });
  await t.step("fewer than three LTTB points fall back to averaging", () => {
    const r = resample(series(1000, () => 1), { freq: 1, resolution: 600 });
    deepEqual([r.resolution, values(r.data)], [600, [1, 1]]);
  });
});
