import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { fetchData, selectorsOf } from "./fetch_data.ts";
import { encodeQueryResponse } from "./query_json.ts";
import type { APIQueryRequest } from "./query_types.ts";
import { testStore, values } from "./test_helpers.ts";

const T0 = 1000;

function site() {
  const store = testStore({ bufferCapacity: 16 });
  for (let k = 0; k < 4; k++) {
    store.write(["c", "h1"], "cpu_load", T0 + 10 * k, k + 1); // 1 2 3 4
    store.write(["c", "h2"], "cpu_load", T0 + 10 * k, 10);
    for (let t = 0; t < 4; t++) {
      store.write(["c", "h1", `hwthread${t}`], "flops_any", T0 + 10 * k, t);
    }
  }
  return store;
}

Deno.test("fetchData() answers per query with stats, data and padding", () => {
  const res = fetchData(site(), {
    cluster: "c",
    from: T0 - 20,
    to: T0 + 40,
    queries: [{ metric: "cpu_load", host: "h1" }],
  });
  equal(res.queries, undefined);
  equal(res.results.length, 1);
  const [entry] = res.results[0];
  deepEqual(values(entry.data), [NaN, NaN, 1, 2, 3, 4]);
  deepEqual([entry.from, entry.to, entry.resolution], [T0 - 20, T0 + 40, 10]);
  deepEqual([entry.avg, entry.min, entry.max], [2.5, 1, 4]);
});

Deno.test("fetchData() honours with-stats, with-data, with-padding and scale-by", () => {
  const res = fetchData(site(), {
    cluster: "c",
    from: T0 - 20,
    to: T0 + 40,
    "with-stats": false,
    "with-padding": false,
    queries: [{ metric: "cpu_load", host: "h1", "scale-by": 2 }, {
      metric: "cpu_load",
      host: "h1",
      "scale-by": 0,
    }],
  });
  deepEqual(values(res.results[0][0].data), [2, 4, 6, 8]);
  deepEqual([res.results[0][0].avg, res.results[0][0].from], [0, T0]);
  deepEqual(values(res.results[1][0].data), [1, 2, 3, 4]);
  const stats = fetchData(site(), {
    cluster: "c",
    from: T0,
    to: T0 + 40,
    "with-data": false,
    queries: [{ metric: "cpu_load", host: "h1", "scale-by": 10 }],
  });
  equal(stats.results[0][0].data, undefined);
  deepEqual([stats.results[0][0].min, stats.results[0][0].max], [10, 40]);
});

Deno.test("fetchData() splits per type id unless aggreg is set", () => {
  const store = site();
  const res = fetchData(store, {
    cluster: "c",
    from: T0,
    to: T0 + 40,
    queries: [
      { metric: "flops_any", host: "h1", type: "hwthread", "type-ids": ["0", "9", "3"] },
      { metric: "flops_any", host: "h1", type: "hwthread", "type-ids": ["1", "3"], aggreg: true },
      { metric: "flops_any", host: "h1" },
      { metric: "flops_any", host: "nope" },
      { metric: "no_such_metric", host: "h1" },
    ],
  });
  // hwthread9 has no data: left out, and the ids tell which entry is which.
  deepEqual(res.results[0].map((e) => [e.id, e.avg]), [["0", 0], ["3", 3]]);
  deepEqual(res.results[1].map((e) => [e.id, e.avg]), [[undefined, 4]]);
  deepEqual(values(res.results[2][0].data), [6, 6, 6, 6]);
  deepEqual(res.results[3], []);
  ok(res.results[4][0].error?.includes("unknown metric"));
});

Deno.test("fetchData() expands for-all-nodes and echoes the generated queries", () => {
  const res = fetchData(site(), {
    cluster: "c",
    from: T0,
    to: T0 + 40,
    "for-all-nodes": ["cpu_load"],
    queries: [{ metric: "flops_any", host: "h1" }],
  });
  deepEqual(res.queries, [{ metric: "cpu_load", host: "h1" }, { metric: "cpu_load", host: "h2" }]);
  equal(res.results.length, 3);
  equal(res.results[2][0].avg, 10);
});

Deno.test("fetchData() rejects a bad time range and for-all-nodes without cluster", () => {
  throws(() => fetchData(site(), { from: 10, to: 5 }), /invalid time range/);
  throws(
    () => fetchData(site(), { from: 0, to: 5, "for-all-nodes": ["cpu_load"] }),
    /cluster name/,
  );
});

Deno.test("fetchData() pads in steps of the returned resolution", () => {
  const store = testStore({ minimumPoints: 10, bufferCapacity: 64 });
  for (let k = 0; k < 40; k++) store.write(["c", "h"], "cpu_load", T0 + 10 * k, k);
  const req: APIQueryRequest = {
    cluster: "c",
    from: T0 - 200,
    to: T0 + 400,
    queries: [{ metric: "cpu_load", host: "h", resolution: 50 }],
  };
  const [entry] = fetchData(store, req).results[0];
  equal(entry.resolution, 50);
  equal(entry.data!.length, 4 + 8);
  equal(entry.from, T0 - 200);
  deepEqual([entry.min, entry.max], [0, 39], "stats from the native data");
});

Deno.test("selectorsOf() builds groups and per-id selectors", () => {
  deepEqual(selectorsOf("c", { metric: "m", host: "h" }), [{ selector: ["c", "h"] }]);
  deepEqual(
    selectorsOf("c", {
      metric: "m",
      host: "h",
      type: "core",
      "type-ids": ["1", "2"],
      aggreg: true,
    }),
    [{ selector: ["c", "h", ["core1", "core2"]] }],
  );
  deepEqual(
    selectorsOf("c", {
      metric: "m",
      host: "h",
      type: "socket",
      "type-ids": ["0"],
      subtype: "memoryDomain",
      "subtype-ids": ["0", "1"],
    }),
    [
      { selector: ["c", "h", "socket0", "memoryDomain0"], id: "0:0" },
      { selector: ["c", "h", "socket0", "memoryDomain1"], id: "0:1" },
    ],
  );
});

Deno.test("encodeQueryResponse() writes the original's number formats", () => {
  const text = new TextDecoder().decode(encodeQueryResponse({
    queries: [{ metric: "m", host: "h" }],
    results: [[{
      data: Float64Array.from([1, NaN, 2.5, -0.0004, 1234.56789, 0.0005]),
      from: 10,
      to: 70,
      resolution: 10,
      avg: 1.005,
      min: NaN,
      max: 1e21,
      id: "not in the JSON",
    }], [{ error: 'bad "x"', from: 0, to: 0, resolution: 0, avg: 0, min: 0, max: 0 }]],
  }));
  equal(
    text,
    '{"queries":[{"metric":"m","host":"h"}],"results":[[{"data":[1.000,null,2.500,-0.000,1234.568,0.001],' +
      '"from":10,"to":70,"resolution":10,"avg":1.00,"min":null,"max":1000000000000000000000.00}],' +
      '[{"error":"bad \\"x\\"","from":0,"to":0,"resolution":0,"avg":0.00,"min":0.00,"max":0.00}]]}\n',
  );
  const parsed = JSON.parse(text);
  equal(parsed.results[0][0].data[4], 1234.568);
});
