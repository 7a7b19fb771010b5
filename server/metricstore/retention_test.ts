import { deepEqual, equal, ok } from "node:assert/strict";
import { setLogSink } from "../log/logger.ts";
import { enforceMemoryCap, runRetention, startMaintenance } from "./retention.ts";
import { testStore, values } from "./test_helpers.ts";

const DAY = 86_400;
const NOW = 10 * DAY;

/** Hosts a, b, c with cpu_load every 10 s over the last 3 days (64-slot buffers). */
function site() {
  const store = testStore({ bufferCapacity: 64, buffersPerSlab: 8 });
  for (const host of ["a", "b", "c"]) {
    for (let t = NOW - 3 * DAY; t < NOW; t += 10) store.write(["fritz", host], "cpu_load", t, 1);
  }
  return store;
}

function firstWrite(store: ReturnType<typeof site>, host: string) {
  return store.firstWrite(["fritz", host], "cpu_load");
}

function captureLog(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  return { lines, restore: () => setLogSink(previous) };
}

Deno.test("runRetention() frees old data but keeps hosts of running jobs", async () => {
  const store = site();
  const asked: number[] = [];
  const result = await runRetention(store, {
    now: NOW,
    retentionSeconds: DAY,
    hostsInUse: (before) => {
      asked.push(before);
      return [["fritz", "b"]];
    },
  });
  deepEqual(asked, [NOW - DAY]);
  equal(result.keptHosts, 1);
  ok(result.freedBuffers > 0);
  ok(firstWrite(store, "a")! >= NOW - DAY - 640, "a is cut to about one day");
  equal(firstWrite(store, "b"), NOW - 3 * DAY, "b keeps everything");
  ok(firstWrite(store, "c")! >= NOW - DAY - 640);
  const r = store.read(["fritz", "a"], "cpu_load", { from: NOW - DAY, to: NOW })!;
  equal(r.from, NOW - DAY, "nothing inside the retention window was lost");
  ok(values(r.data).every((v) => v === 1));
});

Deno.test("runRetention() returns memory: slabs are compacted", async () => {
  const store = site();
  const before = store.bytesInUse;
  await runRetention(store, { now: NOW, retentionSeconds: DAY / 2 });
  // 12 of 72 hours remain (plus at most one buffer per chain and one partial slab).
  ok(store.bytesInUse < before * 0.2, `${store.bytesInUse} < 20 % of ${before}`);
  const s = store.stats();
  equal(s.slabs, Math.ceil(s.buffers / store.allocator.perSlab));
});

Deno.test("enforceMemoryCap() frees the oldest buffers first and warns", () => {
  const store = testStore({ bufferCapacity: 64, buffersPerSlab: 4 });
  // Host old: the oldest data; host new: recent data. Same amount each.
  for (let t = 0; t < DAY; t += 10) store.write(["fritz", "old"], "cpu_load", t, 1);
  for (let t = DAY; t < 2 * DAY; t += 10) store.write(["fritz", "new"], "cpu_load", t, 2);
  const full = store.bytesInUse;
  const log = captureLog();
  try {
    equal(enforceMemoryCap(store, full * 2), 0, "under the cap: nothing happens");
    const freed = enforceMemoryCap(store, full * 0.6);
    ok(freed > 0);
    ok(store.bytesInUse <= full * 0.6 * 0.9 + store.allocator.slabBytes, "near the target");
    ok(store.bytesInUse >= full * 0.3, "not much more than needed was freed");
    const oldStart = store.firstWrite(["fritz", "old"], "cpu_load")!;
    ok(oldStart > DAY * 0.8, `the old host lost its oldest data (now from ${oldStart})`);
    equal(store.firstWrite(["fritz", "new"], "cpu_load"), DAY, "the new host is intact");
    ok(log.lines.some((l) => l.includes("memory cap")));
  } finally {
    log.restore();
  }
});

Deno.test("startMaintenance() runs retention and skips a pass when hostsInUse fails", async () => {
  const store = site();
  const log = captureLog();
  let fail = true;
  const m = startMaintenance(store, {
    retentionSeconds: DAY,
    now: () => NOW,
    hostsInUse: () => {
      if (fail) throw new Error("database is locked");
      return [];
    },
  });
  try {
    equal(await m.runRetention(), undefined);
    equal(firstWrite(store, "a"), NOW - 3 * DAY, "nothing freed without the job list");
    ok(log.lines.some((l) => l.includes("database is locked")));
    fail = false;
    const result = await m.runRetention();
    ok(result && result.freedBuffers > 0);
  } finally {
    m.stop();
    log.restore();
  }
});
