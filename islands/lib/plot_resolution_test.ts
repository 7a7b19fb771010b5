import assert from "node:assert/strict";
import { closestResolution, initialResolution, zoomResolution } from "./plot_resolution.ts";

const RESAMPLING = { resolutions: [600, 300, 120, 60], trigger: 30 };

Deno.test("initialResolution() is the largest resolution, or native without resampling", () => {
  assert.equal(initialResolution(RESAMPLING), 600);
  assert.equal(initialResolution({ resolutions: [60, 240], trigger: 30 }), 240);
  assert.equal(initialResolution(null), 0);
  assert.equal(initialResolution({ resolutions: [], trigger: 30 }), 0);
});

Deno.test("closestResolution() picks the nearest, the finer one on a tie", () => {
  assert.equal(closestResolution([600, 300, 120, 60], 280), 300);
  assert.equal(closestResolution([600, 300, 120, 60], 90), 60);
  assert.equal(closestResolution([600, 300, 120, 60], 0), 60);
  assert.equal(closestResolution([600, 300, 120, 60], 5000), 600);
});

Deno.test("zoomResolution() asks for finer data only when few points stay visible", async (t) => {
  await t.step("a window of 14 points at 600 s asks for 300 s", () => {
    assert.equal(zoomResolution({ min: 3000, max: 3000 + 14 * 600 }, 600, RESAMPLING), 300);
  });
  await t.step("a window of 3 points asks for the finest", () => {
    assert.equal(zoomResolution({ min: 0, max: 1800 }, 600, RESAMPLING), 60);
  });
  await t.step("more visible points than the trigger keep the data", () => {
    assert.equal(zoomResolution({ min: 0, max: 31 * 600 }, 600, RESAMPLING), null);
  });
  await t.step("at the finest resolution nothing is re-fetched", () => {
    assert.equal(zoomResolution({ min: 0, max: 600 }, 60, RESAMPLING), null);
  });
  await t.step("no resampling configured: never", () => {
    assert.equal(zoomResolution({ min: 0, max: 600 }, 600, null), null);
  });
  await t.step("when the closest resolution is the current one: none", () => {
    assert.equal(zoomResolution({ min: 0, max: 30 * 300 }, 300, RESAMPLING), null);
  });
});
