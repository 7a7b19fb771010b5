import { deepEqual, equal } from "node:assert/strict";
import { join } from "node:path";
import { WAL_FILE_NAME } from "./checkpoint_file.ts";
import type { MemoryStore } from "./memory_store.ts";
import { testStore } from "./test_helpers.ts";
import { readWal } from "./wal_format.ts";
import { WalJournal } from "./wal_journal.ts";

/** Stores and logs `cpu_load` of fritz/`host` at `ts`, as the ingestor does. */
function write(store: MemoryStore, journal: WalJournal, host: string, ts: number): void {
  const level = store.ensureLevel(["fritz", host]);
  const metric = store.metrics.get("cpu_load")!.index;
  store.writeSample(level, metric, ts, ts / 10);
  journal.append(level, metric, ts, ts / 10);
}

/** Times of the records in a host's WAL file. */
async function logged(dir: string, host: string): Promise<number[]> {
  const times: number[] = [];
  const bytes = await Deno.readFile(join(dir, "fritz", host, WAL_FILE_NAME));
  readWal(bytes, (r) => times.push(r.ts));
  return times;
}

async function withJournal(
  fn: (store: MemoryStore, journal: WalJournal, dir: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "cc-wal-journal-test-" });
  const store = testStore();
  const journal = new WalJournal(store, { directory: dir });
  try {
    await fn(store, journal, dir);
  } finally {
    await journal.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("WalJournal writes each host's samples to its own WAL, in order", async () => {
  await withJournal(async (store, journal, dir) => {
    // Interleaved hosts, more than one chunk of samples.
    const times = Array.from({ length: 40_000 }, (_, i) => 1000 + 10 * i);
    for (const ts of times) {
      write(store, journal, "f1", ts);
      write(store, journal, "f2", ts);
    }
    await journal.flush();
    deepEqual(await logged(dir, "f1"), times);
    deepEqual(await logged(dir, "f2"), times);
    equal(journal.bufferedBytes, 0);
    equal(journal.bytesWritten > 80_000 * 20, true);
  });
});

Deno.test("WalJournal: a saved snapshot drops what it covers, and only that", async () => {
  await withJournal(async (store, journal, dir) => {
    write(store, journal, "f1", 1000);
    write(store, journal, "f2", 1000);
    await journal.flush();
    write(store, journal, "f1", 1010);
    const wal = journal.hostWal("fritz", "f1")!;
    await journal.beginSnapshot(wal);
    // Arriving while the snapshot is written: newer than it.
    write(store, journal, "f1", 1020);
    write(store, journal, "f2", 1020);
    await journal.flush(); // f1 is held: nothing of it is written yet
    deepEqual(await logged(dir, "f1"), [1000]);
    await journal.endSnapshot(wal, true);
    // The WAL restarted: only the sample after the snapshot's start is in it.
    deepEqual(await logged(dir, "f1"), []);
    await journal.flush();
    deepEqual(await logged(dir, "f1"), [1020]);
    deepEqual(await logged(dir, "f2"), [1000, 1020]);
  });
});

Deno.test("WalJournal: a failed snapshot writes what it covered, before the newer samples", async () => {
  await withJournal(async (store, journal, dir) => {
    write(store, journal, "f1", 1000);
    const wal = journal.hostWal("fritz", "f1")!;
    await journal.beginSnapshot(wal);
    write(store, journal, "f1", 1010);
    await journal.flush(); // the writer has both, and holds f1 back
    deepEqual(await logged(dir, "f1").catch(() => []), []);
    await journal.endSnapshot(wal, false);
    await journal.flush();
    deepEqual(await logged(dir, "f1"), [1000, 1010]);
  });
});

Deno.test("WalJournal: a dropped host's WAL is removed and its samples are not written", async () => {
  await withJournal(async (store, journal, dir) => {
    write(store, journal, "f1", 1000);
    await journal.flush();
    write(store, journal, "f1", 1010);
    write(store, journal, "f2", 1010);
    await journal.dropHost(journal.hostWal("fritz", "f1")!);
    await journal.flush();
    equal(journal.hostWal("fritz", "f1"), undefined);
    let gone = false;
    await Deno.stat(join(dir, "fritz", "f1", WAL_FILE_NAME)).catch(() => gone = true);
    equal(gone, true);
    deepEqual(await logged(dir, "f2"), [1010]);
  });
});

Deno.test("WalJournal bounds the samples waiting and counts the ones it drops", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cc-wal-journal-test-" });
  const store = testStore();
  // Room for about 40,000 samples: the second chunk of 32,768 does not fit.
  const journal = new WalJournal(store, { directory: dir, maxBufferedBytes: 40_000 * 20 });
  try {
    for (let i = 0; i < 100_000; i++) write(store, journal, "f1", 1000 + 10 * i);
    await journal.flush();
    const written = (await logged(dir, "f1")).length;
    equal(written + journal.dropped, 100_000);
    equal(journal.dropped > 0, true);
    equal(written >= 32_768 && written <= 40_000, true, `${written} written`);
  } finally {
    await journal.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("WalJournal reuses the chunks the writer hands back, and lets a burst's go", async () => {
  await withJournal(async (store, journal) => {
    // A burst of about five chunks (32,768 samples each).
    for (let i = 0; i < 5 * 32_768; i++) {
      write(store, journal, `h${i % 50}`, 1000 + 10 * Math.floor(i / 50));
    }
    await journal.flush();
    // The written chunks came back with the flush's answer.
    equal(journal.chunksPooled >= 4, true, `${journal.chunksPooled} pooled`);
    // A quiet interval: the next flush keeps only a few.
    write(store, journal, "h0", 1_000_000);
    await journal.flush();
    equal(journal.chunksPooled <= 3, true, `${journal.chunksPooled} pooled`);
  });
});
