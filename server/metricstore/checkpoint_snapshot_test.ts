import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { WAL_FILE_NAME } from "./checkpoint_file.ts";
import { captureHost, type CaptureOptions } from "./checkpoint_snapshot.ts";
import type { MemoryStore } from "./memory_store.ts";
import { testStore, values } from "./test_helpers.ts";
import { readWal } from "./wal_format.ts";
import { WalJournal } from "./wal_journal.ts";

/** Writes `cpu_load` of fritz/f1 at `ts` through the journal, as the ingestor does. */
function write(store: MemoryStore, journal: WalJournal, ts: number, value: number): void {
  const level = store.ensureLevel(["fritz", "f1"]);
  const metric = store.metrics.get("cpu_load")!.index;
  ok(store.writeSample(level, metric, ts, value));
  journal.append(level, metric, ts, value);
}

function capture(store: MemoryStore, journal: WalJournal, to: number) {
  const options: CaptureOptions = { journal, fallbackFrom: 0, to, float32: false };
  return captureHost(store, store.ensureLevel(["fritz", "f1"]), options);
}

/** The captured cpu_load series: start and values. */
function series(c: ReturnType<typeof capture>) {
  const s = c?.file.metrics.get("cpu_load");
  return s === undefined ? null : { start: s.start, data: values(s.data) };
}

Deno.test("a capture saves what changed since the last one, late samples included", () => {
  const store = testStore(); // buffers of 8 slots
  const journal = new WalJournal(store, { directory: "/nonexistent", writeWal: false });
  for (let i = 0; i < 20; i++) write(store, journal, 1000 + 10 * i, i);
  const first = capture(store, journal, 1200);
  deepEqual(series(first), {
    start: 1000,
    data: Array.from({ length: 20 }, (_, i) => i),
  });
  first!.commit();
  // Nothing new: nothing to save.
  equal(capture(store, journal, 1200), null);
  // New samples: only they are saved.
  write(store, journal, 1200, 20);
  write(store, journal, 1210, 21);
  const second = capture(store, journal, 1300);
  deepEqual(series(second), { start: 1200, data: [20, 21] });
  second!.commit();
  // A late sample, over one saved before: saved from there on.
  write(store, journal, 1170, 99);
  deepEqual(series(capture(store, journal, 1300)), { start: 1170, data: [99, 18, 19, 20, 21] });
});

Deno.test("a capture that was not written keeps its changes pending", () => {
  const store = testStore();
  const journal = new WalJournal(store, { directory: "/nonexistent", writeWal: false });
  for (let i = 0; i < 6; i++) write(store, journal, 1000 + 10 * i, i);
  capture(store, journal, 1100)!.commit();
  write(store, journal, 1060, 6);
  const failed = capture(store, journal, 1100);
  deepEqual(series(failed), { start: 1060, data: [6] });
  // Samples arrive while the file is written, past the first buffer: the head changes.
  for (let i = 7; i < 12; i++) write(store, journal, 1000 + 10 * i, i);
  failed!.rollback();
  // The next capture covers the failed one's samples and the new ones.
  deepEqual(series(capture(store, journal, 1200)), { start: 1060, data: [6, 7, 8, 9, 10, 11] });
});

Deno.test("a second journal of the same store logs chains the first one tagged", async () => {
  const dirA = await Deno.makeTempDir({ prefix: "cc-journal-test-" });
  const dirB = await Deno.makeTempDir({ prefix: "cc-journal-test-" });
  try {
    const store = testStore();
    const a = new WalJournal(store, { directory: dirA });
    write(store, a, 1000, 1);
    const b = new WalJournal(store, { directory: dirB });
    write(store, b, 1010, 2);
    write(store, b, 1020, 3);
    write(store, a, 1030, 4);
    write(store, b, 1040, 5);
    await a.close();
    await b.close();
    // Each journal logged only its own samples.
    const logged = async (dir: string) => {
      const out: number[][] = [];
      const bytes = await Deno.readFile(join(dir, "fritz", "f1", WAL_FILE_NAME));
      readWal(bytes, (r) => out.push([r.ts, r.value]));
      return out;
    };
    deepEqual(await logged(dirA), [[1000, 1], [1030, 4]]);
    deepEqual(await logged(dirB), [[1010, 2], [1020, 3], [1040, 5]]);
  } finally {
    await Deno.remove(dirA, { recursive: true });
    await Deno.remove(dirB, { recursive: true });
  }
});
