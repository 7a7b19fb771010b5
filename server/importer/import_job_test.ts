import assert from "node:assert/strict";
import { join } from "node:path";
import { type Cluster, jobDataFromJson } from "../archive/mod.ts";
import { JobRepository, TagRepository } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import { importJobs, parseImportFlag } from "./import_job.ts";
import { IMPORTER_FIXTURES, readJson, type TestSite, withSite, writeJson } from "./test_helpers.ts";

const MINIMAL_META = join(IMPORTER_FIXTURES, "meta-fritzMinimal.input");
const MINIMAL_DATA = join(IMPORTER_FIXTURES, "data-fritzMinimal.json");
const ERROR_META = join(IMPORTER_FIXTURES, "meta-fritzError.input");
const ERROR_DATA = join(IMPORTER_FIXTURES, "data-fritzError.json");

/** The names `<name>` of all `meta-<name>.input` files of the importer fixtures. */
function fixtureNames(): string[] {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(IMPORTER_FIXTURES)) {
    const m = /^meta-(.+)\.input$/.exec(entry.name);
    if (m) names.push(m[1]);
  }
  return names.sort();
}

async function fileExists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Asserts that `promise` rejects with a message matching every pattern (strings must occur
 * literally) and, when given, an AppError with `status`.
 */
async function assertImportFails(
  promise: Promise<unknown>,
  patterns: (RegExp | string)[],
  status?: number,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof Error, `expected an Error, got ${error}`);
    for (const p of patterns) {
      if (typeof p === "string") {
        assert.ok(error.message.includes(p), `${JSON.stringify(error.message)} lacks ${p}`);
      } else {
        assert.match(error.message, p);
      }
    }
    if (status !== undefined) {
      assert.ok(error instanceof AppError, `expected an AppError, got ${error.name}`);
      assert.equal(error.status, status);
    }
    return true;
  });
}

/** Writes the fritzMinimal meta with `change` applied into the site and returns its path. */
async function minimalMetaWith(
  site: TestSite,
  change: (meta: Record<string, unknown>) => void,
): Promise<string> {
  const meta = await readJson(MINIMAL_META);
  change(meta);
  const path = join(site.dir, "meta-changed.json");
  await writeJson(path, meta);
  return path;
}

function assertNothingImported(site: TestSite): void {
  assert.equal(new JobRepository(site.db).countJobs(), 0);
}

Deno.test("parseImportFlag() splits comma-separated meta:data pairs", () => {
  assert.deepEqual(parseImportFlag("a/meta.json:a/data.json"), [
    { meta: "a/meta.json", data: "a/data.json" },
  ]);
  assert.deepEqual(parseImportFlag("m1.json:d1.json,m2.json:d2.json,/abs/m3:/abs/d3"), [
    { meta: "m1.json", data: "d1.json" },
    { meta: "m2.json", data: "d2.json" },
    { meta: "/abs/m3", data: "/abs/d3" },
  ]);
});

Deno.test("parseImportFlag() rejects pairs that are not exactly <meta>:<data>", async (t) => {
  const bad = {
    "no colon": "meta.json",
    "two colons": "meta.json:data.json:extra",
    "empty meta side": ":data.json",
    "empty data side": "meta.json:",
    "empty value": "",
    "one bad pair among good ones": "m1:d1,m2d2,m3:d3",
    "trailing comma": "m1:d1,",
  };
  for (const [name, value] of Object.entries(bad)) {
    await t.step(name, () => {
      assert.throws(() => parseImportFlag(value), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.status, 400);
        assert.match(error.message, /invalid import flag format/);
        return true;
      });
    });
  }
});

Deno.test("importJobs() imports every golden fixture with the golden duration", async (t) => {
  const names = fixtureNames();
  assert.deepEqual(names, ["fritzError", "fritzMinimal"]);
  for (const name of names) {
    await t.step(name, async () => {
      await withSite(async (site) => {
        const metaPath = join(IMPORTER_FIXTURES, `meta-${name}.input`);
        const dataPath = join(IMPORTER_FIXTURES, `data-${name}.json`);
        const ids = await importJobs(parseImportFlag(`${metaPath}:${dataPath}`), {
          db: site.db,
          archive: site.archive,
        });
        assert.equal(ids.length, 1);

        const golden = await readJson<{
          jobId: number;
          cluster: string;
          startTime: number;
          duration: number;
        }>(join(IMPORTER_FIXTURES, `${name}-golden.json`));
        const found = new JobRepository(site.db).find(golden.jobId, {
          cluster: golden.cluster,
          startTime: golden.startTime,
        });
        assert.ok(found, `job ${golden.jobId} not found in the database`);
        assert.equal(found.id, ids[0]);
        assert.equal(found.duration, golden.duration);
        assert.equal(found.monitoringStatus, 3);

        // The archive now holds the job; meta.json and the data load back.
        const key = golden;
        const dir = site.archive.jobDir(key);
        assert.ok(await fileExists(join(dir, "meta.json")));
        // The fixture data is far above the 2000-byte threshold, so it is gzipped.
        assert.ok(await fileExists(join(dir, "data.json.gz")));
        assert.ok(!(await fileExists(join(dir, "data.json"))));
        const meta = await site.archive.loadJobMeta(key);
        const input = await readJson(metaPath);
        assert.equal(meta.jobId, golden.jobId);
        assert.equal(meta.duration, golden.duration);
        assert.equal(meta.monitoringStatus, 3);
        assert.deepEqual(meta.resources, input.resources);
        assert.deepEqual(meta.statistics, input.statistics);
        assert.deepEqual(meta.metaData ?? null, input.metaData ?? null);
        const data = await site.archive.loadJobData(key);
        const expected = jobDataFromJson(await readJson(dataPath), { source: dataPath });
        // node:assert's deepEqual compares NaN with Object.is, so NaN == NaN here.
        assert.deepEqual(data, expected);
      });
    });
  }
});

Deno.test("importJobs() with validate on rejects the fixtures' schema violations", async () => {
  // cc-backend's importer test runs without validation: the fixture statistics use the
  // unit "%", which the unit schema does not list.
  await withSite(async (site) => {
    await assertImportFails(
      importJobs([{ meta: MINIMAL_META, data: MINIMAL_DATA }], {
        db: site.db,
        archive: site.archive,
        validate: true,
      }),
      [MINIMAL_META, "meta.json schema", "vectorization_ratio/unit/base"],
    );
    assertNothingImported(site);
  });
});

Deno.test("importJobs() imports several pairs in one call", async () => {
  await withSite(async (site) => {
    const ids = await importJobs(
      parseImportFlag(`${MINIMAL_META}:${MINIMAL_DATA},${ERROR_META}:${ERROR_DATA}`),
      { db: site.db, archive: site.archive },
    );
    assert.equal(ids.length, 2);
    const jobs = new JobRepository(site.db);
    assert.equal(jobs.countJobs(), 2);
    assert.deepEqual(ids.map((id) => jobs.findById(id)?.jobId), [398764, 398955]);
  });
});

Deno.test("importJobs() keeps data.json small data uncompressed and NaN intact", async () => {
  await withSite(async (site) => {
    const data = {
      cpu_load: {
        node: {
          unit: { base: "" },
          timestep: 60,
          series: [{
            hostname: "f0649",
            statistics: { min: 1, avg: 2, max: 3 },
            data: [1, null, 3],
          }],
        },
      },
    };
    const dataPath = join(site.dir, "data-small.json");
    await writeJson(dataPath, data);
    await importJobs([{ meta: MINIMAL_META, data: dataPath }], {
      db: site.db,
      archive: site.archive,
    });
    const key = { jobId: 398764, cluster: "fritz", startTime: 1675954353 };
    const dir = site.archive.jobDir(key);
    assert.ok(await fileExists(join(dir, "data.json")));
    assert.ok(!(await fileExists(join(dir, "data.json.gz"))));
    const loaded = await site.archive.loadJobData(key);
    assert.deepEqual(loaded.cpu_load.node?.series[0].data, [1, NaN, 3]);
    assert.deepEqual(loaded, jobDataFromJson(data));
  });
});

Deno.test("importJobs() stores the footprint and energy of the fritz config", async (t) => {
  // cluster-fritz.json flags cpu_load (avg), mem_used (max), flops_any (avg) and
  // mem_bw (avg) as footprint metrics; cpu_power and mem_power have no `energy`,
  // so the energy footprint is empty and the energy 0.
  const cases = [
    {
      name: "fritzMinimal",
      meta: MINIMAL_META,
      data: MINIMAL_DATA,
      jobId: 398764,
      footprint: {
        cpu_load_avg: 31.64,
        mem_used_max: 6.226,
        flops_any_avg: 45.012,
        mem_bw_avg: 4.872,
      },
    },
    {
      name: "fritzError",
      meta: ERROR_META,
      data: ERROR_DATA,
      jobId: 398955,
      footprint: {
        cpu_load_avg: 52.72,
        mem_used_max: 27.613,
        flops_any_avg: 635.672,
        mem_bw_avg: 79.565,
      },
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await withSite(async (site) => {
        const [id] = await importJobs([{ meta: c.meta, data: c.data }], {
          db: site.db,
          archive: site.archive,
        });
        const job = new JobRepository(site.db).findById(id)!;
        assert.deepEqual(job.footprint, c.footprint);
        assert.deepEqual(job.energyFootprint, {});
        assert.equal(job.energy, 0);
        const row = site.db.prepare(
          "SELECT footprint, energy_footprint, energy, monitoring_status FROM job WHERE id = ?",
        ).get(id)!;
        assert.deepEqual(JSON.parse(String(row.footprint)), c.footprint);
        assert.equal(row.energy_footprint, "{}");
        assert.equal(row.energy, 0);
        assert.equal(row.monitoring_status, 3);
        // meta.json in the archive carries the same derived values.
        const meta = await site.archive.loadJobMeta(job);
        assert.deepEqual(meta.footprint, c.footprint);
        assert.deepEqual(meta.energyFootprint, {});
        assert.equal(meta.energy, 0);
      });
    });
  }
});

Deno.test("importJobs() computes energy when the config marks power metrics", async () => {
  await withSite(async (site) => {
    const config = await readJson<Cluster>(join(IMPORTER_FIXTURES, "cluster-fritz.json"));
    for (const m of config.metricConfig) {
      if (m.name === "cpu_power" || m.name === "mem_power") m.energy = "power";
    }
    await site.archive.writeClusterConfig(config);
    const [id] = await importJobs([{ meta: ERROR_META, data: ERROR_DATA }], {
      db: site.db,
      archive: site.archive,
    });
    const job = new JobRepository(site.db).findById(id)!;
    // cpu_power: 407.767 W × 1 node × 260 s / 3600 / 1000 = 0.02945 kWh → 0.03;
    // mem_power: 24.692 W × 260 s / 3600 / 1000 = 0.00178 kWh → 0.
    assert.deepEqual(job.energyFootprint, { cpu_power: 0.03, mem_power: 0 });
    assert.equal(job.energy, 0.03);
  });
});

Deno.test("importJobs() stores the tags of meta.json with their scope", async () => {
  await withSite(async (site) => {
    const meta = await minimalMetaWith(site, (m) => {
      m.tags = [
        { type: "app", name: "vasp", scope: "global" },
        { type: "jobClass", name: "lowload", scope: "admin" },
        { type: "note", name: "noscope" },
      ];
    });
    const [id] = await importJobs([{ meta, data: MINIMAL_DATA }], {
      db: site.db,
      archive: site.archive,
    });
    const tags = new TagRepository(site.db).tagsOfJob(id)
      .map(({ type, name, scope }) => ({ type, name, scope }));
    assert.deepEqual(tags, [
      { type: "app", name: "vasp", scope: "global" },
      { type: "jobClass", name: "lowload", scope: "admin" },
      { type: "note", name: "noscope", scope: "global" },
    ]);
  });
});

Deno.test("importJobs() defaults shared to none", async () => {
  await withSite(async (site) => {
    const meta = await minimalMetaWith(site, (m) => delete m.shared);
    const [id] = await importJobs([{ meta, data: MINIMAL_DATA }], {
      db: site.db,
      archive: site.archive,
    });
    assert.equal(new JobRepository(site.db).findById(id)?.shared, "none");
  });
});

Deno.test("importJobs() rejects bad input and leaves no database row", async (t) => {
  const opts = (site: TestSite) => ({ db: site.db, archive: site.archive });

  await t.step("missing meta file", async () => {
    await withSite(async (site) => {
      const missing = join(site.dir, "nope.json");
      await assertImportFails(
        importJobs([{ meta: missing, data: MINIMAL_DATA }], opts(site)),
        [/cannot read/, missing],
      );
      assertNothingImported(site);
    });
  });

  await t.step("missing data file", async () => {
    await withSite(async (site) => {
      const missing = join(site.dir, "nope-data.json");
      await assertImportFails(
        importJobs([{ meta: MINIMAL_META, data: missing }], opts(site)),
        [/cannot read/, missing],
      );
      assertNothingImported(site);
      assert.equal(
        await site.archive.exists({ jobId: 398764, cluster: "fritz", startTime: 1675954353 }),
        false,
      );
    });
  });

  await t.step("invalid JSON in meta", async () => {
    await withSite(async (site) => {
      const path = join(site.dir, "broken.json");
      await Deno.writeTextFile(path, '{"jobId": 1, "cluster": ');
      await assertImportFails(
        importJobs([{ meta: path, data: MINIMAL_DATA }], opts(site)),
        [/invalid JSON/, path],
      );
      assertNothingImported(site);
    });
  });

  await t.step("invalid JSON in data", async () => {
    await withSite(async (site) => {
      const path = join(site.dir, "broken-data.json");
      await Deno.writeTextFile(path, "{not json");
      await assertImportFails(
        importJobs([{ meta: MINIMAL_META, data: path }], opts(site)),
        [/invalid JSON/, path],
      );
      assertNothingImported(site);
    });
  });

  await t.step("data that is not a JSON object", async () => {
    await withSite(async (site) => {
      for (const text of ["null", "[]", "42"]) {
        const path = join(site.dir, "not-object.json");
        await Deno.writeTextFile(path, text);
        await assertImportFails(
          importJobs([{ meta: MINIMAL_META, data: path }], opts(site)),
          [path],
        );
      }
      assertNothingImported(site);
    });
  });

  await t.step("unknown field in meta", async () => {
    await withSite(async (site) => {
      const meta = await minimalMetaWith(site, (m) => m.stopTime = 1675954530);
      await assertImportFails(
        importJobs([{ meta, data: MINIMAL_DATA }], opts(site)),
        [/unknown field "stopTime"/, meta],
      );
      assertNothingImported(site);
    });
  });

  await t.step("unknown field in a data series", async () => {
    await withSite(async (site) => {
      const data = await readJson<Record<string, Record<string, { series: object[] }>>>(
        MINIMAL_DATA,
      );
      Object.assign(data.clock.core.series[0], { node: "f0649" });
      const path = join(site.dir, "data-extra.json");
      await writeJson(path, data);
      await assertImportFails(
        importJobs([{ meta: MINIMAL_META, data: path }], opts(site)),
        [/unknown field "node"/, /clock\.core\.series\[0\]/, path],
      );
      assertNothingImported(site);
    });
  });

  await t.step("unknown field in a data metric", async () => {
    await withSite(async (site) => {
      const data = await readJson<Record<string, Record<string, object>>>(MINIMAL_DATA);
      Object.assign(data.mem_used.node, { scope: "node" });
      const path = join(site.dir, "data-extra.json");
      await writeJson(path, data);
      await assertImportFails(
        importJobs([{ meta: MINIMAL_META, data: path }], opts(site)),
        [/unknown field "scope"/, /mem_used\.node/, path],
      );
      assertNothingImported(site);
    });
  });

  await t.step("unknown cluster", async () => {
    await withSite(async (site) => {
      const meta = await minimalMetaWith(site, (m) => m.cluster = "nosuch");
      await assertImportFails(
        importJobs([{ meta, data: MINIMAL_DATA }], opts(site)),
        [/"nosuch"/, /unknown cluster/],
        400,
      );
      assertNothingImported(site);
    });
  });

  await t.step("numNodes does not match the resources", async () => {
    await withSite(async (site) => {
      const meta = await minimalMetaWith(site, (m) => m.numNodes = 2);
      await assertImportFails(
        importJobs([{ meta, data: MINIMAL_DATA }], opts(site)),
        [/numNodes is 2 but 1 resources are listed/],
        400,
      );
      assertNothingImported(site);
      assert.equal(
        await site.archive.exists({ jobId: 398764, cluster: "fritz", startTime: 1675954353 }),
        false,
      );
    });
  });

  await t.step("invalid jobState", async () => {
    await withSite(async (site) => {
      const meta = await minimalMetaWith(site, (m) => m.jobState = "finished");
      await assertImportFails(
        importJobs([{ meta, data: MINIMAL_DATA }], opts(site)),
        [/invalid job state "finished"/],
        400,
      );
      assertNothingImported(site);
    });
  });

  await t.step("wrong JSON type of a field", async () => {
    await withSite(async (site) => {
      const meta = await minimalMetaWith(site, (m) => m.jobId = "398764");
      await assertImportFails(
        importJobs([{ meta, data: MINIMAL_DATA }], opts(site)),
        [/"jobId"/, meta],
      );
      assertNothingImported(site);
    });
  });
});

Deno.test("importJobs() rejects a job that exists already with 422", async () => {
  await withSite(async (site) => {
    const pair = { meta: MINIMAL_META, data: MINIMAL_DATA };
    const [id] = await importJobs([pair], { db: site.db, archive: site.archive });
    await assertImportFails(
      importJobs([pair], { db: site.db, archive: site.archive }),
      [/exists already/, /398764/, `(id ${id})`],
      422,
    );
    assert.equal(new JobRepository(site.db).countJobs(), 1);
  });
});

Deno.test("importJobs() stops at the first failing pair", async () => {
  await withSite(async (site) => {
    const bad = await minimalMetaWith(site, (m) => {
      m.jobId = 1;
      m.jobState = "finished";
    });
    await assertImportFails(
      importJobs([
        { meta: MINIMAL_META, data: MINIMAL_DATA },
        { meta: bad, data: MINIMAL_DATA },
        { meta: ERROR_META, data: ERROR_DATA },
      ], { db: site.db, archive: site.archive }),
      [/invalid job state/],
      400,
    );
    const jobs = new JobRepository(site.db);
    // The pair before the failure stays imported (as in cc-backend); later pairs are not tried.
    assert.equal(jobs.countJobs(), 1);
    assert.ok(jobs.find(398764));
    assert.equal(jobs.find(398955), null);
  });
});

Deno.test("importJobs() rolls back the job row when a tag cannot be stored", async () => {
  await withSite(async (site) => {
    const meta = await minimalMetaWith(site, (m) => m.tags = [{ type: "app", name: "" }]);
    await assertImportFails(
      importJobs([{ meta, data: MINIMAL_DATA }], { db: site.db, archive: site.archive }),
      [/tag/],
      400,
    );
    assertNothingImported(site);
    assert.equal(new TagRepository(site.db).listTags().length, 0);
  });
});
