import assert from "node:assert/strict";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { compressArchive } from "./compress_archive.ts";
import { addJob, captureLog, exists, fritzJob, withTaskSite } from "./test_site.ts";

const DAY = 86400;
const NOW = 1_700_000_000;

Deno.test("compressArchive() gzips data.json of jobs older than N days, content unchanged", async () => {
  await withTaskSite(async (site) => {
    const old = await addJob(site, fritzJob({ jobId: 1, startTime: NOW - 10 * DAY }));
    const tiny = await addJob(site, fritzJob({ jobId: 2, startTime: NOW - 10 * DAY }), {
      points: 2,
    });
    const recent = await addJob(site, fritzJob({ jobId: 3, startTime: NOW - 6 * DAY }));
    const dir = (job: typeof old) => site.archive.jobDir(job);
    const original = await Deno.readFile(join(dir(old), "data.json"));
    assert.ok(original.length > 2000);
    assert.ok((await Deno.stat(join(dir(tiny), "data.json"))).size <= 2000);
    const before = await site.archive.loadJobData(old);

    const result = await compressArchive({ db: site.db, archive: site.archive, days: 7, now: NOW });
    assert.deepEqual(result, { from: 0, before: NOW - 7 * DAY, jobs: 2, compressed: 1, failed: 0 });
    assert.equal(await exists(join(dir(old), "data.json")), false);
    const gz = await Deno.readFile(join(dir(old), "data.json.gz"));
    assert.deepEqual(new Uint8Array(gunzipSync(gz)), original);
    assert.deepEqual(await site.archive.loadJobData(old), before);
    assert.equal(await exists(join(dir(tiny), "data.json")), true, "2000 bytes or less stay");
    assert.equal(await exists(join(dir(recent), "data.json")), true, "younger jobs stay");
    assert.equal(
      await Deno.readTextFile(join(site.archive.root, "compress.txt")),
      String(NOW - 7 * DAY),
    );
  });
});

Deno.test("compressArchive() continues from the cut-off in compress.txt", async () => {
  await withTaskSite(async (site) => {
    await compressArchive({ db: site.db, archive: site.archive, days: 7, now: NOW });
    // Started before the last cut-off: already handled, not looked at again.
    const earlier = await addJob(site, fritzJob({ jobId: 1, startTime: NOW - 8 * DAY }));
    const inWindow = await addJob(site, fritzJob({ jobId: 2, startTime: NOW - 6 * DAY }));
    const later = NOW + 2 * DAY;
    const result = await compressArchive({
      db: site.db,
      archive: site.archive,
      days: 7,
      now: later,
    });
    assert.deepEqual(result, {
      from: NOW - 7 * DAY,
      before: later - 7 * DAY,
      jobs: 1,
      compressed: 1,
      failed: 0,
    });
    assert.equal(await exists(join(site.archive.jobDir(earlier), "data.json")), true);
    assert.equal(await exists(join(site.archive.jobDir(inWindow), "data.json.gz")), true);
  });
});

Deno.test("compressArchive() defaults to 7 days and leaves ambiguous directories alone", async () => {
  await withTaskSite(async (site) => {
    const both = await addJob(site, fritzJob({ jobId: 1, startTime: NOW - 8 * DAY }));
    const dir = site.archive.jobDir(both);
    await Deno.writeFile(join(dir, "data.json.gz"), new Uint8Array([1, 2, 3]));
    await Deno.writeTextFile(join(site.archive.root, "compress.txt"), "not a number");
    const { result, lines } = await captureLog(() =>
      compressArchive({ db: site.db, archive: site.archive, days: 0, now: NOW })
    );
    assert.equal(result.before, NOW - 7 * DAY);
    assert.equal(result.from, 0);
    assert.equal(result.compressed, 0);
    assert.ok(lines.some((l) => l.includes("ignoring") && l.includes("compress.txt")));
    assert.ok(lines.some((l) => l.includes("has both data.json and data.json.gz")));
    assert.equal(await exists(join(dir, "data.json")), true);
  });
});
