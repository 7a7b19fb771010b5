/**
 * End-to-end archiving with the in-process application: jobs started and
 * stopped over REST, metrics ingested into the built-in store, the archiver
 * service writing the archive and updating the database.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeJobData, type Job, type JobData } from "../../server/archive/mod.ts";
import { Archiver } from "../../server/archiver/mod.ts";
import { JobRepository } from "../../server/db/mod.ts";
import { JobDataLoader } from "../../server/metricstore/mod.ts";
import { selectJobData } from "../../server/jobs/job_data_source.ts";
import { prepareJobData } from "../../server/jobs/prepare_job_data.ts";
import { setLogSink } from "../../server/log/logger.ts";
import { createTestSite, type TestSite } from "../../server/api/rest/test_app.ts";
import { NOW, startBody } from "../../server/api/rest/job_control_test_helpers.ts";
import { archiverService, startArchiverService } from "../../server/services/archiver_service.ts";

/** The job runs the hour before NOW: 60 samples at 60 s. */
const START = NOW - 3600;
const HOSTS = ["f0101", "f0102"];
const THREADS = [0, 1, 2, 3];

async function newSite(services = [archiverService]): Promise<TestSite> {
  return await createTestSite({
    now: () => NOW,
    document: { "metric-store": { "retention-in-memory": "48h", "memory-cap": 0 } },
    services,
  });
}

/** Line protocol for the samples of `tags` at START + 60 i, i = 0..59. */
function series(metric: string, tags: string, value: (i: number) => number): string {
  let out = "";
  for (let i = 0; i < 60; i++) {
    out += `${metric},cluster=fritz,hostname=${tags} value=${value(i)} ${START + 60 * i}\n`;
  }
  return out;
}

/** The metrics of the two-node job (values chosen to be computed by hand). */
function twoNodeMetrics(): string {
  let lines = "";
  lines += series("cpu_load", "f0101", (i) => (i % 10) + 1); // 1..10: avg 5.5
  lines += series("cpu_load", "f0102", () => 2);
  lines += series("mem_used", "f0101", () => 10);
  lines += series("mem_used", "f0102", (i) => (i === 30 ? 80 : 20)); // avg 21, max 80
  for (const host of HOSTS) {
    for (const t of THREADS) {
      lines += series("flops_any", `${host},type=hwthread,type-id=${t}`, () => t + 1);
    }
  }
  lines += series("mem_bw", "f0101,type=socket,type-id=0", () => 50);
  lines += series("mem_bw", "f0102,type=socket,type-id=0", () => 30);
  lines += series("cpu_power", "f0101,type=socket,type-id=0", () => 200);
  lines += series("cpu_power", "f0102,type=socket,type-id=0", () => 100);
  return lines;
}

function ingest(site: TestSite, lines: string): void {
  const result = site.metricStore!.ingestor.ingest(new TextEncoder().encode(lines), { now: NOW });
  assert.equal(result.rejectedTotal, 0, JSON.stringify(result.rejected));
}

async function startJob(site: TestSite, overrides: Record<string, unknown>): Promise<number> {
  const body = startBody({ startTime: START, ...overrides });
  const res = await site.call("POST", "/api/jobs/start_job/", { body });
  assert.equal(res.status, 201, await res.text());
  return new JobRepository(site.db).find(body.jobId as number, { cluster: "fritz" })!.id!;
}

async function stopJob(site: TestSite, jobId: number, stopTime = START + 3600): Promise<void> {
  const res = await site.call("POST", "/api/jobs/stop_job/", {
    body: { jobId, cluster: "fritz", startTime: START, stopTime, jobState: "completed" },
  });
  assert.equal(res.status, 200, await res.text());
}

/** Polls the job row until its monitoring status is `status` (at most 10 s). */
async function waitForStatus(site: TestSite, id: number, status: number): Promise<Job> {
  const jobs = new JobRepository(site.db);
  for (let i = 0; i < 1000; i++) {
    const job = jobs.findById(id)!;
    if (job.monitoringStatus === status) return job;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${id} never reached monitoring status ${status}`);
}

async function getJobData(site: TestSite, id: number): Promise<unknown> {
  const res = await site.call("GET", `/api/jobs/${id}?all-metrics=true`);
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text).Data;
}

/** A data loader on the site's metric store. */
function loaderOf(site: TestSite): JobDataLoader {
  return new JobDataLoader(site.metricStore!.store, { clusters: site.archive, now: () => NOW });
}

/** data as the REST answer shows it (NaN as null, two decimals). */
function asJson(data: JobData): unknown {
  return JSON.parse(encodeJobData(data));
}

Deno.test("a job stopped over REST is archived with hand-computed statistics", async (t) => {
  const site = await newSite();
  try {
    const id = await startJob(site, {
      jobId: 501,
      numNodes: 2,
      numHwthreads: 8,
      resources: HOSTS.map((hostname) => ({ hostname, hwthreads: THREADS })),
    });
    const tag = { type: "testTag", name: "archived", scope: "global" };
    const tagged = await site.call("POST", `/api/jobs/tag_job/${id}`, { body: [tag] });
    assert.equal(tagged.status, 200, await tagged.text());
    ingest(site, twoNodeMetrics());
    const live = await getJobData(site, id);
    assert.ok(live && typeof live === "object" && "cpu_load" in live, "no live data");

    await stopJob(site, 501);
    const row = await waitForStatus(site, id, 3);
    const key = { cluster: "fritz", jobId: 501, startTime: START };

    await t.step("the row holds footprint, energy footprint and energy", () => {
      assert.deepEqual(row.footprint, {
        cpu_load_avg: 3.75, // (5.5 + 2) / 2
        mem_used_max: 80,
        flops_any_avg: 10, // 1 + 2 + 3 + 4 per node
        mem_bw_avg: 40, // (50 + 30) / 2
      });
      // cpu_power: 150 W per node x 2 nodes x 1 h = 0.3 kWh; mem_power has no data.
      assert.deepEqual(row.energyFootprint, { cpu_power: 0.3, mem_power: 0 });
      assert.equal(row.energy, 0.3);
    });

    await t.step("meta.json holds the final statistics, footprint, energy and tags", async () => {
      const meta = await site.archive.loadJobMeta(key);
      const unit = (base: string, prefix?: string) => (prefix ? { base, prefix } : { base });
      assert.deepEqual(meta.statistics, {
        cpu_load: { unit: unit(""), avg: 3.75, min: 1, max: 10 },
        mem_used: { unit: unit("B", "G"), avg: 15.5, min: 10, max: 80 },
        flops_any: { unit: unit("Flops/s", "G"), avg: 10, min: 10, max: 10 },
        mem_bw: { unit: unit("B/s", "G"), avg: 40, min: 30, max: 50 },
        cpu_power: { unit: unit("W"), avg: 150, min: 100, max: 200 },
      });
      assert.deepEqual(meta.footprint, row.footprint);
      assert.deepEqual(meta.energyFootprint, row.energyFootprint);
      assert.equal(meta.energy, 0.3);
      assert.equal(meta.monitoringStatus, 3);
      assert.equal(meta.id, id);
      assert.equal(meta.duration, 3600);
      assert.deepEqual(meta.metaData, { jobScript: "blablabla..." });
      assert.deepEqual(meta.tags?.map(({ type, name, scope }) => ({ type, name, scope })), [tag]);
    });

    await t.step("data.json.gz holds node and core series at native resolution", async () => {
      const gz = await Deno.stat(join(site.archive.jobDir(key), "data.json.gz"));
      assert.ok(gz.isFile);
      const data = await site.archive.loadJobData(key);
      assert.deepEqual(Object.keys(data).sort(), [
        "cpu_load",
        "cpu_power",
        "flops_any",
        "mem_bw",
        "mem_used",
      ]);
      const cpuLoad = data.cpu_load.node!;
      assert.equal(cpuLoad.timestep, 60);
      assert.deepEqual(cpuLoad.series.map((s) => [s.hostname, s.statistics]), [
        ["f0101", { min: 1, avg: 5.5, max: 10 }],
        ["f0102", { min: 2, avg: 2, max: 2 }],
      ]);
      assert.deepEqual(cpuLoad.series[0].data, Array.from({ length: 60 }, (_, i) => (i % 10) + 1));
      const cores = data.flops_any.core!;
      assert.deepEqual(cores.series.map((s) => `${s.hostname}:${s.id}=${s.statistics.avg}`), [
        "f0101:0=1",
        "f0101:1=2",
        "f0101:2=3",
        "f0101:3=4",
        "f0102:0=1",
        "f0102:1=2",
        "f0102:2=3",
        "f0102:3=4",
      ]);
      // Eight series get a statistics series (min/median/max per step).
      assert.deepEqual(cores.statisticsSeries?.median?.slice(0, 2), [2.5, 2.5]);
      // cpu_power is socket-native: core scope stays socket.
      assert.deepEqual(Object.keys(data.cpu_power).sort(), ["node", "socket"]);
    });

    await t.step("reading the archived job gives the data the live job gave", async () => {
      const archived = await getJobData(site, id);
      assert.deepEqual(archived, live);
      const fromFile = await site.archive.loadJobData(key);
      const expected = prepareJobData(
        selectJobData(fromFile, { metrics: null, scopes: ["node"] }),
        ["node"],
      );
      assert.deepEqual(archived, asJson(expected));
    });
  } finally {
    await site.close();
  }
});

Deno.test("metrics without data are left out; the job is still archived", async () => {
  const site = await newSite();
  try {
    const id = await startJob(site, {
      jobId: 502,
      numNodes: 2,
      numHwthreads: 8,
      resources: HOSTS.map((hostname) => ({ hostname, hwthreads: THREADS })),
    });
    // Only f0101 reports, and only cpu_load.
    ingest(site, series("cpu_load", "f0101", () => 4));
    await stopJob(site, 502);
    const row = await waitForStatus(site, id, 3);
    const meta = await site.archive.loadJobMeta({ cluster: "fritz", jobId: 502, startTime: START });
    // The missing host counts: 4 / 2 nodes.
    assert.deepEqual(meta.statistics, { cpu_load: { unit: { base: "" }, avg: 2, min: 4, max: 4 } });
    assert.deepEqual(row.footprint, {
      cpu_load_avg: 2,
      mem_used_max: 0,
      flops_any_avg: 0,
      mem_bw_avg: 0,
    });
    assert.equal(row.energy, 0);
  } finally {
    await site.close();
  }
});

Deno.test("jobs with monitoring status 0 are not archived", async () => {
  const site = await newSite();
  try {
    const id = await startJob(site, { jobId: 503, monitoringStatus: 0 });
    await stopJob(site, 503);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(new JobRepository(site.db).findById(id)!.monitoringStatus, 0);
    assert.equal(
      await site.archive.exists({ cluster: "fritz", jobId: 503, startTime: START }),
      false,
    );
  } finally {
    await site.close();
  }
});

Deno.test("a failing archive write sets monitoring status 2 and logs why", async () => {
  const site = await newSite([]);
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    const id = await startJob(site, { jobId: 504 });
    ingest(site, series("cpu_load", "f0101", () => 1));
    await stopJob(site, 504);
    const archiver = new Archiver({
      db: site.db,
      archive: {
        cluster: (name) => site.archive.cluster(name),
        writeJob: () => Promise.reject(new Error("No space left on device")),
      },
      reader: loaderOf(site),
    });
    assert.equal(archiver.enqueue({ id, jobId: 504, cluster: "fritz", monitoringStatus: 1 }), true);
    await archiver.idle();
    assert.equal(new JobRepository(site.db).findById(id)!.monitoringStatus, 2);
    assert.ok(
      lines.some((l) =>
        /cannot archive job 504 .*writing the archive failed: No space left on device; monitoring status set to 2/
          .test(l)
      ),
      lines.join("\n"),
    );
    assert.deepEqual(archiver.counts, { archived: 0, failed: 1 });
  } finally {
    setLogSink(previous);
    await site.close();
  }
});

Deno.test("jobs stopped while no archiver ran are archived when it starts", async () => {
  const site = await newSite([]);
  try {
    const stopped = await startJob(site, { jobId: 505 });
    const running = await startJob(site, {
      jobId: 506,
      resources: [{ hostname: "f0102", hwthreads: THREADS }],
    });
    ingest(site, series("cpu_load", "f0101", () => 3) + series("cpu_load", "f0102", () => 5));
    await stopJob(site, 505);
    const jobs = new JobRepository(site.db);
    assert.equal(jobs.findById(stopped)!.monitoringStatus, 1);
    const service = startArchiverService(site.serviceContext)!;
    try {
      await service.archiver.idle();
      assert.equal(jobs.findById(stopped)!.monitoringStatus, 3);
      assert.equal(jobs.findById(running)!.monitoringStatus, 1);
      assert.equal(jobs.findById(stopped)!.footprint!.cpu_load_avg, 3);
    } finally {
      await service.stop();
    }
  } finally {
    await site.close();
  }
});

Deno.test("stopping the service drains the queue, bounded by its timeout", async (t) => {
  const site = await newSite([]);
  try {
    const jobs = new JobRepository(site.db);
    const ids: number[] = [];
    for (let n = 0; n < 4; n++) {
      ids.push(await startJob(site, { jobId: 600 + n }));
      await stopJob(site, 600 + n);
    }
    ingest(site, series("cpu_load", "f0101", () => 1));
    await t.step("stop() returns after every queued job is archived", async () => {
      const service = startArchiverService(site.serviceContext)!;
      assert.equal(service.archiver.pending, 4);
      await service.stop();
      assert.deepEqual(service.archiver.counts, { archived: 4, failed: 0 });
      assert.deepEqual(ids.map((id) => jobs.findById(id)!.monitoringStatus), [3, 3, 3, 3]);
    });
    await t.step("after the timeout the rest keeps status 1", async () => {
      const more: number[] = [];
      for (let n = 0; n < 3; n++) {
        more.push(await startJob(site, { jobId: 700 + n }));
        await stopJob(site, 700 + n);
      }
      // Each archive write takes 50 ms; shutdown waits 20 ms.
      const slow = new Archiver({
        db: site.db,
        archive: {
          cluster: (name) => site.archive.cluster(name),
          writeJob: (meta, data) =>
            new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
              site.archive.writeJob(meta, data)
            ),
        },
        reader: loaderOf(site),
      });
      assert.equal(slow.recover(), 3);
      const lines: string[] = [];
      const previous = setLogSink((line) => lines.push(line));
      try {
        const result = await slow.shutdown(20);
        assert.deepEqual(result, { drained: false, left: 2 });
      } finally {
        setLogSink(previous);
      }
      assert.match(lines.join("\n"), /shutdown timed out after 20 ms; 2 queued jobs keep/);
      await slow.idle();
      const statuses = more.map((id) => jobs.findById(id)!.monitoringStatus);
      assert.deepEqual(statuses, [3, 1, 1]);
      assert.equal(slow.enqueue({ id: more[1], jobId: 701, cluster: "fritz" }), false);
    });
  } finally {
    await site.close();
  }
});

Deno.test("long series are resampled for display, live and archived alike", async () => {
  const site = await createTestSite({
    now: () => NOW,
    main: { resampling: { "minimum-points": 50, trigger: 30, resolutions: [600, 60] } },
    document: { "metric-store": { "retention-in-memory": "48h", "memory-cap": 0 } },
    services: [archiverService],
  });
  try {
    const id = await startJob(site, { jobId: 801 });
    ingest(site, series("cpu_load", "f0101", (i) => i % 10));
    const read = async () => {
      const res = await site.call("GET", `/api/jobs/metrics/${id}?metric=cpu_load`, {
        roles: ["admin", "api"],
      });
      const body = await res.json();
      assert.equal(body.error, null, JSON.stringify(body.error));
      return body.data.jobMetrics;
    };
    const live = await read();
    assert.equal(live[0].metric.timestep, 600);
    assert.equal(live[0].metric.series[0].data.length, 6);
    // Statistics describe the native data.
    assert.deepEqual(live[0].metric.series[0].statistics, { min: 0, avg: 4.5, max: 9 });
    await stopJob(site, 801);
    await waitForStatus(site, id, 3);
    assert.deepEqual(await read(), live);
    const stored = await site.archive.loadJobData({
      cluster: "fritz",
      jobId: 801,
      startTime: START,
    });
    assert.equal(stored.cpu_load.node!.timestep, 60);
    assert.equal(stored.cpu_load.node!.series[0].data.length, 60);
  } finally {
    await site.close();
  }
});
