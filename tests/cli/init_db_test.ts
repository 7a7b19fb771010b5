import assert from "node:assert/strict";
import { join } from "node:path";
import {
  copyDir,
  countRows,
  describe,
  FIXTURES,
  runCli,
  SERVER_SOURCES,
  withDb,
  withInitSite,
} from "./cli_helpers.ts";

// The insert worker of -init-db loads its modules under server/ with read checks.
const WORKER_READ = { extraRead: [SERVER_SOURCES] };
const BAD_JOB = "var/job-archive/emmy/1405/1/1609300000";

/** An -init site whose job archive is a copy of the fixture archive plus one broken job. */
function withArchiveSite<T>(fn: (site: string) => Promise<T>): Promise<T> {
  return withInitSite(async (site) => {
    const archive = join(site, "var", "job-archive");
    await Deno.remove(archive, { recursive: true });
    await copyDir(join(FIXTURES, "archive"), archive);
    await Deno.mkdir(join(site, BAD_JOB), { recursive: true });
    await Deno.writeTextFile(join(site, BAD_JOB, "meta.json"), "{not json");
    return await fn(site);
  });
}

function jobs(site: string): { job_id: number; cluster: string; start_time: number }[] {
  return withDb(
    site,
    "var/job.db",
    (db) =>
      db.prepare("SELECT job_id, cluster, start_time FROM job ORDER BY job_id").all().map((r) => ({
        ...r,
      })) as {
        job_id: number;
        cluster: string;
        start_time: number;
      }[],
  );
}

Deno.test("cc-backend -init-db imports the job archive into the database", async (t) => {
  await withArchiveSite(async (site) => {
    const user = await runCli(site, ["-add-user", "keep:api:pw"]);
    assert.equal(user.code, 0, describe(user));
    const result = await runCli(site, ["-init-db"], WORKER_READ);

    await t.step("it succeeds and continues to the end of the startup", () => {
      assert.equal(result.code, 0, describe(result));
      assert.equal(result.stdout, "No errors, server flag not set. Exiting cc-backend.\n");
    });

    await t.step("the two emmy jobs are in the database", () => {
      assert.deepEqual(jobs(site), [
        { job_id: 1403244, cluster: "emmy", start_time: 1608923076 },
        { job_id: 1404397, cluster: "emmy", start_time: 1609300556 },
      ]);
    });

    await t.step("progress and summary are plain lines on stderr (no terminal)", () => {
      assert.match(result.stderr, /^init-db: 3\/3 jobs read, 1 failed$/m);
      assert.match(
        result.stderr,
        /^init-db: 2 jobs imported, 1 skipped as invalid, in \d+\.\d s \(\d+ jobs\/s\)$/m,
      );
      // No progress bar: no carriage returns or escape sequences.
      assert.ok(!result.stderr.includes("\r"), "carriage return in stderr");
      assert.ok(!result.stderr.includes("\u001b["), "escape sequence in stderr");
    });

    await t.step("the invalid job directory is reported by its path", () => {
      const lines = result.stderr.split("\n").filter((l) => l.includes(BAD_JOB));
      assert.ok(lines.length >= 1, describe(result));
      assert.ok(lines.some((l) => l.startsWith("  invalid: ")), describe(result));
      assert.match(result.stderr, /meta\.json/);
    });

    await t.step("a second run replaces the jobs instead of adding them; users stay", async () => {
      const again = await runCli(site, ["--init-db", "-loglevel", "err"], WORKER_READ);
      assert.equal(again.code, 0, describe(again));
      assert.equal(jobs(site).length, 2);
      withDb(site, "var/job.db", (db) => assert.equal(countRows(db, "hpc_user"), 1));
      // At level err, the warning per skipped job is gone; the summary stays.
      assert.doesNotMatch(again.stderr, /\[WARNING\]/);
      assert.match(again.stderr, /^init-db: 2 jobs imported, 1 skipped as invalid/m);
    });

    await t.step("the archive itself is left as it was", async () => {
      const meta = await Deno.readTextFile(join(site, BAD_JOB, "meta.json"));
      assert.equal(meta, "{not json");
    });
  });
});
