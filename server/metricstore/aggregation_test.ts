import { deepEqual, equal, throws } from "node:assert/strict";
import { testStore, values } from "./test_helpers.ts";

const T0 = 1000;

/** Writes `series[i][k]` at `T0 + 10k` under child `prefix<i>` of host c:h. */
function fill(
  store: ReturnType<typeof testStore>,
  metric: string,
  prefix: string,
  series: number[][],
) {
  series.forEach((data, i) =>
    data.forEach((v, k) => store.write(["c", "h", `${prefix}${i}`], metric, T0 + 10 * k, v))
  );
}

Deno.test("node reads combine hwthread chains with the metric's aggregation", async (t) => {
  const store = testStore();
  const threads = [[1, 2, 3], [3, 4, 5], [5, 6, 7], [7, 8, 9]];
  fill(store, "cpu_user", "hwthread", threads); // avg
  fill(store, "flops_any", "hwthread", threads); // sum
  await t.step("avg", () => {
    const r = store.read(["c", "h"], "cpu_user", { from: 0, to: 5000 })!;
    deepEqual(values(r.data), [4, 5, 6]);
    equal(r.chains, 4);
  });
  await t.step("sum", () => {
    deepEqual(values(store.read(["c", "h"], "flops_any", { from: 0, to: 5000 })?.data), [
      16,
      20,
      24,
    ]);
  });
  await t.step("a group of ids", () => {
    const sel = ["c", "h", ["hwthread0", "hwthread2"]];
    deepEqual(values(store.read(sel, "flops_any", { from: 0, to: 5000 })?.data), [6, 8, 10]);
    deepEqual(values(store.read(sel, "cpu_user", { from: 0, to: 5000 })?.data), [3, 4, 5]);
  });
  await t.step("a wildcard", () => {
    deepEqual(
      values(store.read(["c", "*", "hwthread1"], "flops_any", { from: 0, to: 5000 })?.data),
      [3, 4, 5],
    );
  });
});

Deno.test("node reads from cores, sockets and accelerators", () => {
  const store = testStore();
  fill(store, "flops_any", "core", [[1, 1], [2, 2], [3, 3], [4, NaN]]);
  fill(store, "mem_bw", "socket", [[10, 20], [30, 40]]);
  fill(store, "acc_power", "accelerator", [[100, 110], [200, 210]]);
  deepEqual(values(store.read(["c", "h"], "flops_any", { from: 0, to: 5000 })?.data), [10, NaN]);
  deepEqual(values(store.read(["c", "h"], "mem_bw", { from: 0, to: 5000 })?.data), [40, 60]);
  deepEqual(values(store.read(["c", "h"], "acc_power", { from: 0, to: 5000 })?.data), [300, 320]);
  deepEqual(
    values(store.read(["c", "h", ["accelerator1"]], "acc_power", { from: 0, to: 5000 })?.data),
    [200, 210],
  );
});

Deno.test("sub-levels below children are found too (socket → memoryDomain)", () => {
  const store = testStore();
  store.write(["c", "h", "socket0", "memoryDomain0"], "mem_bw", T0, 1);
  store.write(["c", "h", "socket0", "memoryDomain1"], "mem_bw", T0, 2);
  store.write(["c", "h", "socket1", "memoryDomain2"], "mem_bw", T0, 4);
  deepEqual(values(store.read(["c", "h"], "mem_bw", { from: 0, to: 5000 })?.data), [7]);
  deepEqual(values(store.read(["c", "h", "socket0"], "mem_bw", { from: 0, to: 5000 })?.data), [3]);
});

Deno.test("a level's own chain wins over its children", () => {
  const store = testStore();
  store.write(["c", "h"], "cpu_load", T0, 50);
  store.write(["c", "h", "hwthread0"], "cpu_load", T0, 1);
  deepEqual(values(store.read(["c", "h"], "cpu_load", { from: 0, to: 5000 })?.data), [50]);
});

Deno.test("children that start late get NaN in front; the shortest end wins", () => {
  const store = testStore();
  store.write(["c", "h", "core0"], "flops_any", T0, 1);
  store.write(["c", "h", "core0"], "flops_any", T0 + 10, 2);
  store.write(["c", "h", "core0"], "flops_any", T0 + 20, 3);
  store.write(["c", "h", "core1"], "flops_any", T0 + 10, 10);
  const r = store.read(["c", "h"], "flops_any", { from: 0, to: 5000 })!;
  // core1 has no sample at T0 and none at T0+20 yet.
  deepEqual([r.from, values(r.data)], [T0, [NaN, 12]]);
});

Deno.test("combining chains of a metric without aggregation fails", () => {
  const store = testStore();
  store.write(["c", "h", "hwthread0"], "mem_used", T0, 1);
  deepEqual(values(store.read(["c", "h"], "mem_used", { from: 0, to: 5000 })?.data), [1]);
  store.write(["c", "h", "hwthread1"], "mem_used", T0, 2);
  throws(() => store.read(["c", "h"], "mem_used", { from: 0, to: 5000 }), /invalid aggregation/);
});

Deno.test("MemoryStore.read() resamples to a coarser resolution", () => {
  const store = testStore({ minimumPoints: 10 });
  for (let i = 0; i < 100; i++) store.write(["c", "h"], "cpu_load", T0 + 10 * i, i % 10);
  const r = store.read(["c", "h"], "cpu_load", { from: 0, to: 10_000, resolution: 100 })!;
  equal(r.resolution, 100);
  equal(r.data.length, 10);
  equal(r.native.length, 100);
  equal(r.to, T0 + 1000);
  const avg = testStore({ minimumPoints: 10, resampler: "average" });
  for (let i = 0; i < 100; i++) avg.write(["c", "h"], "cpu_load", T0 + 10 * i, i % 10);
  deepEqual(
    values(avg.read(["c", "h"], "cpu_load", { from: 0, to: 10_000, resolution: 100 })?.data),
    Array(10).fill(4.5),
  );
});
