import { deepEqual, equal, ok } from "node:assert/strict";
import { body, testIngestor, values } from "./test_helpers.ts";

const NOW = 1_000_000;

Deno.test("Ingestor.ingest() stores lines at the levels their tags name", () => {
  const { store, ingestor } = testIngestor();
  const result = ingestor.ingest(
    body(
      "cpu_load,cluster=fritz,hostname=f1,type=node value=3.5 1000",
      "flops_any,cluster=fritz,hostname=f1,type=core,type-id=23 value=12.5 1000",
      "mem_bw,hostname=f1,type=socket,type-id=0,stype=memoryDomain,stype-id=1 value=42i 1000",
      "cpu_user,host=f2,type=hwthread,type-id=7 value=1u 1000",
      "cpu_load,cluster=alex,hostname=a1 value=2 1000",
    ),
    { cluster: "fritz", now: NOW },
  );
  deepEqual(result, { accepted: 5, rejected: [], rejectedTotal: 0 });
  const read = (sel: string[], m: string) =>
    values(store.read(sel, m, { from: 0, to: 2000 })?.data);
  deepEqual(read(["fritz", "f1"], "cpu_load"), [3.5]);
  deepEqual(read(["fritz", "f1", "core23"], "flops_any"), [12.5]);
  deepEqual(read(["fritz", "f1", "socket0", "memoryDomain1"], "mem_bw"), [42]);
  deepEqual(read(["fritz", "f2", "hwthread7"], "cpu_user"), [1]);
  deepEqual(read(["alex", "a1"], "cpu_load"), [2]);
  deepEqual(store.clusters(), ["alex", "fritz"]);
  deepEqual(store.hosts("fritz"), ["f1", "f2"]);
});

Deno.test("Ingestor.ingest() rejects bad lines with reasons and keeps the good ones", () => {
  const { store, ingestor } = testIngestor();
  const result = ingestor.ingest(
    body(
      "cpu_load,hostname=f1 value=1 1000",
      "nonsense_metric,hostname=f1 value=1 1000",
      "cpu_load value=1 1000",
      "cpu_load,hostname=../etc value=1 1000",
      "cpu_load,hostname=a/b value=1 1000",
      String.raw`cpu_load,hostname=a\b value=1 1000`,
      "cpu_load,cluster=..,hostname=f1 value=1 1000",
      "cpu_load,hostname=f1,type=core,type-id=.. value=1 1000",
      "cpu_load,hostname=f1,type=core value=1 1000",
      "cpu_load,hostname=f1 value=1,extra=2 1000",
      "cpu_load,hostname=f1 value=2 1010",
    ),
    { cluster: "fritz", now: NOW },
  );
  equal(result.accepted, 2);
  equal(result.rejectedTotal, 9);
  deepEqual(result.rejected.map((r) => r.line), [2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const reasons = result.rejected.map((r) => r.reason);
  ok(reasons[0].includes('unknown metric "nonsense_metric"'));
  ok(reasons[1].includes("missing tag hostname"));
  for (const r of reasons.slice(2, 7)) ok(r.includes("must not contain"), r);
  ok(reasons[7].includes("type without type-id"));
  ok(reasons[8].includes('unknown field "extra"'));
  deepEqual(values(store.read(["fritz", "f1"], "cpu_load", { from: 0, to: 2000 })?.data), [1, 2]);
  deepEqual(store.clusters(), ["fritz"], "no level was created for rejected names");
});

Deno.test("Ingestor.ingest() needs a cluster from the tag or the default", () => {
  const { ingestor } = testIngestor();
  const r = ingestor.ingest(body("cpu_load,hostname=f1 value=1 1000"), { now: NOW });
  equal(r.accepted, 0);
  ok(r.rejected[0].reason.includes("no default cluster"));
});

Deno.test("Ingestor.ingest() keeps type=node data at host level and ignores its type-id", () => {
  const { store, ingestor } = testIngestor();
  ingestor.ingest(body("cpu_load,hostname=f1,type=node,type-id=0 value=4 1000"), {
    cluster: "c",
    now: NOW,
  });
  ok(store.findLevel(["c", "f1"])?.heads[store.metrics.get("cpu_load")!.index] !== null);
  equal(store.findLevel(["c", "f1", "0"]), undefined);
});

Deno.test("Ingestor.ingest() stores lines without timestamp at the receive time", () => {
  const { store, ingestor } = testIngestor();
  ingestor.ingest(body("cpu_load,hostname=f1 value=1 500", "cpu_load,hostname=f1 value=2"), {
    cluster: "c",
    now: 1000,
  });
  const r = store.read(["c", "f1"], "cpu_load", { from: 0, to: 2000 })!;
  equal(r.from, 500);
  equal(r.data.length, 51);
  equal(r.data[0], 1);
  equal(r.data[50], 2);
});

Deno.test("Ingestor.ingest() rejects writes into the past per line", () => {
  const { store, ingestor } = testIngestor({ bufferCapacity: 2 });
  const r = ingestor.ingest(
    body(
      "cpu_load,hostname=f1 value=1 1000",
      "cpu_load,hostname=f1 value=2 1010",
      "cpu_load,hostname=f1 value=3 1020",
      "cpu_load,hostname=f1 value=0 1000",
      "cpu_load,hostname=f1 value=4 1030",
    ),
    { cluster: "c", now: NOW },
  );
  equal(r.accepted, 4);
  deepEqual(r.rejected.map((x) => x.line), [4]);
  ok(r.rejected[0].reason.includes("write from the past"));
  deepEqual(values(store.read(["c", "f1"], "cpu_load", { from: 0, to: 2000 })?.data), [1, 2, 3, 4]);
});

Deno.test("Ingestor caps the rejected list and counts all", () => {
  const { ingestor } = testIngestor();
  const lines = Array.from({ length: 250 }, (_, i) => `bad_${i},hostname=h value=1 10`);
  const r = ingestor.ingest(body(...lines), { cluster: "c", now: NOW, maxRejected: 100 });
  equal(r.rejected.length, 100);
  equal(r.rejectedTotal, 250);
  equal(r.rejected[99].line, 100);
});

Deno.test("Ingestor.begin() gives the same result whatever the chunking", () => {
  const lines: string[] = [];
  for (let i = 0; i < 60; i++) {
    lines.push(
      `cpu_user,hostname=h${i % 3},type=hwthread,type-id=${i % 4} value=${i} ${1000 + i * 10}`,
    );
    if (i % 17 === 0) lines.push(`broken line ${i}`);
  }
  const bytes = body(...lines);
  const reference = testIngestor();
  const expected = reference.ingestor.ingest(bytes, { cluster: "c", now: NOW });
  for (const size of [1, 2, 7, 64, 1000]) {
    const { store, ingestor } = testIngestor();
    const stream = ingestor.begin({ cluster: "c", now: NOW });
    for (let i = 0; i < bytes.length; i += size) stream.push(bytes.subarray(i, i + size));
    deepEqual(stream.finish(), expected, `chunk size ${size}`);
    deepEqual(
      values(store.read(["c", "h1", "hwthread1"], "cpu_user", { from: 0, to: 5000 })?.data),
      values(
        reference.store.read(["c", "h1", "hwthread1"], "cpu_user", { from: 0, to: 5000 })?.data,
      ),
    );
  }
});

Deno.test("Ingestor.begin() rejects a line longer than the limit across chunks", () => {
  const { store, ingestor } = testIngestor();
  const stream = ingestor.begin({ cluster: "c", now: NOW, maxLineBytes: 100 });
  stream.push(body("cpu_load,hostname=a value=1 1000"));
  stream.push(new TextEncoder().encode("cpu_load,hostname=" + "x".repeat(80)));
  stream.push(
    new TextEncoder().encode("y".repeat(80) + " value=1 1000\ncpu_load,hostname=b value=2 1000"),
  );
  const r = stream.finish();
  equal(r.accepted, 2);
  deepEqual(r.rejected, [{ line: 2, reason: "line longer than 100 bytes" }]);
  deepEqual(store.hosts("c"), ["a", "b"]);
});

Deno.test("Ingestor re-resolves levels after the store removed them", () => {
  const { store, ingestor } = testIngestor();
  ingestor.ingest(body("cpu_load,hostname=a value=1 1000"), { cluster: "c", now: NOW });
  equal(store.free(["c", "a"], 5000), 1);
  equal(store.findLevel(["c", "a"]), undefined);
  ingestor.ingest(body("cpu_load,hostname=a value=2 6000"), { cluster: "c", now: NOW });
  deepEqual(values(store.read(["c", "a"], "cpu_load", { from: 0, to: 7000 })?.data), [2]);
});

Deno.test("Ingestor accepts escaped metric names and tag values", () => {
  const { store, ingestor } = testIngestor();
  const r = ingestor.ingest(
    body(
      String.raw`cpu\_load,hostname=f1 value=1 1000`,
      String.raw`cpu_load,hostname=my\ host value=2 1000`,
    ),
    { cluster: "c", now: NOW },
  );
  // "cpu\_load" keeps its backslash (only , space = are escapes): unknown metric.
  equal(r.accepted, 1);
  ok(r.rejected[0].reason.includes("unknown metric"));
  deepEqual(store.hosts("c"), ["my host"]);
});
