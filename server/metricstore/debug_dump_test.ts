import { deepEqual, equal } from "node:assert/strict";
import { debugDump } from "./debug_dump.ts";
import { testStore } from "./test_helpers.ts";

Deno.test("debugDump() lists buffers oldest first, marks restored ones, nests children", () => {
  const store = testStore({ bufferCapacity: 2 });
  store.appendSeries(["c", "h"], {
    metric: "cpu_load",
    firstTime: 100,
    freq: 10,
    values: Float64Array.from([1, 2]),
  });
  store.write(["c", "h"], "cpu_load", 120, 3);
  store.write(["c", "h", "core0"], "flops_any", 100, 1);
  deepEqual(debugDump(store, ["c", "h"]), {
    data: {
      cpu_load: [{ start: 95, len: 2, end: 120, saved: true }, { start: 115, len: 1, end: 130 }],
      core0: { flops_any: [{ start: 95, len: 1, end: 110 }] },
    },
  });
  equal(debugDump(store, ["c", "nope"]), undefined);
});
