import assert from "node:assert/strict";
import { decodeJobData, encodeJobData } from "./json_codec.ts";
import type { JobData } from "./types.ts";

const SAMPLE = JSON.stringify({
  flops_any: {
    core: {
      unit: { base: "F/s", prefix: "G" },
      timestep: 60,
      series: [{
        hostname: "f0649",
        id: "2",
        statistics: { min: 0, avg: 0.61, max: 1.83 },
        data: [0, 0.61, 1.83],
      }],
    },
  },
  cpu_load: {
    node: {
      unit: { base: "" },
      timestep: 60,
      series: [{
        hostname: "e0102",
        statistics: { avg: 17.98, min: 4.01, max: 19.42 },
        data: [4.01, 14.37, null, 18.14],
      }],
    },
  },
});

Deno.test("decodeJobData() turns null into NaN", () => {
  const d = decodeJobData(SAMPLE);
  assert.deepEqual(d.cpu_load.node!.series[0].data, [4.01, 14.37, NaN, 18.14]);
  assert.equal(d.flops_any.core!.series[0].id, "2");
});

Deno.test("decodeJobData() fills missing series statistics with zeros", () => {
  const d = decodeJobData(
    '{"ipc":{"node":{"unit":{"base":"IPC"},"timestep":60,"series":[{"hostname":"a","data":[1]}]}}}',
  );
  assert.deepEqual(d.ipc.node!.series[0].statistics, { min: 0, avg: 0, max: 0 });
});

Deno.test("decodeJobData() rejects malformed documents naming the place", async (t) => {
  const cases: [string, RegExp][] = [
    ["{", /invalid x\/data\.json: /],
    ["[]", /not a JSON object/],
    ['{"m":1}', /"m" is not an object/],
    ['{"m":{"node":{"series":3}}}', /m\.node: series must be an array/],
    ['{"m":{"node":{"series":[{"data":[1]}]}}}', /m\.node\.series\[0\] needs a hostname/],
    [
      '{"m":{"node":{"series":[{"hostname":"a","data":[1,"x"]}]}}}',
      /m\.node\.series\[0\]\.data\[1\] is not a number/,
    ],
  ];
  for (const [text, re] of cases) {
    await t.step(
      text,
      () => assert.throws(() => decodeJobData(text, { source: "x/data.json" }), re),
    );
  }
});

Deno.test("encodeJobData() writes cc-backend's format", () => {
  assert.equal(
    encodeJobData(decodeJobData(SAMPLE)),
    '{"cpu_load":{"node":{"unit":{"base":""},"series":[{"hostname":"e0102","statistics":' +
      '{"min":4.01,"avg":17.98,"max":19.42},"data":[4.01,14.37,null,18.14]}],"timestep":60}},' +
      '"flops_any":{"core":{"unit":{"base":"F/s","prefix":"G"},"series":[{"hostname":"f0649",' +
      '"id":"2","statistics":{"min":0.00,"avg":0.61,"max":1.83},"data":[0.00,0.61,1.83]}],"timestep":60}}}',
  );
});

Deno.test("encodeJobData() writes statistics series with null mean and sorted percentiles", () => {
  const data: JobData = {
    m: {
      node: {
        unit: { base: "B" },
        timestep: 10,
        series: [],
        statisticsSeries: {
          min: [1, NaN],
          median: [1.5, 2],
          max: [2, 3.125],
          percentiles: { "90": [9], "10": [1], "25": [2.5] },
        },
      },
    },
  };
  assert.equal(
    encodeJobData(data),
    '{"m":{"node":{"statisticsSeries":{"percentiles":{"10":[1.00],"25":[2.50],"90":[9.00]},' +
      '"mean":null,"median":[1.50,2.00],"min":[1.00,null],"max":[2.00,3.12]},' +
      '"unit":{"base":"B"},"series":[],"timestep":10}}}',
  );
});

Deno.test("encodeJobData() rounds data through float32 and is stable on re-encoding", () => {
  const data = decodeJobData(
    '{"ipc":{"node":{"unit":{"base":"IPC"},"timestep":60,"series":[{"hostname":"a<b","statistics":' +
      '{"min":0.125,"avg":1,"max":2},"data":[1.21951219512195,null,0.015]}]}}}',
  );
  const once = encodeJobData(data);
  assert.match(once, /"hostname":"a\\u003cb"/);
  assert.match(
    once,
    /"statistics":\{"min":0\.12,"avg":1\.00,"max":2\.00\},"data":\[1\.22,null,0\.01\]/,
  );
  assert.equal(encodeJobData(decodeJobData(once)), once);
});
