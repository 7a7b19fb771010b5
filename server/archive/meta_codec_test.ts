import assert from "node:assert/strict";
import { decodeJobMeta, encodeJobMeta, jobMetaFromJson } from "./meta_codec.ts";
import type { Job } from "./types.ts";

const MINIMAL: Job = {
  jobId: 1403244,
  user: "u",
  project: "p",
  cluster: "emmy",
  subCluster: "haswell",
  partition: "work",
  numNodes: 1,
  shared: "none",
  monitoringStatus: 1,
  jobState: "completed",
  startTime: 1608923076,
  duration: 86486,
  walltime: 86400,
  resources: [{ hostname: "e0102" }],
  metaData: { jobScript: "#!/bin/bash\necho <a> && b" },
  tags: [{ type: "app", name: "vasp", scope: "global", id: 0 }],
  statistics: { mem_used: { unit: { base: "B", prefix: "G" }, avg: 27.84, min: 1.55, max: 37.5 } },
  footprint: { mem_used_max: 37.5 },
  energyFootprint: null,
  energy: 0,
  concurrentJobs: { items: null, count: 0 },
  id: 4711,
};

Deno.test("encodeJobMeta() writes Go's field order, omitempty and HTML escaping", () => {
  assert.equal(
    encodeJobMeta(MINIMAL),
    '{"cluster":"emmy","subCluster":"haswell","partition":"work","project":"p","user":"u",' +
      '"shared":"none","jobState":"completed","tags":[{"type":"app","name":"vasp","scope":"global","id":0}],' +
      '"resources":[{"hostname":"e0102"}],"energyFootprint":null,"footprint":{"mem_used_max":37.5},' +
      '"metaData":{"jobScript":"#!/bin/bash\\necho \\u003ca\\u003e \\u0026\\u0026 b"},' +
      '"concurrentJobs":{"items":null,"count":0},"energy":0,"walltime":86400,"jobId":1403244,' +
      '"duration":86486,"monitoringStatus":1,"numNodes":1,"statistics":{"mem_used":{"unit":' +
      '{"base":"B","prefix":"G"},"avg":27.84,"min":1.55,"max":37.5}},"id":4711,"startTime":1608923076}',
  );
});

Deno.test("encodeJobMeta() fills Go zero values and drops unknown keys", () => {
  const job = { ...MINIMAL, stopTime: 5 } as Job;
  delete job.metaData;
  delete job.tags;
  delete job.id;
  delete job.concurrentJobs;
  delete job.statistics;
  const out = JSON.parse(encodeJobMeta(job));
  assert.equal(out.metaData, null);
  assert.equal(out.statistics, null);
  assert.deepEqual(out.concurrentJobs, { items: null, count: 0 });
  assert.ok(!("tags" in out) && !("id" in out) && !("stopTime" in out));
});

Deno.test("decodeJobMeta() keeps known keys and checks their types", async (t) => {
  await t.step("round trip", () => {
    assert.deepEqual(decodeJobMeta(encodeJobMeta(MINIMAL)), MINIMAL);
  });
  await t.step("unknown and null keys are dropped, zero values filled", () => {
    const job = jobMetaFromJson({ jobId: 1, cluster: "c", startTime: 2, stopTime: 3, user: null });
    assert.deepEqual(job, {
      jobId: 1,
      cluster: "c",
      startTime: 2,
      user: "",
      project: "",
      subCluster: "",
      shared: "",
      jobState: "",
      numNodes: 0,
      duration: 0,
      resources: [],
    });
  });
  const bad: [unknown, RegExp][] = [
    ["{", /invalid m\.json: /],
    [[1], /not a JSON object/],
    [{ cluster: "c", startTime: 2 }, /required field "jobId" is missing/],
    [{ jobId: 1, startTime: 2 }, /required field "cluster" is missing/],
    [{ jobId: "1", cluster: "c", startTime: 2 }, /"jobId" must be an integer/],
    [{ jobId: 1.5, cluster: "c", startTime: 2 }, /"jobId" must be an integer/],
    [{ jobId: 1, cluster: "c", startTime: 2, resources: {} }, /"resources" must be an array/],
    [
      { jobId: 1, cluster: "c", startTime: 2, resources: [{}] },
      /resources\[0\]\.hostname must be a string/,
    ],
    [{ jobId: 1, cluster: "c", startTime: 2, metaData: "x" }, /"metaData" must be an object/],
  ];
  for (const [raw, re] of bad) {
    await t.step(JSON.stringify(raw), () => {
      const text = typeof raw === "string" ? raw : JSON.stringify(raw);
      assert.throws(() => decodeJobMeta(text, { source: "m.json" }), re);
    });
  }
});
