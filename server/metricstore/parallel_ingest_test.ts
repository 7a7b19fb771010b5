import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { debugDump } from "./debug_dump.ts";
import type { IngestResult } from "./ingest.ts";
import type { Level } from "./level.ts";
import type { MemoryStore } from "./memory_store.ts";
import { ParallelIngestor } from "./parallel_ingest.ts";
import { body, testIngestor } from "./test_helpers.ts";

const NOW = 1_000_000;

/** Every sample a sink saw: `path metric ts value`. */
function recordingSink(store: MemoryStore, seen: string[]) {
  return {
    append(level: Level, metric: number, ts: number, value: number) {
      seen.push(`${level.path().join(":")} ${store.metrics.metrics[metric].name} ${ts} ${value}`);
    },
  };
}

/** Two stores fed the same bodies: in-process, and through the parse worker. */
async function withPair(
  fn: (feed: (bytes: Uint8Array, cluster?: string) => Promise<IngestResult>, pair: {
    inProcess: MemoryStore;
    viaWorker: MemoryStore;
    seenInProcess: string[];
    seenViaWorker: string[];
  }) => Promise<void>,
  options: { maxStandIns?: number; pieceSamples?: number } = {},
): Promise<void> {
  const a = testIngestor();
  const b = testIngestor();
  const seenInProcess: string[] = [];
  const seenViaWorker: string[] = [];
  a.ingestor.setSampleSink(recordingSink(a.store, seenInProcess));
  b.ingestor.setSampleSink(recordingSink(b.store, seenViaWorker));
  const parallel = await ParallelIngestor.start(b.store, b.ingestor, options);
  ok(parallel, "the parse worker did not start");
  try {
    const feed = async (bytes: Uint8Array, cluster = "fritz") => {
      const expected = a.ingestor.ingest(bytes, { cluster, now: NOW });
      const got = await parallel.ingest(bytes.slice(), { cluster, now: NOW });
      deepEqual(got, expected);
      return got;
    };
    await fn(feed, { inProcess: a.store, viaWorker: b.store, seenInProcess, seenViaWorker });
    deepEqual(debugDump(b.store, []), debugDump(a.store, []));
    deepEqual(seenViaWorker, seenInProcess);
  } finally {
    parallel.close();
  }
}

Deno.test("the parse worker stores and rejects exactly what in-process ingest does", async () => {
  await withPair(async (feed) => {
    const first = await feed(body(
      "cpu_load,cluster=fritz,hostname=f1,type=node value=3.5 1000",
      "flops_any,cluster=fritz,hostname=f1,type=core,type-id=23 value=12.5 1000",
      "mem_bw,hostname=f1,type=socket,type-id=0,stype=memoryDomain,stype-id=1 value=42i 1000",
      "cpu_user,host=f2,type=hwthread,type-id=7 value=1u 1000",
      String.raw`cpu_load,cluster=alex,hostname=a\ 1 value=2 1000`,
      "acc_power,hostname=f1,type=accelerator,type-id=00000000:3b:00.0 value=250 1000",
      "nonsense_metric,hostname=f1 value=1 1000",
      "cpu_load value=1 1000",
      "cpu_load,hostname=../etc value=1 1000",
      "cpu_load,hostname=f1,type=core value=1 1000",
      "cpu_load,hostname=f1 value=1,extra=2 1000",
      "cpu_load,hostname=f1 value=2",
      "# a comment",
      "cpu_load,hostname=f1 value=4 1010",
    ));
    // The line without timestamp is stored at NOW, so the last one is a write from the past.
    equal(first.accepted, 7);
    equal(first.rejectedTotal, 6);
    // Writes from the past are found where the store is; their lines merge in order.
    const second = await feed(
      body(
        "cpu_load,hostname=f1 value=1 1300",
        "mem_used,hostname=f1 value=x 1000",
        "cpu_load,hostname=f1 value=1 900",
        "flops_any,hostname=f1,type=core,type-id=23 value=1 1010",
        "cpu_load,hostname=f1 value=1 10",
      ),
      "fritz",
    );
    // f1's cpu_load is at NOW since the first body: lines 1, 3 and 5 come too late (found
    // by the store), line 2 is bad (found by the worker); the list is in line order.
    deepEqual(second.rejected.map((r) => r.line), [1, 2, 3, 5]);
    deepEqual(
      second.rejected.map((r) => r.reason.includes("write from the past")),
      [true, false, true, true],
    );
  });
});

Deno.test("the parse worker's series survive the store removing levels", async () => {
  await withPair(async (feed, { inProcess, viaWorker }) => {
    const lines = (ts: number) =>
      body(
        `cpu_load,hostname=f1 value=1 ${ts}`,
        `flops_any,hostname=f1,type=core,type-id=1 value=2 ${ts}`,
        `cpu_load,hostname=f2 value=3 ${ts}`,
      );
    await feed(lines(1000));
    // Free everything: the levels go, and the next body must recreate them by path.
    for (const store of [inProcess, viaWorker]) {
      store.free(["fritz", "f1"], 5000);
      store.free(["fritz", "f2"], 5000);
    }
    await feed(lines(6000));
    await feed(lines(6010));
  });
});

Deno.test("the parse worker starts its numbering over and the store keeps up", async () => {
  // A tiny numbering limit: the worker forgets its series every few bodies.
  await withPair(async (feed) => {
    for (let round = 0; round < 6; round++) {
      const ts = 1000 + 10 * round;
      await feed(body(
        ...Array.from(
          { length: 5 },
          (_, h) => `cpu_load,hostname=h${(h + round) % 7} value=${h} ${ts}`,
        ),
      ));
    }
  }, { maxStandIns: 3 });
});

Deno.test("the parse worker answers bodies in order and large ones in full", async () => {
  await withPair(async (feed) => {
    // Many bodies in flight at once: each answer belongs to its own body.
    const texts = Array.from(
      { length: 8 },
      (_, i) =>
        body(
          ...Array.from({ length: 2000 }, (_, k) =>
            `cpu_load,hostname=n${k} value=${i} ${1000 + 10 * i}`),
        ),
    );
    const results = await Promise.all(texts.map((t) => feed(t)));
    for (const r of results) deepEqual(r, { accepted: 2000, rejected: [], rejectedTotal: 0 });
  });
});

Deno.test("bodies sent ahead in pieces are stored and answered as in-process", async () => {
  for (const pieceSamples of [1, 2, 3]) {
    await withPair(async (feed) => {
      // New series in every piece, writes from the past in several pieces, a bad line between.
      const first = await feed(body(
        "cpu_load,hostname=f1 value=1 1000",
        "cpu_load,hostname=f2 value=2 1000",
        "flops_any,hostname=f1,type=core,type-id=3 value=3 1000",
        "cpu_load,hostname=f1 value=4 1010",
        "cpu_load,hostname=f1 value=5 900",
        "mem_used,hostname=f1 value=x 1000",
        "cpu_load,hostname=f2 value=6 800",
        "cpu_load,hostname=f3 value=7 1000",
      ));
      equal(first.accepted, 5);
      deepEqual(first.rejected.map((r) => r.line), [5, 6, 7]);
      // A body whose samples fill its pieces exactly, and many bodies in flight.
      await feed(body(
        ...Array.from(
          { length: 6 * pieceSamples },
          (_, k) => `cpu_load,hostname=g${k} value=1 2000`,
        ),
      ));
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          feed(body(
            ...Array.from({ length: 7 }, (_, k) =>
              `cpu_load,hostname=h${(k + i) % 9} value=${i} ${3000 + 10 * i}`),
          ))),
      );
      for (const r of results) equal(r.accepted, 7);
    }, { pieceSamples, maxStandIns: 5 });
  }
});

Deno.test("the writes from the past of all pieces count, the first maxRejected listed", async () => {
  const { store, ingestor } = testIngestor();
  const parallel = await ParallelIngestor.start(store, ingestor, { pieceSamples: 2 });
  ok(parallel);
  try {
    const options = { cluster: "fritz", now: NOW };
    await parallel.ingest(body("cpu_load,hostname=f1 value=1 5000").slice(), options);
    const late = Array.from({ length: 9 }, (_, k) => `cpu_load,hostname=f1 value=${k} ${100 + k}`);
    const result = await parallel.ingest(
      body(...late, "cpu_load,hostname=f1 value=9 5010").slice(),
      { ...options, maxRejected: 4 },
    );
    equal(result.accepted, 1);
    equal(result.rejectedTotal, 9);
    deepEqual(result.rejected.map((r) => r.line), [1, 2, 3, 4]);
    ok(result.rejected.every((r) => r.reason.includes("write from the past")));
  } finally {
    parallel.close();
  }
});

Deno.test("a closed parse worker rejects the bodies it held", async () => {
  const { store, ingestor } = testIngestor();
  const parallel = await ParallelIngestor.start(store, ingestor);
  ok(parallel);
  const bytes = body("cpu_load,hostname=f1 value=1 1000").slice();
  const pending = parallel.ingest(bytes, { now: NOW });
  parallel.close();
  await rejects(pending, /shutting down/);
});

/** A store ingested in-process (`a`) and one through a parse worker (`b`, `parallel`). */
async function withWorker(
  fn: (
    a: ReturnType<typeof testIngestor>,
    b: ReturnType<typeof testIngestor>,
    parallel: ParallelIngestor,
  ) => Promise<void>,
): Promise<void> {
  const a = testIngestor();
  const b = testIngestor();
  const parallel = await ParallelIngestor.start(b.store, b.ingestor);
  ok(parallel, "the parse worker did not start");
  try {
    await fn(a, b, parallel);
  } finally {
    parallel.close();
  }
}

/**
 * A stream of `bytes` in chunks of `size`: copies, or (`shared`) views of one
 * buffer, as a stream may hand out.
 */
function chunked(
  bytes: Uint8Array,
  size: number,
  shared = false,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  const copy = new Uint8Array(bytes.length + 16);
  copy.set(bytes, 16);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      const end = Math.min(at + size, bytes.length);
      controller.enqueue(shared ? copy.subarray(16 + at, 16 + end) : bytes.slice(at, end));
      at = end;
    },
  });
}

Deno.test("request bodies in chunks are parsed across the chunk boundaries", async () => {
  await withWorker(async (a, b, parallel) => {
    for (
      const [i, [hosts, size, shared]] of [[4000, 7777, false], [3000, 65536, true], [
        2000,
        1,
        false,
      ], [10, 100_000, true]].entries()
    ) {
      const bytes = body(
        ...Array.from(
          { length: hosts as number },
          (_, k) => `cpu_load,hostname=n${k} value=${i} ${1000 + 10 * i}`,
        ),
        "cpu_load,hostname=../bad value=1 1000",
      );
      const options = { cluster: "fritz", now: NOW };
      const expected = a.ingestor.ingest(bytes, options);
      const got = await parallel.ingestBody(
        chunked(bytes, size as number, shared as boolean),
        options,
      );
      deepEqual(got, expected);
      equal(got.accepted, hosts);
      equal(got.rejected[0].line, (hosts as number) + 1);
    }
    deepEqual(debugDump(b.store, []), debugDump(a.store, []));
  });
});

/** A stream that hands out `bytes` in chunks of `size`, a macrotask apart. */
function slow(bytes: Uint8Array, size: number): ReadableStream<Uint8Array<ArrayBuffer>> {
  let at = 0;
  return new ReadableStream({
    async pull(controller) {
      await new Promise((r) => setTimeout(r, 1));
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

Deno.test("bodies read at the same time are each answered with their own result", async () => {
  await withWorker(async (a, b, parallel) => {
    const texts = [0, 1, 2, 3].map((k) =>
      body(
        ...Array.from({ length: 20_000 }, (_, i) => `cpu_load,hostname=s${k}x${i} value=${k} 1000`),
        `cpu_load,hostname=s${k} value=x 1000`,
      )
    );
    // Their chunks arrive interleaved; each body goes to the worker when complete.
    const results = await Promise.all(
      texts.map((t, k) =>
        parallel.ingestBody(slow(t, 50_000 + 7_000 * k), { cluster: "fritz", now: NOW })
      ),
    );
    for (const [k, result] of results.entries()) {
      deepEqual(result, a.ingestor.ingest(texts[k], { cluster: "fritz", now: NOW }));
      equal(result.accepted, 20_000);
      equal(result.rejected[0].line, 20_001);
    }
    deepEqual(debugDump(b.store, []), debugDump(a.store, []));
  });
});

Deno.test("a body that breaks off fails, and the bodies after it are answered", async () => {
  const { store, ingestor } = testIngestor();
  const parallel = await ParallelIngestor.start(store, ingestor);
  ok(parallel, "the parse worker did not start");
  try {
    const lines = (prefix: string) =>
      body(
        ...Array.from({ length: 20_000 }, (_, i) => `cpu_load,hostname=${prefix}${i} value=1 1000`),
      );
    let sent = 0;
    const broken = new ReadableStream<Uint8Array<ArrayBuffer>>({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 1));
        if (sent++ < 8) controller.enqueue(lines("cut").slice(0, 60_000));
        else controller.error(new Error("connection reset"));
      },
    });
    const first = parallel.ingestBody(broken, { cluster: "fritz", now: NOW });
    const second = parallel.ingestBody(chunked(lines("ok"), 100_000), {
      cluster: "fritz",
      now: NOW,
    });
    await rejects(first, /connection reset/);
    equal((await second).accepted, 20_000);
    equal(store.hosts("fritz").filter((h) => h.startsWith("ok")).length, 20_000);
  } finally {
    parallel.close();
  }
});

/**
 * A byte stream, as a request body is: each read gets at most `size`
 * bytes, written into the reader's own buffer when it brings one.
 */
function byteStream(bytes: Uint8Array, size: number): ReadableStream<Uint8Array<ArrayBuffer>> {
  let at = 0;
  return new ReadableStream({
    type: "bytes",
    pull(controller: ReadableByteStreamController) {
      const request = controller.byobRequest;
      if (at >= bytes.length) {
        controller.close();
        request?.respond(0);
        return;
      }
      if (request?.view) {
        const view = request.view;
        const n = Math.min(size, view.byteLength, bytes.length - at);
        new Uint8Array(view.buffer, view.byteOffset, n).set(bytes.subarray(at, at + n));
        at += n;
        request.respond(n);
      } else {
        controller.enqueue(bytes.slice(at, at + size));
        at += size;
      }
    },
  }) as ReadableStream<Uint8Array<ArrayBuffer>>;
}

Deno.test("bodies with a declared length are read into buffers the worker hands back", async () => {
  await withWorker(async (a, b, parallel) => {
    equal(parallel.pooledBodyBuffers, 0);
    const options = { cluster: "fritz", now: NOW };
    // [lines, bytes per read, declared length minus the real one, buffers pooled after].
    const cases = [
      [5000, 65536, 0, 1], // about 190 KB: a new buffer of 256 KiB
      [9000, 30_000, -250_000, 1], // about 340 KB declared as 90: that buffer, grown
      [3000, 100_000, 50_000, 1], // declared too large: the grown buffer again
      [12, 7, 0, 1],
      [20_000, 1 << 20, 0, 2], // larger than any pooled buffer: a second one
      [4000, 65536, 0, 2],
    ];
    for (const [i, [hosts, size, declared, pooled]] of cases.entries()) {
      const bytes = body(
        ...Array.from(
          { length: hosts },
          (_, k) => `cpu_load,hostname=p${k} value=${i} ${1000 + i}`,
        ),
        "cpu_load,hostname=p0 value=oops 1000",
      );
      const got = await parallel.ingestBody(
        byteStream(bytes, size),
        options,
        Math.max(0, bytes.length + declared),
      );
      deepEqual(got, a.ingestor.ingest(bytes, options));
      equal(got.accepted, hosts);
      equal(got.rejected[0].line, hosts + 1);
      equal(parallel.pooledBodyBuffers, pooled, `after body ${i}`);
    }
    deepEqual(debugDump(b.store, []), debugDump(a.store, []));
  });
});

Deno.test("a declared length with a stream that is not a byte stream reads its chunks", async () => {
  await withWorker(async (a, _b, parallel) => {
    const bytes = body(
      ...Array.from({ length: 4000 }, (_, k) => `cpu_load,hostname=c${k} value=1 1000`),
    );
    const options = { cluster: "fritz", now: NOW };
    deepEqual(
      await parallel.ingestBody(chunked(bytes, 10_000), options, bytes.length),
      a.ingestor.ingest(bytes, options),
    );
  });
});

Deno.test("a byte stream that breaks off fails its body only", async () => {
  await withWorker(async (_a, b, parallel) => {
    const lines = (prefix: string) =>
      body(
        ...Array.from({ length: 20_000 }, (_, i) => `cpu_load,hostname=${prefix}${i} value=1 1000`),
      );
    let reads = 0;
    const broken = new ReadableStream({
      type: "bytes",
      pull(controller: ReadableByteStreamController) {
        if (reads++ < 3) {
          const view = controller.byobRequest!.view!;
          new Uint8Array(view.buffer, view.byteOffset, 1000).fill(65);
          controller.byobRequest!.respond(1000);
        } else controller.error(new Error("connection reset"));
      },
    }) as ReadableStream<Uint8Array<ArrayBuffer>>;
    const cut = lines("cut");
    await rejects(
      parallel.ingestBody(broken, { cluster: "fritz", now: NOW }, cut.length),
      /connection reset/,
    );
    const okBody = lines("ok");
    const second = await parallel.ingestBody(byteStream(okBody, 65536), {
      cluster: "fritz",
      now: NOW,
    }, okBody.length);
    equal(second.accepted, 20_000);
    equal(b.store.hosts("fritz").length, 20_000);
  });
});
