import { deepEqual, equal } from "node:assert/strict";
import { body, testIngestor } from "./test_helpers.ts";

const NOW = 1_000_000;

function childrenOf(store: ReturnType<typeof testIngestor>["store"], path: string[]): string[] {
  return [...store.findLevel(path)?.children?.keys() ?? []].sort();
}

Deno.test("LevelResolver maps ids by their exact text, whichever lookup path is taken", () => {
  const { store, ingestor } = testIngestor();
  const r = ingestor.ingest(
    body(
      "cpu_user,hostname=h,type=hwthread,type-id=7 value=1 1000",
      "cpu_user,hostname=h,type=hwthread,type-id=007 value=2 1000",
      "cpu_user,hostname=h,type=hwthread,type-id=7 value=3 1010",
      "acc_power,hostname=h,type=accelerator,type-id=00000000:49:00.0 value=4 1000",
      "acc_power,hostname=h,type=accelerator,type-id=00000000:49:00.0 value=5 1010",
      "cpu_user,hostname=h,type=cpu,type-id=3 value=6 1000",
      "mem_bw,hostname=h,type=socket,type-id=1,stype=memoryDomain,stype-id=3 value=7 1000",
      "mem_bw,hostname=h,type=socket,type-id=1 value=8 1000",
    ),
    { cluster: "c", now: NOW },
  );
  equal(r.accepted, 8);
  deepEqual(childrenOf(store, ["c", "h"]), [
    "accelerator00000000:49:00.0",
    "cpu3",
    "hwthread007",
    "hwthread7",
    "socket1",
  ]);
  deepEqual(childrenOf(store, ["c", "h", "socket1"]), ["memoryDomain3"]);
  const read = (path: string[], m: string) =>
    Array.from(store.read(path, m, { from: 0, to: 2000 })?.data ?? []);
  deepEqual(read(["c", "h", "hwthread7"], "cpu_user"), [1, 3]);
  deepEqual(read(["c", "h", "hwthread007"], "cpu_user"), [2]);
  deepEqual(read(["c", "h", "accelerator00000000:49:00.0"], "acc_power"), [4, 5]);
});

Deno.test("LevelResolver keeps hosts and clusters apart when lines alternate", () => {
  const { store, ingestor } = testIngestor();
  const lines: string[] = [];
  for (let i = 0; i < 6; i++) {
    lines.push(`cpu_load,cluster=a,hostname=h value=${i} ${1000 + 10 * i}`);
    lines.push(`cpu_load,cluster=b,hostname=h value=${10 + i} ${1000 + 10 * i}`);
    lines.push(`cpu_load,hostname=h value=${20 + i} ${1000 + 10 * i}`);
    lines.push(`cpu_load,hostname=h2,type=hwthread,type-id=0 value=${30 + i} ${1000 + 10 * i}`);
  }
  equal(ingestor.ingest(body(...lines), { cluster: "a", now: NOW }).accepted, 24);
  const read = (path: string[]) =>
    Array.from(store.read(path, "cpu_load", { from: 0, to: 2000 })?.data ?? []);
  // Cluster a gets its tagged lines and the untagged ones, interleaved at the same times:
  // the later line of each step wins.
  deepEqual(read(["a", "h"]), [20, 21, 22, 23, 24, 25]);
  deepEqual(read(["b", "h"]), [10, 11, 12, 13, 14, 15]);
  deepEqual(read(["a", "h2", "hwthread0"]), [30, 31, 32, 33, 34, 35]);
  deepEqual(store.clusters(), ["a", "b"]);
});

Deno.test("LevelResolver validates names on every lookup path", () => {
  const { store, ingestor } = testIngestor();
  const r = ingestor.ingest(
    body(
      "cpu_user,hostname=h,type=hw/thread,type-id=1 value=1 1000",
      "cpu_user,hostname=h,type=hwthread,type-id=1/2 value=1 1000",
      "mem_bw,hostname=h,type=socket,type-id=1,stype=..,stype-id=0 value=1 1000",
      "cpu_user,hostname=h,type=hwthread,type-id=1 value=1 1000",
    ),
    { cluster: "c", now: NOW },
  );
  equal(r.accepted, 1);
  deepEqual(r.rejected.map((x) => x.line), [1, 2, 3]);
  // Nothing was created for the rejected lines (not even socket1 above the bad subtype).
  deepEqual(childrenOf(store, ["c", "h"]), ["hwthread1"]);
});
