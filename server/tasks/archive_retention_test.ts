import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { gunzipSync, zstdDecompressSync } from "node:zlib";
import { parquetReadObjects } from "hyparquet";
import type { Job } from "../archive/mod.ts";
import type { ArchiveRetentionConfig } from "../config/mod.ts";
import { TagRepository } from "../db/mod.ts";
import { retentionProblem, runArchiveRetention } from "./archive_retention.ts";
import { addJob, captureLog, exists, fritzJob, type TaskSite, withTaskSite } from "./test_site.ts";

const DAY = 86400;
const NOW = 1_700_000_000;

function retention(overrides: Partial<ArchiveRetentionConfig>): ArchiveRetentionConfig {
  return {
    policy: "delete",
    format: "json",
    includeDb: true,
    omitTagged: "none",
    age: 30,
    maxFileSizeMb: 512,
    ...overrides,
  };
}

/** Old untagged, old app-tagged, old user-tagged, old running, and a young job. */
async function fiveJobs(site: TaskSite): Promise<Record<string, Job>> {
  const tags = new TagRepository(site.db);
  const jobs = {
    plain: await addJob(site, fritzJob({ jobId: 1, startTime: NOW - 40 * DAY })),
    app: await addJob(site, fritzJob({ jobId: 2, startTime: NOW - 35 * DAY })),
    user: await addJob(site, fritzJob({ jobId: 3, startTime: NOW - 31 * DAY })),
    running: await addJob(
      site,
      fritzJob({ jobId: 4, startTime: NOW - 50 * DAY, jobState: "running" }),
      {
        archived: false,
      },
    ),
    young: await addJob(site, fritzJob({ jobId: 5, startTime: NOW - 29 * DAY })),
  };
  tags.addTagToJob(jobs.app.id!, tags.getOrCreateTag({ type: "app", name: "gromacs" }).id);
  tags.addTagToJob(jobs.user.id!, tags.getOrCreateTag({ type: "review", name: "keep" }).id);
  return jobs;
}

const ids = (site: TaskSite) => site.jobs.list().map((j) => j.jobId).sort((a, b) => a - b);

Deno.test("retention delete removes old jobs from archive and database, except omitted tagged ones", async () => {
  await withTaskSite(async (site) => {
    const jobs = await fiveJobs(site);
    const result = await runArchiveRetention({
      db: site.db,
      archive: site.archive,
      retention: retention({ omitTagged: "user" }),
      now: NOW,
    });
    assert.deepEqual(result, {
      policy: "delete",
      cutoff: NOW - 30 * DAY,
      jobs: 2,
      transferred: 0,
      removed: 2,
      dbDeleted: 2,
      failed: 0,
    });
    assert.deepEqual(ids(site), [3, 4, 5]);
    for (const job of [jobs.plain, jobs.app]) {
      const dir = site.archive.jobDir(job);
      assert.equal(await exists(dir), false);
      assert.equal(
        await exists(dirname(dir)),
        false,
        "the emptied <jobId%1000> directory goes too",
      );
    }
    assert.equal(await exists(site.archive.jobDir(jobs.user)), true);
    assert.equal(await exists(site.archive.jobDir(jobs.young)), true);
    const links = site.db.prepare("SELECT COUNT(*) AS n FROM jobtag").get()!;
    assert.equal(Number(links.n), 1);
  });
});

Deno.test("retention delete without include-db keeps the rows; omit-tagged all keeps every tagged job", async () => {
  await withTaskSite(async (site) => {
    const jobs = await fiveJobs(site);
    const result = await runArchiveRetention({
      db: site.db,
      archive: site.archive,
      retention: retention({ omitTagged: "all", includeDb: false }),
      now: NOW,
    });
    assert.deepEqual([result.jobs, result.removed, result.dbDeleted], [1, 1, 0]);
    assert.equal(site.jobs.countJobs(), 5);
    assert.equal(await exists(site.archive.jobDir(jobs.plain)), false);
    assert.equal(await exists(site.archive.jobDir(jobs.app)), true);
  });
});

async function filesBelow(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory) await walk(path);
      else out[relative(root, path)] = await Deno.readTextFile(path).catch(() => "<binary>");
    }
  };
  await walk(root);
  return out;
}

Deno.test("retention copy (json) copies jobs since the marker into a second archive", async () => {
  await withTaskSite(async (site) => {
    const jobs = await fiveJobs(site);
    const target = join(site.dir, "copy");
    const config = retention({ policy: "copy", targetPath: target });
    const first = await runArchiveRetention({
      db: site.db,
      archive: site.archive,
      retention: config,
      now: NOW,
    });
    assert.deepEqual([first.jobs, first.transferred, first.removed, first.dbDeleted], [3, 3, 0, 0]);
    assert.equal(await Deno.readTextFile(join(target, "version.txt")), "3\n");
    assert.equal(await Deno.readTextFile(join(target, ".copy-marker")), String(NOW - 30 * DAY));
    assert.equal(
      await Deno.readTextFile(join(target, "fritz", "cluster.json")),
      await Deno.readTextFile(join(site.archive.root, "fritz", "cluster.json")),
    );
    for (const job of [jobs.plain, jobs.app, jobs.user]) {
      const source = site.archive.jobDir(job);
      const copy = join(target, relative(site.archive.root, source));
      assert.deepEqual(await filesBelow(copy), await filesBelow(source));
    }
    // Nothing was removed.
    assert.equal(site.jobs.countJobs(), 5);
    assert.equal(await exists(site.archive.jobDir(jobs.plain)), true);

    // Two days later only the job that aged past the cut-off since is copied.
    const second = await runArchiveRetention({
      db: site.db,
      archive: site.archive,
      retention: config,
      now: NOW + 2 * DAY,
    });
    assert.deepEqual([second.jobs, second.transferred], [1, 1]);
    assert.equal(
      await exists(join(target, relative(site.archive.root, site.archive.jobDir(jobs.young)))),
      true,
    );
  });
});

Deno.test("retention move (json) copies, then deletes only what reached the target", async () => {
  await withTaskSite(async (site) => {
    const jobs = await fiveJobs(site);
    // A job whose data file is gone cannot be copied and must survive the move.
    const broken = await addJob(site, fritzJob({ jobId: 6, startTime: NOW - 45 * DAY }));
    await Deno.remove(join(site.archive.jobDir(broken), "data.json"));
    // A job without any archive directory has nothing to lose: its row goes.
    await addJob(site, fritzJob({ jobId: 7, startTime: NOW - 45 * DAY }), { archived: false });
    const target = join(site.dir, "moved");
    const { result, lines } = await captureLog(() =>
      runArchiveRetention({
        db: site.db,
        archive: site.archive,
        retention: retention({ policy: "move", targetPath: target, omitTagged: "user" }),
        now: NOW,
      })
    );
    assert.deepEqual(
      [result.jobs, result.transferred, result.removed, result.dbDeleted, result.failed],
      [4, 2, 2, 3, 1],
    );
    assert.ok(lines.some((l) => l.includes("cannot copy job 6") && l.includes("no data.json")));
    assert.deepEqual(ids(site), [3, 4, 5, 6]);
    for (const job of [jobs.plain, jobs.app]) {
      const source = site.archive.jobDir(job);
      assert.equal(await exists(source), false);
      const moved = join(target, relative(site.archive.root, source));
      assert.equal(await exists(join(moved, "meta.json")), true);
      assert.equal(await exists(join(moved, "data.json")), true);
    }
    assert.equal(await exists(join(site.archive.jobDir(broken), "meta.json")), true);
  });
});

Deno.test("retention move (parquet) writes cc-backend's columns per cluster, then deletes", async () => {
  await withTaskSite(async (site) => {
    const jobs = await fiveJobs(site);
    await site.archive.writeJob(
      { ...jobs.app, tags: [{ type: "app", name: "gromacs", scope: "global" }] },
      { cpu_load: {} },
      { compress: true },
    );
    const plainData = await Deno.readFile(join(site.archive.jobDir(jobs.plain), "data.json"));
    const target = join(site.dir, "parquet");
    const result = await runArchiveRetention({
      db: site.db,
      archive: site.archive,
      retention: retention({ policy: "move", format: "parquet", targetPath: target }),
      now: NOW,
    });
    assert.deepEqual([result.jobs, result.transferred, result.removed, result.dbDeleted], [
      3,
      3,
      3,
      3,
    ]);
    assert.deepEqual(ids(site), [4, 5]);
    const date = new Date(NOW * 1000);
    const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${
      String(date.getDate()).padStart(2, "0")
    }`;
    const names = [...Deno.readDirSync(join(target, "fritz"))].map((e) => e.name).sort();
    assert.deepEqual(names, ["cc-archive-" + day + "-001.parquet", "cluster.json"]);
    const clusterJson = await Deno.readTextFile(join(target, "fritz", "cluster.json"));
    assert.match(clusterJson, /^\{\n {2}"name": "fritz"/);
    const file = await Deno.readFile(join(target, "fritz", names[0]));
    const rows = await parquetReadObjects({
      file: file.buffer,
      utf8: false,
      compressors: { ZSTD: (input: Uint8Array) => new Uint8Array(zstdDecompressSync(input)) },
    });
    assert.equal(rows.length, 3);
    const decoder = new TextDecoder();
    const text = (v: unknown) =>
      v === null || typeof v === "string" ? v : decoder.decode(v as Uint8Array);
    // Sorted by subcluster, project, start time: all main/p1, so by start time.
    assert.deepEqual(rows.map((r) => r.job_id), [1n, 2n, 3n]);
    const first = rows[0];
    assert.deepEqual(
      [text(first.cluster), text(first.sub_cluster), text(first.partition), text(first.user)],
      ["fritz", "main", "work", "alice"],
    );
    assert.deepEqual(
      [first.start_time, first.duration, first.walltime, first.num_nodes, first.exclusive],
      [BigInt(NOW - 40 * DAY), 3600, 7200n, 2, 0],
    );
    assert.deepEqual(JSON.parse(text(first.footprint_json) as string), { cpu_load_avg: 1.5 });
    assert.deepEqual(JSON.parse(text(first.meta_data_json) as string), { jobName: "sim" });
    assert.equal(first.tags_json, null);
    assert.equal(first.statistics_json, null);
    assert.equal(JSON.parse(text(first.resources_json) as string)[0].hostname, "f0101");
    assert.deepEqual(new Uint8Array(gunzipSync(first.metric_data_gz as Uint8Array)), plainData);
    assert.deepEqual(JSON.parse(text(rows[1].tags_json) as string), [
      { id: 0, type: "app", name: "gromacs", scope: "global" },
    ]);
    assert.deepEqual(JSON.parse(decoder.decode(gunzipSync(rows[1].metric_data_gz as Uint8Array))), {
      cpu_load: {},
    });
  });
});

Deno.test("retention parquet splits files at max-file-size-mb and never overwrites", async () => {
  await withTaskSite(async (site) => {
    for (let i = 0; i < 4; i++) {
      await addJob(site, fritzJob({ jobId: 10 + i, startTime: NOW - 40 * DAY + i }));
    }
    const target = join(site.dir, "parquet");
    // Each row is estimated at a few hundred bytes: 0.0005 MB (524 bytes) holds one.
    const config = retention({
      policy: "copy",
      format: "parquet",
      targetPath: target,
      maxFileSizeMb: 0.0005,
    });
    await runArchiveRetention({ db: site.db, archive: site.archive, retention: config, now: NOW });
    await Deno.remove(join(target, ".copy-marker"));
    await runArchiveRetention({ db: site.db, archive: site.archive, retention: config, now: NOW });
    const files = [...Deno.readDirSync(join(target, "fritz"))].filter((e) =>
      e.name.endsWith(".parquet")
    );
    assert.equal(files.length, 8);
  });
});

Deno.test("retentionProblem() refuses configurations that cannot work", () => {
  assert.equal(retentionProblem(retention({ policy: "none", age: undefined })), undefined);
  assert.match(retentionProblem(retention({ age: undefined }))!, /age must be a positive/);
  assert.match(retentionProblem(retention({ age: 0 }))!, /age must be a positive/);
  assert.match(retentionProblem(retention({ policy: "copy" }))!, /needs a target-path/);
  assert.match(
    retentionProblem(retention({ policy: "move", targetKind: "s3", targetBucket: "b" }))!,
    /s3 is not supported/,
  );
  assert.equal(retentionProblem(retention({ policy: "move", targetPath: "/x" })), undefined);
});
