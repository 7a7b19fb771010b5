import assert from "node:assert/strict";
import { join } from "node:path";
import {
  copyFile,
  countRows,
  describe,
  exists,
  FIXTURES,
  runCli,
  withDb,
  withInitSite,
} from "./cli_helpers.ts";

const IMPORTER = join(FIXTURES, "importer");
const NAMES = ["fritzMinimal", "fritzError"];

interface Golden {
  jobId: number;
  cluster: string;
  startTime: number;
  duration: number;
}

/** An -init site with cluster fritz in its archive and the importer inputs under inputs/. */
function withFritzSite<T>(fn: (site: string) => Promise<T>): Promise<T> {
  return withInitSite(async (site) => {
    await copyFile(
      join(IMPORTER, "cluster-fritz.json"),
      join(site, "var/job-archive/fritz/cluster.json"),
    );
    for (const name of NAMES) {
      for (const file of [`meta-${name}.input`, `data-${name}.json`]) {
        await copyFile(join(IMPORTER, file), join(site, "inputs", file));
      }
    }
    return await fn(site);
  });
}

function pair(name: string): string {
  return `inputs/meta-${name}.input:inputs/data-${name}.json`;
}

function archiveDir(site: string, job: Golden): string {
  const id = job.jobId;
  return join(
    site,
    "var/job-archive",
    job.cluster,
    String(Math.floor(id / 1000)),
    String(id % 1000).padStart(3, "0"),
    String(job.startTime),
  );
}

Deno.test("cc-backend -import-job writes jobs into the archive and the database", async (t) => {
  await withFritzSite(async (site) => {
    const goldens = await Promise.all(
      NAMES.map(async (name) =>
        JSON.parse(await Deno.readTextFile(join(IMPORTER, `${name}-golden.json`))) as Golden
      ),
    );

    await t.step("two comma-separated pairs are imported", async () => {
      const result = await runCli(site, ["-import-job", NAMES.map(pair).join(",")]);
      assert.equal(result.code, 0, describe(result));
      assert.equal(
        result.stdout,
        "Imported 2 job(s)\nNo errors, server flag not set. Exiting cc-backend.\n",
      );
      assert.equal(result.stderr, "");
    });

    for (const golden of goldens) {
      await t.step(`job ${golden.jobId} is in the database with the golden duration`, () => {
        withDb(site, "var/job.db", (db) => {
          const row = db.prepare(
            "SELECT duration, monitoring_status FROM job " +
              "WHERE job_id = ? AND cluster = ? AND start_time = ?",
          ).get(golden.jobId, golden.cluster, golden.startTime);
          assert.ok(row, `job ${golden.jobId} missing`);
          assert.equal(row.duration, golden.duration);
          assert.equal(row.monitoring_status, 3, "monitoring status 'archiving successful'");
        });
      });

      await t.step(`job ${golden.jobId} is in the archive`, async () => {
        const dir = archiveDir(site, golden);
        const meta = JSON.parse(await Deno.readTextFile(join(dir, "meta.json")));
        assert.equal(meta.jobId, golden.jobId);
        assert.equal(meta.cluster, "fritz");
        assert.ok(
          await exists(join(dir, "data.json")) || await exists(join(dir, "data.json.gz")),
          `no data.json(.gz) in ${dir}`,
        );
      });
    }

    await t.step("importing a job again is refused and changes nothing", async () => {
      const result = await runCli(site, [`--import-job=${pair("fritzMinimal")}`]);
      assert.equal(result.code, 1, describe(result));
      assert.match(
        result.stderr,
        /cannot import job 398764 on "fritz" started 1675954353: it exists/,
      );
      assert.equal(result.stdout, "");
      withDb(site, "var/job.db", (db) => assert.equal(countRows(db, "job"), 2));
    });

    await t.step("a bad flag format is an error naming the pair", async () => {
      const results = await Promise.all(
        ["nocolon", "a:b:c", ":data.json", "meta.json:"].map((value) =>
          runCli(site, ["-import-job", value]).then((result) => ({ value, result }))
        ),
      );
      for (const { value, result } of results) {
        assert.equal(result.code, 1, describe(result));
        assert.ok(
          result.stderr.includes(`invalid import flag format "${value}"`),
          describe(result),
        );
        assert.match(result.stderr, /expected <path-to-meta\.json>:<path-to-data\.json>/);
      }
    });

    await t.step("a missing input file is named", async () => {
      const result = await runCli(site, ["-import-job", "inputs/none.json:inputs/data.json"]);
      assert.equal(result.code, 1, describe(result));
      assert.match(result.stderr, /cannot read "inputs\/none\.json"/);
    });

    await t.step(
      "an input outside the site is not readable: the permission error is named",
      async () => {
        const outside = join(IMPORTER, "meta-fritzMinimal.input");
        const result = await runCli(site, ["-import-job", `${outside}:${outside}`]);
        assert.equal(result.code, 1, describe(result));
        assert.ok(result.stderr.includes(outside), describe(result));
        withDb(site, "var/job.db", (db) => assert.equal(countRows(db, "job"), 2));
      },
    );
  });
});

Deno.test("cc-backend -import-job refuses a job of a cluster the archive does not have", async () => {
  await withInitSite(async (site) => {
    await copyFile(
      join(IMPORTER, "meta-fritzMinimal.input"),
      join(site, "inputs/meta-fritzMinimal.input"),
    );
    await copyFile(
      join(IMPORTER, "data-fritzMinimal.json"),
      join(site, "inputs/data-fritzMinimal.json"),
    );
    const result = await runCli(site, ["-import-job", pair("fritzMinimal")]);
    assert.equal(result.code, 1, describe(result));
    assert.match(result.stderr, /job 398764 on "fritz": unknown cluster/);
    withDb(site, "var/job.db", (db) => assert.equal(countRows(db, "job"), 0));
    assert.equal(await exists(join(site, "var/job-archive/fritz")), false);
  });
});
