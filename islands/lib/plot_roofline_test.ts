import assert from "node:assert/strict";
import {
  decades,
  logPosition,
  rooflineAxes,
  rooflineCeilings,
  rooflinePoints,
  timeColor,
} from "./plot_roofline.ts";

Deno.test("rooflinePoints() pairs nodes by index and skips what cannot be plotted", async (t) => {
  await t.step("intensity = flops / bandwidth, performance = flops, time 0..1 per node", () => {
    const points = rooflinePoints([[100, 200, 300], [10, 20]], [[10, 20, 30], [1, 4]]);
    assert.deepEqual(points.x, [10, 10, 10, 10, 5]);
    assert.deepEqual(points.y, [100, 200, 300, 10, 20]);
    assert.deepEqual(points.t, [0, 0.5, 1, 0, 1]);
  });
  await t.step("missing values, zero bandwidth, zero or negative flops are left out", () => {
    const points = rooflinePoints([[null, 5, 5, 0, -1, 7]], [[1, null, 0, 1, 1, 7]]);
    assert.deepEqual(points.x, [1]);
    assert.deepEqual(points.y, [7]);
    assert.deepEqual(points.t, [1]);
  });
  await t.step("a node without bandwidth data adds nothing", () => {
    assert.deepEqual(rooflinePoints([[1, 2]], []), { x: [], y: [], t: [] });
  });
});

Deno.test("timeColor() runs blue → green → red, without red in colour-blind mode", () => {
  assert.equal(timeColor(0), "rgb(0,0,255)");
  assert.equal(timeColor(0.5), "rgb(0,255,0)");
  assert.equal(timeColor(1), "rgb(255,0,0)");
  assert.equal(timeColor(0.75), "rgb(128,128,0)");
  assert.equal(timeColor(1, true), "rgb(0,0,0)");
  assert.equal(timeColor(2), "rgb(255,0,0)");
});

Deno.test("rooflineAxes() rounds the SIMD peak up to a thousand", () => {
  assert.deepEqual(rooflineAxes({ flopRateSimd: 9216 }), {
    xMin: 0.01,
    xMax: 1000,
    yMin: 1,
    yMax: 10000,
  });
  assert.equal(rooflineAxes({ flopRateSimd: 112 }).yMax, 1000);
  assert.equal(rooflineAxes({}).yMax, 10000);
});

Deno.test("rooflineCeilings() draws the memory roof to the SIMD knee and both ceilings", async (t) => {
  const roof = { memoryBandwidth: 350, flopRateScalar: 432, flopRateSimd: 9216 };
  const axes = rooflineAxes(roof);
  await t.step("emmy-like fritz subcluster", () => {
    const [memory, simd, scalar] = rooflineCeilings(roof, axes);
    assert.deepEqual(memory, { x1: 0.01, y1: 3.5, x2: 9216 / 350, y2: 9216 });
    assert.deepEqual(simd, { x1: 9216 / 350, y1: 9216, x2: 1000, y2: 9216 });
    assert.deepEqual(scalar, { x1: 432 / 350, y1: 432, x2: 1000, y2: 432 });
  });
  await t.step("without bandwidth there is no roof", () => {
    assert.deepEqual(rooflineCeilings({ ...roof, memoryBandwidth: 0 }, axes), []);
  });
  await t.step("without flop rates the memory line runs to the top", () => {
    const segments = rooflineCeilings(
      { memoryBandwidth: 100, flopRateScalar: 0, flopRateSimd: 0 },
      axes,
    );
    assert.deepEqual(segments, [{ x1: 0.01, y1: 1, x2: 100, y2: 10000 }]);
  });
});

Deno.test("logPosition() and decades() map a log axis", () => {
  const axis = { min: 0.01, max: 1000, size: 500 };
  assert.equal(logPosition(0.01, axis), 0);
  assert.equal(logPosition(1000, axis), 500);
  assert.equal(logPosition(1, axis), 200);
  assert.deepEqual(decades(0.01, 1000), [0.01, 0.1, 1, 10, 100, 1000]);
  assert.deepEqual(decades(1, 10000), [1, 10, 100, 1000, 10000]);
});
