import assert from "node:assert/strict";
import { encodeCluster } from "./cluster_codec.ts";
import { loadClusterConfig } from "./cluster_config.ts";
import { fixtureClusterJson } from "./test_helpers.ts";
import type { Cluster } from "./types.ts";
import { schemaErrors } from "./validate.ts";

Deno.test("encodeCluster() writes a config that reads back identically", () => {
  for (const name of ["alex", "emmy", "fritz"]) {
    const raw = fixtureClusterJson(name) as Cluster;
    const text = encodeCluster(raw);
    assert.deepEqual(JSON.parse(text), raw, name);
    assert.deepEqual(loadClusterConfig(JSON.parse(text)), loadClusterConfig(raw));
  }
});

Deno.test("encodeCluster() uses Go's field order and leaves derived data out", () => {
  const info = loadClusterConfig(fixtureClusterJson("emmy"));
  const text = encodeCluster(info);
  assert.ok(
    text.startsWith('{"name":"emmy","metricConfig":[{"name":"cpu_load","unit":{"base":""},'),
  );
  assert.match(
    text,
    /"subClusters":\[\{"name":"icelake","peak":32,"normal":32,"caution":16,"alert":1\}\]/,
  );
  assert.match(
    text,
    /\{"name":"haswell","nodes":"w11\[27-45,49-63,69-72\]","processorType":"Intel Xeon E3-1240 v3","topology":\{"node":/,
  );
  assert.ok(!text.includes('"footprint":[') && !text.includes('"energyFootprint"'));
  assert.deepEqual(schemaErrors("cluster", JSON.parse(text)), []);
});
