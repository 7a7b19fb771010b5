import assert from "node:assert/strict";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { AppError } from "../errors.ts";
import { FileArchive, type JobKey } from "./file_archive.ts";
import { fixed2 } from "./go_json.ts";
import { decodeJobData, encodeJobData } from "./json_codec.ts";
import { FIXTURE_ARCHIVE, fixtureClusterJson, withTempDir } from "./test_helpers.ts";
import type { Cluster } from "./types.ts";

const JOB_A: JobKey = { cluster: "emmy", jobId: 1403244, startTime: 1608923076 };
const JOB_B: JobKey = { cluster: "emmy", jobId: 1404397, startTime: 1609300556 };

/** What Go writes for meta.json fields the fixture leaves out. */
const GO_DEFAULTS = {
  energy: 0,
  energyFootprint: null,
  footprint: null,
  metaData: null,
  concurrentJobs: { items: null, count: 0 },
};

function isAppError(status: number, re: RegExp): (e: unknown) => boolean {
  return (e) => e instanceof AppError && e.status === status && re.test(e.message);
}

/** A fresh archive in `dir` holding the emmy cluster config. */
async function emmyArchive(dir: string, validate = false): Promise<FileArchive> {
  const ar = await FileArchive.open(dir, { validate });
  await ar.writeClusterConfig(fixtureClusterJson("emmy") as Cluster);
  return ar;
}

/** Copies one fixture job directory into `dir`'s archive. */
async function copyFixtureJob(ar: FileArchive, key: JobKey): Promise<string> {
  const from = join(FIXTURE_ARCHIVE, "emmy", "1403", "244", "1608923076");
  const to = ar.jobDir(key);
  await Deno.mkdir(to, { recursive: true });
  for (const f of ["meta.json", "data.json.gz"]) await Deno.copyFile(join(from, f), join(to, f));
  return to;
}

Deno.test("FileArchive.open() loads the fixture archive", async () => {
  const ar = await FileArchive.open(FIXTURE_ARCHIVE);
  assert.equal(ar.version, 3);
  assert.equal(ar.root, FIXTURE_ARCHIVE);
  assert.deepEqual(ar.clusters().map((c) => c.name), ["alex", "emmy", "fritz"]);
  assert.equal(ar.cluster("emmy")?.subClusters[0].coresPerSocket, 4);
  assert.equal(ar.cluster("nope"), undefined);
});

Deno.test("FileArchive.jobDir() builds the cc-backend layout", () => {
  return FileArchive.open(FIXTURE_ARCHIVE).then((ar) => {
    const rel = (k: JobKey) => ar.jobDir(k).slice(FIXTURE_ARCHIVE.length + 1);
    assert.equal(rel(JOB_A), "emmy/1403/244/1608923076");
    assert.equal(rel(JOB_B), "emmy/1404/397/1609300556");
    assert.equal(
      rel({ cluster: "fritz", jobId: 42, startTime: 1234567890 }),
      "fritz/0/042/1234567890",
    );
    assert.equal(rel({ cluster: "x", jobId: 0, startTime: 0 }), "x/0/000/0");
  });
});

Deno.test("FileArchive.jobDir() rejects keys that could escape the root", async (t) => {
  const ar = await FileArchive.open(FIXTURE_ARCHIVE);
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ cluster: "../x" }, /invalid cluster name "\.\.\/x"/],
    [{ cluster: "a/b" }, /invalid cluster name "a\/b"/],
    [{ cluster: "a\\b" }, /invalid cluster name "a\\\\b"/],
    [{ cluster: ".." }, /invalid cluster name "\.\."/],
    [{ cluster: "." }, /invalid cluster name "\."/],
    [{ cluster: "" }, /invalid cluster name ""/],
    [{ cluster: "a\0b" }, /invalid cluster name "a\\u0000b"/],
    [{ jobId: "abc" }, /invalid job id "abc" for cluster "emmy"/],
    [{ jobId: "12" }, /invalid job id "12"/],
    [{ jobId: -1 }, /invalid job id -1/],
    [{ jobId: 1.5 }, /invalid job id 1\.5/],
    [{ jobId: NaN }, /invalid job id null/],
    [{ startTime: -5 }, /invalid start time -5/],
    [{ startTime: "../../etc" }, /invalid start time "\.\.\/\.\.\/etc"/],
  ];
  for (const [patch, re] of bad) {
    await t.step(JSON.stringify(patch), () => {
      const key = { ...JOB_A, ...patch } as JobKey;
      assert.throws(() => ar.jobDir(key), isAppError(400, re));
    });
  }
});

Deno.test("FileArchive loads the fixture jobs", async (t) => {
  const ar = await FileArchive.open(FIXTURE_ARCHIVE);
  await t.step("meta.json of both emmy jobs", async () => {
    for (const key of [JOB_A, JOB_B]) {
      const meta = await ar.loadJobMeta(key);
      assert.equal(meta.jobId, key.jobId);
      assert.equal(meta.startTime, key.startTime);
      assert.equal(meta.numNodes, 32);
      assert.equal(meta.resources.length, 32);
      assert.equal("stopTime" in meta, false);
    }
    assert.equal((await ar.loadJobMeta(JOB_A)).duration, 86486);
    assert.equal((await ar.loadJobMeta(JOB_B)).duration, 86525);
  });
  await t.step("data.json.gz with a node scope for every metric", async () => {
    const data = await ar.loadJobData(JOB_A);
    const metrics = Object.keys(data).sort();
    assert.deepEqual(metrics, [
      "clock",
      "cpu_load",
      "flops_any",
      "flops_dp",
      "flops_sp",
      "ipc",
      "mem_bw",
      "mem_used",
      "rapl_power",
    ]);
    for (const m of metrics) {
      const node = data[m].node!;
      assert.equal(node.timestep, 60);
      assert.equal(node.series.length, 32);
      assert.equal(node.series[0].data.length, 1441);
    }
    assert.ok(Number.isNaN(data.cpu_load.node!.series[0].data[3]));
    assert.deepEqual(data.ipc.node!.series[0].statistics, { min: 0, avg: 0, max: 0 });
  });
  await t.step("iterJobs() yields only the two emmy jobs", async () => {
    const seen = [];
    for await (const e of ar.iterJobs()) {
      assert.equal(e.error, undefined);
      seen.push([e.meta!.cluster, e.meta!.jobId]);
    }
    assert.deepEqual(seen, [["emmy", 1403244], ["emmy", 1404397]]);
    const fritz = [];
    for await (const e of ar.iterJobs({ cluster: "fritz" })) fritz.push(e);
    assert.deepEqual(fritz, []);
  });
  await t.step("unknown clusters and missing jobs are 404", async () => {
    await assert.rejects(
      ar.loadJobMeta({ ...JOB_A, cluster: "nope" }),
      isAppError(404, /unknown cluster "nope"/),
    );
    await assert.rejects(
      ar.loadJobMeta({ ...JOB_A, jobId: 7 }),
      isAppError(404, /meta\.json not found/),
    );
    await assert.rejects(ar.loadJobData({ ...JOB_A, jobId: 7 }), isAppError(404, /no data\.json/));
    assert.equal(await ar.exists(JOB_A), true);
    assert.equal(await ar.exists({ ...JOB_A, jobId: 7 }), false);
  });
});

Deno.test("FileArchive round-trips the emmy jobs through a fresh archive", async () => {
  const src = await FileArchive.open(FIXTURE_ARCHIVE);
  await withTempDir(async (dir) => {
    const dst = await emmyArchive(dir);
    for (const key of [JOB_A, JOB_B]) {
      const meta = await src.loadJobMeta(key);
      const data = await src.loadJobData(key);
      await dst.writeJob(meta, data);
      const file = join(dst.jobDir(key), "data.json.gz");
      const written = new TextDecoder().decode(gunzipSync(await Deno.readFile(file)));

      // Every field survives; the empty tag list is omitted like Go's omitempty does.
      const meta2 = await dst.loadJobMeta(key);
      assert.deepEqual(meta.tags, []);
      assert.deepEqual({ ...meta2, tags: [] }, { ...meta, ...GO_DEFAULTS });
      const metaText = await Deno.readTextFile(join(dst.jobDir(key), "meta.json"));
      for (const [name, st] of Object.entries(meta.statistics!)) {
        const unit = JSON.stringify(st.unit.prefix ? st.unit : { base: st.unit.base });
        assert.ok(
          metaText.includes(
            `"${name}":{"unit":${unit},"avg":${st.avg},"min":${st.min},"max":${st.max}}`,
          ),
          `statistics of ${name} written unchanged`,
        );
      }

      // The fixture data has two decimals except ipc, which cc-backend's float32/2-decimal
      // encoding rounds.
      const data2 = await dst.loadJobData(key);
      for (const m of Object.keys(data)) {
        if (m !== "ipc") assert.deepEqual(data2[m], data[m], m);
      }
      assert.deepEqual(data2, decodeJobData(encodeJobData(data)));
      assert.ok(
        data2.ipc.node!.series[0].data.every((v) => Number.isNaN(v) || Number(v.toFixed(2)) === v),
      );

      // Series statistics come out byte-for-byte as they went in.
      const stats = [...written.matchAll(/"statistics":(\{[^}]*\})/g)].map((x) => x[1]);
      const expected = Object.keys(data).sort().flatMap((m) =>
        data[m].node!.series.map((s) =>
          `{"min":${fixed2(s.statistics.min)},"avg":${fixed2(s.statistics.avg)},"max":${
            fixed2(s.statistics.max)
          }}`
        )
      );
      assert.deepEqual(stats, expected);

      // Writing what was read back reproduces the same bytes.
      await dst.writeJob(meta2, data2);
      const again = new TextDecoder().decode(gunzipSync(await Deno.readFile(file)));
      assert.equal(again, written);
    }
    const listed = [];
    for await (const e of dst.iterJobs()) listed.push(e.meta?.jobId);
    assert.deepEqual(listed, [1403244, 1404397]);
  });
});

Deno.test("FileArchive.writeJob() chooses gzip by size and removes the other variant", async () => {
  await withTempDir(async (dir) => {
    const ar = await emmyArchive(dir);
    const meta = await (await FileArchive.open(FIXTURE_ARCHIVE)).loadJobMeta(JOB_A);
    const small = decodeJobData(
      '{"m":{"node":{"unit":{"base":""},"timestep":60,"series":[{"hostname":"a","data":[1,null]}]}}}',
    );
    const jd = ar.jobDir(JOB_A);
    await ar.writeJob(meta, small);
    assert.deepEqual([...Deno.readDirSync(jd)].map((e) => e.name).sort(), [
      "data.json",
      "meta.json",
    ]);
    assert.equal(
      await Deno.readTextFile(join(jd, "data.json")),
      '{"m":{"node":{"unit":{"base":""},"series":[{"hostname":"a","statistics":' +
        '{"min":0.00,"avg":0.00,"max":0.00},"data":[1.00,null]}],"timestep":60}}}',
    );
    assert.ok((await Deno.readTextFile(join(jd, "meta.json"))).endsWith("}\n"));
    await ar.writeJob(meta, small, { compress: true });
    assert.deepEqual([...Deno.readDirSync(jd)].map((e) => e.name).sort(), [
      "data.json.gz",
      "meta.json",
    ]);
    assert.deepEqual(await ar.loadJobData(JOB_A), small);
    await assert.rejects(
      ar.writeJob({ ...meta, cluster: "nope" }, small),
      isAppError(400, /cannot store job 1403244: unknown cluster "nope"/),
    );
    await assert.rejects(
      ar.writeJob({ ...meta, cluster: "../emmy" }, small),
      isAppError(400, /invalid cluster name/),
    );
  });
});

Deno.test("FileArchive.loadJobData() reports corrupt files by path", async (t) => {
  await withTempDir(async (dir) => {
    const ar = await emmyArchive(dir);
    const jd = await copyFixtureJob(ar, JOB_A);
    await t.step("truncated gzip", async () => {
      const gz = await Deno.readFile(join(jd, "data.json.gz"));
      await Deno.writeFile(join(jd, "data.json.gz"), gz.subarray(0, gz.length / 2));
      await assert.rejects(
        ar.loadJobData(JOB_A),
        isAppError(500, new RegExp(`corrupt gzip file ${jd}/data\\.json\\.gz`)),
      );
    });
    await t.step("not gzip at all", async () => {
      await Deno.writeTextFile(join(jd, "data.json.gz"), "hello");
      await assert.rejects(ar.loadJobData(JOB_A), isAppError(500, /corrupt gzip file/));
    });
    await t.step("bad JSON in data.json", async () => {
      await Deno.remove(join(jd, "data.json.gz"));
      await Deno.writeTextFile(join(jd, "data.json"), '{"cpu_load": {');
      await assert.rejects(
        ar.loadJobData(JOB_A),
        isAppError(500, new RegExp(`invalid ${jd}/data\\.json`)),
      );
    });
    await t.step("bad JSON in meta.json", async () => {
      await Deno.writeTextFile(join(jd, "meta.json"), "{");
      await assert.rejects(
        ar.loadJobMeta(JOB_A),
        isAppError(500, new RegExp(`invalid ${jd}/meta\\.json`)),
      );
    });
  });
});

Deno.test("FileArchive reports meta.json without required fields", async () => {
  await withTempDir(async (dir) => {
    const ar = await emmyArchive(dir);
    const jd = await copyFixtureJob(ar, JOB_A);
    const other = await copyFixtureJob(ar, JOB_B);
    const meta = JSON.parse(await Deno.readTextFile(join(jd, "meta.json")));
    delete meta.user;
    await Deno.writeTextFile(join(jd, "meta.json"), JSON.stringify(meta));
    await Deno.writeTextFile(
      join(other, "meta.json"),
      JSON.stringify({ ...meta, jobId: undefined }),
    );
    await Deno.mkdir(join(dir, "emmy", "1", "001", "5"), { recursive: true });

    // Without validation a missing user is tolerated, a missing jobId is not.
    const entries = [];
    for await (const e of ar.iterJobs()) entries.push(e);
    assert.deepEqual(entries.map((e) => e.path.slice(dir.length + 1)), [
      "emmy/1/001/5",
      "emmy/1403/244/1608923076",
      "emmy/1404/397/1609300556",
    ]);
    assert.match(entries[0].error!.message, /emmy\/1\/001\/5\/meta\.json is missing/);
    assert.equal(entries[1].meta!.user, "");
    assert.match(entries[2].error!.message, /required field "jobId" is missing/);
    // The blocking walk yields the same entries in the same order.
    const syncEntries = [...ar.iterJobsSync()];
    assert.deepEqual(syncEntries.map((e) => e.path), entries.map((e) => e.path));
    assert.deepEqual(
      syncEntries.map((e) => e.error?.message),
      entries.map((e) => e.error?.message),
    );
    assert.equal(syncEntries[1].meta!.jobId, entries[1].meta!.jobId);

    // With validation the schema names the missing field.
    const strict = await FileArchive.open(dir, { validate: true });
    await assert.rejects(
      strict.loadJobMeta(JOB_A),
      isAppError(500, /required field "user" is missing/),
    );
    const errors = [];
    for await (const e of strict.iterJobs()) if (e.error) errors.push(e.error.message);
    assert.equal(errors.length, 3);
    assert.match(
      errors[1],
      /meta\.json does not match the meta\.json schema: .*required field "user"/,
    );
  });
});

Deno.test("FileArchive.open() checks version.txt", async (t) => {
  await t.step("bootstraps an empty directory", async () => {
    await withTempDir(async (dir) => {
      await Deno.writeTextFile(join(dir, ".hidden"), "");
      const ar = await FileArchive.open(dir);
      assert.equal(await Deno.readTextFile(join(dir, "version.txt")), "3\n");
      assert.deepEqual(ar.clusters(), []);
    });
  });
  await t.step("rejects another version", async () => {
    await withTempDir(async (dir) => {
      await Deno.writeTextFile(join(dir, "version.txt"), "2\n");
      await assert.rejects(FileArchive.open(dir), /unsupported version 2, need 3/);
      await Deno.writeTextFile(join(dir, "version.txt"), "three");
      await assert.rejects(FileArchive.open(dir), /"three" is not a version/);
    });
  });
  await t.step("rejects a non-empty directory without version.txt", async () => {
    await withTempDir(async (dir) => {
      await Deno.mkdir(join(dir, "emmy"));
      await assert.rejects(FileArchive.open(dir), /has no version\.txt but is not empty/);
    });
  });
  await t.step("rejects a missing directory", async () => {
    await withTempDir(async (dir) => {
      await assert.rejects(FileArchive.open(join(dir, "nope")), /cannot open job archive .*nope/);
    });
  });
});

Deno.test("FileArchive.open() names a bad cluster.json", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "version.txt"), "3\n");
    await Deno.mkdir(join(dir, "x"));
    await assert.rejects(
      FileArchive.open(dir),
      /cannot load cluster "x": .*x\/cluster\.json is missing/,
    );
    await Deno.writeTextFile(join(dir, "x", "cluster.json"), "{oops");
    await assert.rejects(FileArchive.open(dir), /cannot load cluster "x": .*x\/cluster\.json: /);
    await Deno.writeTextFile(join(dir, "x", "cluster.json"), '{"name":"x","metricConfig":[]}');
    await assert.rejects(
      FileArchive.open(dir),
      /invalid cluster config .*x\/cluster\.json: metricConfig/,
    );
  });
});

Deno.test("FileArchive.open() with validate rejects the schema-deviating fixture", async () => {
  await assert.rejects(
    FileArchive.open(FIXTURE_ARCHIVE, { validate: true }),
    /alex\/cluster\.json does not match the cluster\.json schema: .*unit\/base is "Flops\/s"/,
  );
});

Deno.test("FileArchive.init() creates an archive directory", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "var", "job-archive");
    await FileArchive.init(root);
    assert.equal(await Deno.readTextFile(join(root, "version.txt")), "3\n");
    await FileArchive.init(root);
    assert.equal((await FileArchive.open(root)).version, 3);
  });
});

Deno.test("FileArchive.writeClusterConfig() stores and reloads a cluster", async () => {
  await withTempDir(async (dir) => {
    const ar = await FileArchive.open(dir);
    const fritz = fixtureClusterJson("fritz") as Cluster;
    const info = await ar.writeClusterConfig(fritz);
    assert.equal(info.subClusters.find((s) => s.name === "spr1tb")!.metricConfig.length, 15);
    assert.deepEqual(ar.clusters().map((c) => c.name), ["fritz"]);
    const reopened = await FileArchive.open(dir);
    assert.deepEqual(reopened.cluster("fritz"), info);
    const text = await Deno.readTextFile(join(dir, "fritz", "cluster.json"));
    assert.ok(
      text.startsWith(
        '{"name":"fritz","metricConfig":[{"name":"cpu_load","unit":{"base":""},"peak":72',
      ),
    );
    await assert.rejects(
      ar.writeClusterConfig({ ...fritz, name: "a/b" }),
      isAppError(400, /invalid cluster name "a\/b"/),
    );
    await assert.rejects(
      ar.writeClusterConfig({ ...fritz, subClusters: [] }),
      isAppError(400, /cannot store cluster "fritz": .*subClusters must be a non-empty array/),
    );
  });
});
