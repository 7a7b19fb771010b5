/**
 * Sends every operation of the cc-backend 1.5 web UI (frontend-graphql-usage.md)
 * to `/query` on a site with a few hundred generated jobs and checks shapes
 * and numbers against SQL and archive reads done independently here.
 */
import assert from "node:assert/strict";
import type { SQLInputValue, SQLOutputValue } from "node:sqlite";
import { nodeListOf } from "../../server/archive/mod.ts";
import { JobRepository } from "../../server/db/mod.ts";
import { sampleJob } from "../../server/db/test_db.ts";
import {
  createGraphqlTestSite,
  type GraphqlTestSite,
  liveValue,
  NOW,
  STORE_HOSTS,
} from "./graphql_test_site.ts";
import * as Q from "./frontend_queries.ts";

type Row = Record<string, SQLOutputValue>;

/** The live duration, as the statistics define it. */
const D = `(CASE WHEN job_state = 'running' THEN ${NOW} - start_time ELSE duration END)`;

function sql(site: GraphqlTestSite, text: string, ...params: SQLInputValue[]): Row[] {
  return site.db.prepare(text).all(...params) as Row[];
}

function one(site: GraphqlTestSite, text: string, ...params: SQLInputValue[]): Row {
  return sql(site, text, ...params)[0];
}

function ok(result: { status: number; body: { errors?: unknown; data?: unknown } }) {
  assert.equal(result.status, 200, JSON.stringify(result.body));
  assert.equal(result.body.errors, undefined, JSON.stringify(result.body.errors));
  // deno-lint-ignore no-explicit-any
  return result.body.data as any;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

const SORT_DESC = { field: "startTime", type: "col", order: "DESC" };

Deno.test("the UI's GraphQL operations answer with the expected shapes and numbers", async (t) => {
  const site = await createGraphqlTestSite();
  const user0 = site.demoUsers[0].user;
  try {
    await t.step("Q-init: clusters, tags, global metrics", async () => {
      const data = ok(await site.query(Q.Q_INIT));
      const clusters = site.archive.clusters();
      assert.deepEqual(
        data.clusters.map((c: { name: string }) => c.name),
        clusters.map((c) => c.name),
      );
      const fritz = data.clusters.find((c: { name: string }) => c.name === "fritz");
      const partitions = sql(
        site,
        "SELECT DISTINCT cluster_partition p FROM job WHERE cluster = 'fritz' ORDER BY 1",
      ).map((r) => r.p);
      assert.deepEqual(fritz.partitions, partitions);
      const main = site.archive.cluster("fritz")!.subClusters[0];
      assert.equal(fritz.subClusters[0].numberOfNodes, nodeListOf(main).count());
      assert.equal(fritz.subClusters[0].topology.node.length, main.topology.node.length);
      const spr = fritz.subClusters.find((s: { name: string }) => s.name === "spr1tb");
      assert.ok(!spr.metricConfig.some((m: { name: string }) => m.name === "mem_power"));
      assert.equal(typeof spr.metricConfig[0].lowerIsBetter, "boolean");
      assert.deepEqual(fritz.subClusters[0].flopRateSimd.unit, {
        base: main.flopRateSimd.unit.base,
        prefix: main.flopRateSimd.unit.prefix ?? "",
      });
      // Admin sees global and admin tags, not a user's private one.
      assert.deepEqual(data.tags.map((t: { scope: string }) => t.scope).sort(), [
        "admin",
        "global",
      ]);
      const asUser = ok(await site.query(Q.Q_INIT, {}, { username: user0 }));
      assert.deepEqual(asUser.tags.map((t: { scope: string }) => t.scope).sort(), [
        "global",
        user0,
      ]);
      const memPower = data.globalMetrics.find((m: { name: string }) => m.name === "mem_power");
      assert.deepEqual(memPower.availability, [{ cluster: "fritz", subClusters: ["main"] }]);
      const cpuLoad = data.globalMetrics.find((m: { name: string }) => m.name === "cpu_load");
      assert.equal(cpuLoad.footprint, "avg");
      assert.equal(cpuLoad.scope, "node");
      const names = new Set(clusters.flatMap((c) => c.metricConfig.map((m) => m.name)));
      assert.equal(data.globalMetrics.length, names.size);
    });

    const detailed = site.jobs.find((j) => j.id === site.withData[1])!;

    await t.step("job view: Q-init plus job(id)", async () => {
      const data = ok(await site.query(Q.qJobView(String(detailed.id))));
      const job = data.job;
      const row = one(site, "SELECT * FROM job WHERE id = ?", detailed.id!);
      assert.equal(job.id, String(row.id));
      assert.equal(job.jobId, Number(row.job_id));
      assert.equal(job.user, row.hpc_user);
      assert.equal(job.duration, Number(row.duration));
      assert.equal(job.numHWThreads, Number(row.num_hwthreads));
      assert.equal(job.SMT, Number(row.smt));
      assert.equal(job.partition, row.cluster_partition);
      assert.equal(job.state, row.job_state);
      assert.equal(new Date(job.startTime).getTime() / 1000, Number(row.start_time));
      assert.deepEqual(
        job.resources.map((r: { hostname: string }) => r.hostname),
        detailed.resources.map((r) => r.hostname),
      );
      assert.deepEqual(job.userData, {
        name: `Name of ${detailed.user}`,
        email: `${detailed.user}@example.org`,
      });
      const footprint = JSON.parse(String(row.footprint));
      assert.equal(job.footprint.length, Object.keys(footprint).length);
      for (const f of job.footprint) assert.equal(f.value, footprint[`${f.name}_${f.stat}`]);
      const tagged = sql(site, "SELECT tag_id FROM jobtag WHERE job_id = ?", detailed.id!);
      assert.equal(job.tags.length, tagged.length);
      assert.equal(job.metaData.jobName, detailed.metaData?.jobName);
      assert.equal(job.concurrentJobs, null, "exclusive jobs have no concurrent jobs");
      for (const e of job.energyFootprint) {
        assert.ok(["CPU", "Accelerator", "Memory", "Core", "Other"].includes(e.hardware));
      }
    });

    await t.step("job view: concurrent jobs on shared nodes", async () => {
      const repo = new JobRepository(site.db);
      const base = { cluster: "fritz", subCluster: "main", shared: "multi_user" as const };
      const host = [{ hostname: "f0124" }];
      const [a, b] = repo.insertJobs([
        sampleJob({ ...base, jobId: 91, startTime: NOW - 9000, duration: 5000, resources: host }),
        sampleJob({ ...base, jobId: 92, startTime: NOW - 8000, duration: 1000, resources: host }),
        sampleJob({
          ...base,
          jobId: 93,
          startTime: NOW - 8000,
          duration: 1000,
          resources: [{ hostname: "f0123" }],
        }),
        sampleJob({ ...base, jobId: 94, startTime: NOW - 3990, duration: 100, resources: host }),
      ]);
      const data = ok(
        await site.query(
          `{ job(id: "${a}") { concurrentJobs { items { id jobId } count listQuery } } }`,
        ),
      );
      assert.deepEqual(data.job.concurrentJobs, {
        items: [{ id: String(b), jobId: 92 }],
        count: 1,
        listQuery: "cluster=fritz&jobId=92",
      });
      site.db.prepare("DELETE FROM job WHERE job_id IN (91, 92, 93, 94)").run();
    });

    await t.step("Q-job-scopes, Q-statstable: scoped statistics of an archived job", async () => {
      const metrics = ["flops_any", "mem_bw", "cpu_load"];
      const data = ok(
        await site.query(Q.Q_JOB_SCOPES, {
          dbid: String(detailed.id),
          selectedMetrics: metrics,
          selectedScopes: ["node", "socket", "core"],
        }),
      );
      assert.deepEqual(
        data.scopedJobStats.map((s: { name: string; scope: string }) => `${s.name}/${s.scope}`),
        metrics.map((m) => `${m}/node`),
      );
      const archived = await site.archive.loadJobData(detailed);
      const table = ok(
        await site.query(Q.Q_STATSTABLE, {
          dbid: detailed.id,
          selectedMetrics: ["cpu_load"],
          selectedScopes: ["node"],
        }),
      );
      const series = archived.cpu_load.node!.series;
      assert.deepEqual(
        table.scopedJobStats[0].stats.map((
          s: { hostname: string; data: unknown },
        ) => [s.hostname, s.data]),
        series.map((s) => [s.hostname, {
          min: round2(s.statistics.min),
          avg: round2(s.statistics.avg),
          max: round2(s.statistics.max),
        }]),
      );
    });

    await t.step("Q-metric, Q-rowmetrics, Q-roofline: series of an archived job", async () => {
      const archived = await site.archive.loadJobData(detailed);
      const data = ok(
        await site.query(Q.Q_METRIC, {
          dbid: String(detailed.id),
          selectedMetrics: ["cpu_load"],
          selectedScopes: ["node"],
          selectedResolution: 0,
        }),
      );
      const metric = data.singleUpdate[0];
      assert.equal(metric.name, "cpu_load");
      assert.equal(metric.scope, "node");
      assert.equal(metric.metric.timestep, archived.cpu_load.node!.timestep);
      const expected = archived.cpu_load.node!.series[0].data.map((v) =>
        Number.isNaN(v) ? null : round2(v)
      );
      assert.deepEqual(metric.metric.series[0].data, expected);
      assert.equal(metric.metric.series[0].id, null);
      const rows = ok(
        await site.query(Q.Q_ROWMETRICS, {
          id: detailed.id,
          metrics: ["cpu_load", "mem_used"],
          scopes: ["core"],
          selectedResolution: 0,
        }),
      );
      // Node-only data is returned at node scope whatever was asked for.
      assert.deepEqual(
        rows.jobMetrics.map((m: { name: string; scope: string }) => `${m.name}/${m.scope}`),
        [
          "cpu_load/node",
          "mem_used/node",
        ],
      );
      const roof = ok(await site.query(Q.Q_ROOFLINE, { dbid: detailed.id }));
      assert.deepEqual(roof.jobMetrics.map((m: { name: string }) => m.name), [
        "flops_any",
        "mem_bw",
      ]);
      assert.equal(roof.jobMetrics[0].metric.series.length, detailed.numNodes);
    });

    await t.step("Q-polar: job statistics from meta.json", async () => {
      const meta = await site.archive.loadJobMeta(detailed);
      const metrics = ["cpu_load", "flops_any", "mem_bw", "no_such_metric"];
      const data = ok(await site.query(Q.Q_POLAR, { dbid: detailed.id, selectedMetrics: metrics }));
      assert.deepEqual(
        data.jobStats,
        metrics.map((name) => ({
          name,
          data: {
            avg: meta.statistics?.[name]?.avg ?? 0,
            max: meta.statistics?.[name]?.max ?? 0,
          },
        })),
      );
    });

    await t.step("M-createTag, M-addTags, M-removeTags on an archived job", async () => {
      const own = site.jobs.find((j) => j.user === user0 && j.monitoringStatus === 3)!;
      const created = ok(
        await site.query(Q.M_CREATE_TAG, { type: "mine", name: "t1", scope: user0 }, {
          username: user0,
        }),
      ).createTag;
      assert.equal(created.scope, user0);
      assert.equal(
        one(site, "SELECT tag_scope s FROM tag WHERE id = ?", Number(created.id)).s,
        user0,
      );
      const added = ok(
        await site.query(Q.M_ADD_TAGS, { job: own.id, tagIds: [created.id] }, { username: user0 }),
      );
      assert.ok(added.addTagsToJob.some((t: { id: string }) => t.id === created.id));
      const meta = await site.archive.loadJobMeta(own);
      assert.ok(meta.tags?.some((t) => t.name === "t1" && t.scope === user0), "meta.json updated");
      const removed = ok(
        await site.query(Q.M_REMOVE_TAGS, { job: String(own.id), tagIds: [Number(created.id)] }, {
          username: user0,
        }),
      );
      assert.ok(!removed.removeTagsFromJob.some((t: { id: string }) => t.id === created.id));
      const denied = await site.query(Q.M_CREATE_TAG, { type: "x", name: "y", scope: "global" }, {
        username: user0,
      });
      assert.equal(denied.status, 200);
      assert.match(
        denied.body.errors![0].message,
        /not authorized to create tag with scope: global/,
      );
      assert.equal(denied.body.data, null);
      const foreign = site.jobs.find((j) =>
        j.user !== user0 && j.project !== site.demoUsers[0].project
      )!;
      const hidden = await site.query(Q.M_ADD_TAGS, { job: foreign.id, tagIds: [created.id] }, {
        username: user0,
      });
      assert.match(hidden.body.errors![0].message, /cannot find job/);
    });

    await t.step("M-config: updateConfiguration stores JSON per user", async () => {
      const data = ok(
        await site.query(Q.M_CONFIG, {
          name: "metricConfig_jobListMetrics:fritz",
          value: '["flops_any","mem_bw"]',
        }, { username: user0 }),
      );
      assert.equal(data.updateConfiguration, null);
      const row = one(
        site,
        "SELECT value FROM configuration WHERE username = ? AND confkey = ?",
        user0,
        "metricConfig_jobListMetrics:fritz",
      );
      assert.deepEqual(JSON.parse(String(row.value)), ["flops_any", "mem_bw"]);
      const bad = await site.query(Q.M_CONFIG, { name: "k", value: "not json" }, {
        username: user0,
      });
      assert.match(bad.body.errors![0].message, /not JSON text/);
    });

    await t.step("Q-joblist: filters, column and footprint order, paging, visibility", async () => {
      const filter = [{ cluster: { eq: "fritz" } }, { state: ["completed", "failed"] }];
      const data = ok(
        await site.query(Q.Q_JOBLIST, {
          filter,
          sorting: SORT_DESC,
          paging: { itemsPerPage: 10, page: 2 },
        }),
      );
      const where = "cluster = 'fritz' AND job_state IN ('completed', 'failed')";
      const expected = sql(
        site,
        `SELECT id FROM job WHERE ${where} ORDER BY start_time DESC, id DESC LIMIT 10 OFFSET 10`,
      );
      assert.deepEqual(
        data.jobs.items.map((j: { id: string }) => Number(j.id)),
        expected.map((r) => Number(r.id)),
      );
      const count = Number(one(site, `SELECT COUNT(*) n FROM job WHERE ${where}`).n);
      assert.equal(data.jobs.count, count);
      assert.equal(data.jobs.hasNextPage, count > 20);
      const item = data.jobs.items[0];
      assert.equal(typeof item.userData.name, "string");
      assert.ok(Array.isArray(item.footprint));

      const foot = ok(
        await site.query(Q.Q_JOBLIST, {
          filter: [{ cluster: { eq: "fritz" } }],
          sorting: { field: "flops_any_avg", type: "foot", order: "DESC" },
          paging: { itemsPerPage: 5, page: 1 },
        }),
      );
      const top = sql(
        site,
        "SELECT id FROM job WHERE cluster = 'fritz' AND json_extract(footprint, '$.flops_any_avg') IS NOT NULL ORDER BY json_extract(footprint, '$.flops_any_avg') DESC, id DESC LIMIT 5",
      );
      assert.deepEqual(
        foot.jobs.items.map((j: { id: string }) => Number(j.id)),
        top.map((r) => Number(r.id)),
      );

      const asUser = ok(
        await site.query(Q.Q_JOBLIST, {
          filter: [],
          sorting: SORT_DESC,
          paging: { itemsPerPage: 1000, page: 1 },
        }, {
          username: user0,
        }),
      );
      assert.equal(
        asUser.jobs.count,
        Number(one(site, "SELECT COUNT(*) n FROM job WHERE hpc_user = ?", user0).n),
      );
      assert.ok(asUser.jobs.items.every((j: { user: string }) => j.user === user0));
      const asManager = ok(
        await site.query(Q.Q_JOBLIST, {
          filter: [],
          sorting: SORT_DESC,
          paging: { itemsPerPage: 1, page: 1 },
        }, {
          username: site.manager.username,
        }),
      );
      assert.equal(
        asManager.jobs.count,
        Number(
          one(
            site,
            "SELECT COUNT(*) n FROM job WHERE project = ? OR hpc_user = 'boss'",
            site.manager.projects[0],
          ).n,
        ),
      );
    });

    await t.step("Q-joblist: every filter shape the UI builds matches SQL", async () => {
      const someTag = Number(one(site, "SELECT id FROM tag WHERE tag_scope = 'global'").id);
      const sample = site.jobs.find((j) => j.id === site.withData[4])!;
      const host = sample.resources[0].hostname;
      const cases: [unknown, string][] = [
        [
          { dbId: [String(site.withData[0]), site.withData[1]] },
          `id IN (${site.withData[0]}, ${site.withData[1]})`,
        ],
        [{ subCluster: { eq: "a100" } }, "subcluster = 'a100'"],
        [{ partition: { eq: "singlenode" } }, "cluster_partition = 'singlenode'"],
        [{ shared: "none" }, "shared = 'none'"],
        [
          { project: { contains: site.demoUsers[1].project.slice(1, 4) } },
          `project LIKE '%${site.demoUsers[1].project.slice(1, 4)}%'`,
        ],
        [
          { user: { in: [site.demoUsers[0].user, site.demoUsers[2].user] } },
          `hpc_user IN ('${site.demoUsers[0].user}', '${site.demoUsers[2].user}')`,
        ],
        [{ numNodes: { from: 2, to: 4 } }, "num_nodes BETWEEN 2 AND 4"],
        [{ numAccelerators: { from: 1, to: 0 } }, "num_acc >= 1"],
        [{ numHWThreads: { from: 0, to: 72 } }, "num_hwthreads <= 72"],
        [{ arrayJobId: sample.arrayJobId ?? 0 }, `array_job_id = ${sample.arrayJobId ?? 0}`],
        [{ tags: [someTag] }, `id IN (SELECT job_id FROM jobtag WHERE tag_id = ${someTag})`],
        [
          { startTime: { from: iso(NOW - 5 * 86400), to: iso(NOW - 86400) } },
          `start_time BETWEEN ${NOW - 5 * 86400} AND ${NOW - 86400}`,
        ],
        [{ startTime: { range: "last24h" } }, `start_time >= ${NOW - 86400}`],
        [{ duration: { from: 600, to: 7200 } }, "duration BETWEEN 600 AND 7200"],
        [{ duration: { from: 0, to: 300 } }, "duration <= 300"],
        [{ duration: { from: 3600, to: 0 } }, "duration >= 3600"],
        [{ energy: { from: 1, to: 100 } }, "energy BETWEEN 1 AND 100"],
        [{ jobId: { eq: String(sample.jobId) } }, `job_id = ${sample.jobId}`],
        [
          { jobId: { in: [String(sample.jobId), "5000003"] } },
          `job_id IN (${sample.jobId}, 5000003)`,
        ],
        [
          { metricStats: [{ metricName: "flops_any_avg", range: { from: 10, to: 1000 } }] },
          "json_extract(footprint, '$.flops_any_avg') BETWEEN 10 AND 1000",
        ],
        [
          { node: { eq: host } },
          `EXISTS (SELECT 1 FROM json_each(resources) r WHERE json_extract(r.value, '$.hostname') = '${host}')`,
        ],
        [
          { node: { contains: host.slice(0, 3) } },
          `EXISTS (SELECT 1 FROM json_each(resources) r WHERE json_extract(r.value, '$.hostname') LIKE '%${
            host.slice(0, 3)
          }%')`,
        ],
        [{ jobName: { contains: "a" } }, "json_extract(meta_data, '$.jobName') LIKE '%a%'"],
        [{ schedule: "batch" }, "json_extract(meta_data, '$.jobName') != 'interactive'"],
        [{ schedule: "interactive" }, "json_extract(meta_data, '$.jobName') = 'interactive'"],
      ];
      for (const [filter, where] of cases) {
        const data = ok(
          await site.query(Q.Q_JOBLIST, {
            filter: [{ cluster: { neq: "none" } }, filter],
            sorting: SORT_DESC,
            paging: { itemsPerPage: -1, page: 1 },
          }),
        );
        const ids = sql(site, `SELECT id FROM job WHERE ${where} ORDER BY start_time DESC, id DESC`)
          .map((r) => String(r.id));
        assert.deepEqual(
          data.jobs.items.map((j: { id: string }) => j.id),
          ids,
          JSON.stringify(filter),
        );
        assert.equal(data.jobs.count, ids.length);
        assert.equal(data.jobs.hasNextPage, false);
      }
    });

    await t.step("Q-compare: metric statistics of selected jobs", async () => {
      const ids = site.withData.slice(0, 3);
      const data = ok(
        await site.query(Q.Q_COMPARE, {
          filter: [{ dbId: ids.map(String) }],
          metrics: ["cpu_load", "mem_bw"],
        }),
      );
      const expected = sql(
        site,
        `SELECT id, job_id FROM job WHERE id IN (${ids.join(",")}) ORDER BY start_time, id`,
      );
      assert.deepEqual(
        data.jobsMetricStats.map((s: { id: number }) => s.id),
        expected.map((r) => Number(r.id)),
      );
      for (const stats of data.jobsMetricStats) {
        const job = site.jobs.find((j) => j.id === stats.id)!;
        assert.equal(stats.jobId, String(job.jobId));
        const meta = await site.archive.loadJobMeta(job);
        assert.deepEqual(stats.stats[0], {
          name: "cpu_load",
          data: {
            min: meta.statistics!.cpu_load.min,
            avg: meta.statistics!.cpu_load.avg,
            max: meta.statistics!.cpu_load.max,
          },
        });
      }
    });

    await t.step("Q-userstats: totals, duration and metric histograms of one user", async () => {
      const user = site.demoUsers[0].user;
      const data = ok(
        await site.query(Q.Q_USERSTATS, {
          jobFilters: [{ user: { eq: user } }],
          selectedHistograms: ["flops_any", "cpu_load"],
          numDurationBins: "10m",
          numMetricBins: 10,
        }),
      );
      const [s] = data.jobsStatistics;
      const expected = one(
        site,
        `SELECT COUNT(*) jobs, SUM(${D}) wall, SUM(${D} * num_hwthreads) core, SUM(${D} * num_acc) acc, ` +
          `SUM(CASE WHEN ${D} < 300 THEN 1 ELSE 0 END) short FROM job WHERE hpc_user = ?`,
        user,
      );
      assert.equal(s.totalJobs, Number(expected.jobs));
      assert.equal(s.totalWalltime, Math.floor(Number(expected.wall) / 3600));
      assert.equal(s.totalCoreHours, Math.floor(Number(expected.core) / 3600));
      assert.equal(s.totalAccHours, Math.floor(Number(expected.acc ?? 0) / 3600));
      assert.equal(s.shortJobs, Number(expected.short));
      assert.equal(s.histDuration.length, 72);
      const durations = sql(site, `SELECT ${D} d FROM job WHERE hpc_user = ?`, user).map((r) =>
        Number(r.d)
      );
      s.histDuration.forEach((p: { value: number; count: number }, i: number) => {
        assert.equal(p.value, (i + 1) * 600);
        assert.equal(p.count, durations.filter((d) => d >= i * 600 && d < (i + 1) * 600).length);
      });
      const nodes = sql(
        site,
        "SELECT num_nodes value, COUNT(*) count FROM job WHERE hpc_user = ? GROUP BY 1 ORDER BY 1",
        user,
      )
        .map((r) => ({ value: Number(r.value), count: Number(r.count) }));
      assert.deepEqual(s.histNumNodes, nodes.map((n) => ({ count: n.count, value: n.value })));
      // No cluster filter: the largest peak of any cluster.
      const peaks = { flops_any: 9216, cpu_load: 128 };
      for (const h of s.histMetrics) {
        const peak = peaks[h.metric as keyof typeof peaks];
        assert.equal(h.stat, "avg");
        const values = sql(
          site,
          `SELECT json_extract(footprint, '$.${h.metric}_avg') v FROM job WHERE hpc_user = ?`,
          user,
        )
          .map((r) => r.v === null ? NaN : Number(r.v))
          .filter((v) => !Number.isNaN(v) && v <= peak);
        const counts = new Array(10).fill(0);
        for (const v of values) counts[v >= peak ? 9 : Math.floor(v / peak * 10)]++;
        assert.deepEqual(h.data.map((b: { count: number }) => b.count), counts);
        assert.deepEqual(h.data[1], {
          min: Math.trunc(peak / 10),
          max: 2 * Math.trunc(peak / 10),
          count: counts[1],
          bin: 2,
        });
      }
      assert.equal(s.histMetrics[0].unit, "GF/s");
    });

    await t.step("Q-list: users and projects lists (grouped, @include)", async () => {
      for (const [type, column] of [["USER", "hpc_user"], ["PROJECT", "project"]] as const) {
        const filters = [{ cluster: { eq: "fritz" } }];
        const data = ok(
          await site.query(Q.qList(type), { jobFilters: filters, fetchRunning: false }),
        );
        const expected = sql(
          site,
          `SELECT ${column} g, COUNT(*) jobs, SUM(${D}) wall, SUM(${D} * num_hwthreads) core FROM job ` +
            `WHERE cluster = 'fritz' GROUP BY ${column} ORDER BY ${column}`,
        );
        assert.deepEqual(data.rows.map((r: { id: string }) => r.id), expected.map((r) => r.g));
        data.rows.forEach((r: Record<string, unknown>, i: number) => {
          assert.equal(r.totalJobs, Number(expected[i].jobs));
          assert.equal(r.totalWalltime, Math.floor(Number(expected[i].wall) / 3600));
          assert.equal(r.totalCoreHours, Math.floor(Number(expected[i].core) / 3600));
          assert.ok(!("totalCores" in r), "@include(if: false) leaves the field out");
          assert.equal(r.name, type === "USER" ? `Name of ${r.id}` : "");
        });
        const running = ok(
          await site.query(Q.qList(type), {
            jobFilters: [...filters, { state: ["running"] }],
            fetchRunning: true,
          }),
        );
        const cores = sql(
          site,
          `SELECT SUM(num_hwthreads) c FROM job WHERE cluster = 'fritz' AND job_state = 'running' GROUP BY ${column} ORDER BY ${column}`,
        );
        assert.deepEqual(
          running.rows.map((r: { totalCores: number }) => r.totalCores),
          cores.map((r) => Number(r.c)),
        );
      }
    });

    const analysisFilter = [{ cluster: { eq: "fritz" } }, { startTime: { range: "last7d" } }];
    const analysisWhere = `cluster = 'fritz' AND start_time >= ${NOW - 7 * 86400}`;

    await t.step("Q-an-stats and Q-an-top: analysis totals and top lists", async () => {
      const data = ok(await site.query(Q.Q_AN_STATS, { jobFilters: analysisFilter }));
      const s = data.stats[0];
      const e = one(
        site,
        `SELECT COUNT(*) n, SUM(${D} * num_nodes) nh FROM job WHERE ${analysisWhere}`,
      );
      assert.equal(s.totalJobs, Number(e.n));
      assert.equal(s.totalNodeHours, Math.floor(Number(e.nh) / 3600));
      assert.equal(s.histDuration.length, 48);
      assert.equal(
        s.histDuration.reduce((a: number, p: { count: number }) => a + p.count, 0),
        Number(
          one(site, `SELECT COUNT(*) n FROM job WHERE ${analysisWhere} AND ${D} < 48 * 3600`).n,
        ),
      );
      const cores = sql(
        site,
        `SELECT num_hwthreads v, COUNT(*) c FROM job WHERE ${analysisWhere} GROUP BY 1 ORDER BY 1`,
      );
      assert.deepEqual(
        s.histNumCores,
        cores.map((r) => ({ count: Number(r.c), value: Number(r.v) })),
      );

      const top = ok(
        await site.query(Q.Q_AN_TOP, {
          jobFilters: analysisFilter,
          paging: { itemsPerPage: 10, page: 1 },
          sortBy: "TOTALCOREHOURS",
          groupBy: "USER",
        }),
      );
      const expected = sql(
        site,
        `SELECT SUM(${D} * num_hwthreads) / 3600 h FROM job WHERE ${analysisWhere} GROUP BY hpc_user ORDER BY h DESC LIMIT 10`,
      );
      assert.deepEqual(
        top.topList.map((r: { totalCoreHours: number }) => r.totalCoreHours),
        expected.map((r) => Number(r.h)),
      );
      assert.ok(
        top.topList.every((r: { name: string; id: string }) => r.name === `Name of ${r.id}`),
      );
    });

    await t.step("Q-an-footprints: per-job averages and time weights", async () => {
      const data = ok(
        await site.query(Q.Q_AN_FOOTPRINTS, {
          jobFilters: analysisFilter,
          metrics: ["flops_any", "cpu_user"],
        }),
      );
      const rows = sql(
        site,
        `SELECT id, duration, job_state, start_time, num_nodes, num_hwthreads, num_acc FROM job WHERE ${analysisWhere} AND monitoring_status NOT IN (0, 2) ORDER BY start_time DESC, id DESC`,
      );
      const live = (r: Row) =>
        r.job_state === "running" ? NOW - Number(r.start_time) : Number(r.duration);
      const fp = data.footprints;
      assert.deepEqual(
        fp.timeWeights.nodeHours,
        rows.map((r) => round2(live(r) / 60 * Number(r.num_nodes))),
      );
      assert.deepEqual(
        fp.timeWeights.coreHours,
        rows.map((r) =>
          round2(Number(r.num_hwthreads) ? live(r) / 60 * Number(r.num_hwthreads) : 1)
        ),
      );
      assert.deepEqual(fp.metrics.map((m: { metric: string }) => m.metric), [
        "flops_any",
        "cpu_user",
      ]);
      for (const [i, r] of rows.entries()) {
        const job = site.jobs.find((j) => j.id === Number(r.id))!;
        if (job.jobState === "running") {
          assert.equal(fp.metrics[0].data[i], liveValue(job, "flops_any"));
          continue;
        }
        const meta = await site.archive.loadJobMeta(job);
        assert.equal(fp.metrics[0].data[i], round2(meta.statistics!.flops_any.avg));
        assert.equal(fp.metrics[1].data[i], round2(meta.statistics!.cpu_user.avg));
      }
    });

    await t.step("Q-an-roofline: heatmap cells from archived flops_any and mem_bw", async () => {
      const maxY = 5600;
      const data = ok(
        await site.query(Q.Q_AN_ROOFLINE, { jobFilters: [{ dbId: site.withData }], maxY }),
      );
      const tiles = Array.from({ length: 50 }, () => new Array(50).fill(0));
      const [lx0, lx1, ly0, ly1] = [
        Math.log10(0.01),
        Math.log10(1000),
        Math.log10(1),
        Math.log10(maxY),
      ];
      for (const id of site.withData) {
        const d = await site.archive.loadJobData(site.jobs.find((j) => j.id === id)!);
        const flops = d.flops_any.node!.series, bw = d.mem_bw.node!.series;
        for (const f of flops) {
          const m = bw.find((s) => s.hostname === f.hostname)!;
          for (let i = 0; i < Math.min(f.data.length, m.data.length); i++) {
            const x = Math.log10(f.data[i] / m.data[i]), y = Math.log10(f.data[i]);
            if (!(x >= lx0 && x < lx1 && y >= ly0 && y <= ly1)) continue;
            const c = Math.floor((x - lx0) / (lx1 - lx0) * 50),
              r = Math.floor((y - ly0) / (ly1 - ly0) * 50);
            if (r < 50 && c < 50) tiles[r][c]++;
          }
        }
      }
      assert.deepEqual(data.rooflineHeatmap, tiles);
      assert.ok(tiles.flat().reduce((a, b) => a + b, 0) > 0, "samples were counted");
    });

    const from = iso(NOW - 600), to = iso(NOW);

    await t.step("Q-overview, Q-node: node metrics from the metric store", async () => {
      const data = ok(
        await site.query(Q.Q_OVERVIEW, { cluster: "fritz", metrics: ["cpu_load"], from, to }),
      );
      assert.deepEqual(data.nodeMetrics.map((n: { host: string }) => n.host), STORE_HOSTS);
      data.nodeMetrics.forEach(
        (
          n: {
            nodeState: string;
            subCluster: string;
            metrics: {
              name: string;
              scope: string;
              metric: { series: { statistics: { avg: number }; data: number[] }[] };
            }[];
          },
          h: number,
        ) => {
          assert.equal(n.nodeState, h === 0 ? "allocated" : "idle");
          assert.equal(n.subCluster, "main");
          assert.equal(n.metrics[0].scope, "node");
          assert.equal(n.metrics[0].metric.series[0].statistics.avg, 10 * (h + 1));
          assert.ok(
            n.metrics[0].metric.series[0].data.filter((v) => v !== null).every((v) =>
              v === 10 * (h + 1)
            ),
          );
        },
      );
      const node = ok(
        await site.query(Q.Q_NODE, {
          cluster: "fritz",
          nodes: ["f0102"],
          from,
          to,
          nodeFilter: { hostname: { eq: "f0102" } },
          sorting: SORT_DESC,
        }),
      );
      assert.equal(node.nodeMetrics.length, 1);
      assert.deepEqual(node.nodeMetrics[0].metrics.map((m: { name: string }) => m.name).sort(), [
        "cpu_load",
        "mem_used",
      ]);
      assert.deepEqual(node.nodeStatus, {
        count: 1,
        items: [{ schedulerState: "idle", healthState: "full" }],
      });
    });

    await t.step("Q-nodelist: paged hosts with scoped series", async () => {
      const vars = {
        cluster: "fritz",
        subCluster: "",
        nodeFilter: "",
        stateFilter: "all",
        metrics: ["cpu_load", "mem_used"],
        scopes: ["core", "socket", "accelerator"],
        from,
        to,
        paging: { itemsPerPage: 2, page: 1 },
        selectedResolution: 0,
      };
      const data = ok(await site.query(Q.Q_NODELIST, vars)).nodeMetricsList;
      assert.deepEqual(data.items.map((i: { host: string }) => i.host), ["f0101", "f0102"]);
      assert.equal(data.totalNodes, 3);
      assert.equal(data.hasNextPage, true);
      assert.equal(
        data.items[0].metrics[0].scope,
        "node",
        "node-native metrics stay at node scope",
      );
      assert.equal(
        data.items[1].metrics.find((m: { name: string }) => m.name === "mem_used").metric.series[0]
          .statistics.avg,
        101,
      );
      const idle = ok(
        await site.query(Q.Q_NODELIST, {
          ...vars,
          stateFilter: "idle",
          paging: { itemsPerPage: 10, page: 1 },
        }),
      ).nodeMetricsList;
      assert.deepEqual(idle.items.map((i: { host: string }) => i.host), ["f0102", "f0103"]);
      const notInDb = ok(
        await site.query(Q.Q_NODELIST, {
          ...vars,
          stateFilter: "notindb",
          paging: { itemsPerPage: 10, page: 1 },
        }),
      ).nodeMetricsList;
      const configured = site.archive.cluster("fritz")!.subClusters.reduce(
        (n, sc) => n + nodeListOf(sc).count(),
        0,
      );
      assert.equal(notInDb.totalNodes, configured - STORE_HOSTS.length);
      assert.ok(!notInDb.items.some((i: { host: string }) => STORE_HOSTS.includes(i.host)));
    });

    const running = site.jobs.filter((j) => j.jobState === "running" && j.cluster === "fritz");
    const runningFilter = [{ cluster: { eq: "fritz" } }, { state: ["running"] }];

    await t.step("Q-nodejobs, Q-node-jobcount: running jobs on a node", async () => {
      const host = running[0].resources[0].hostname;
      const filter = [...runningFilter, { node: { eq: host } }];
      const data = ok(
        await site.query(Q.Q_NODEJOBS, {
          filter,
          sorting: SORT_DESC,
          paging: { itemsPerPage: 50, page: 1 },
        }),
      );
      const expected = running.filter((j) => j.resources.some((r) => r.hostname === host));
      assert.equal(data.jobs.count, expected.length);
      assert.deepEqual(
        data.jobs.items.map((j: { jobId: number }) => j.jobId).sort(),
        expected.map((j) => j.jobId).sort(),
      );
      const count = ok(
        await site.query(Q.Q_NODE_JOBCOUNT, {
          filter,
          sorting: SORT_DESC,
          paging: { itemsPerPage: 50, page: 1 },
        }),
      );
      assert.deepEqual(count, { jobs: { count: expected.length } });
    });

    await t.step("Q-di-states, Q-pub-states: node states over time", async () => {
      const filter = { cluster: { eq: "fritz" }, timeStart: NOW - 1000 };
      const data = ok(
        await site.query(Q.Q_DI_STATES, { filter, typeNode: "node", typeHealth: "health" }),
      );
      const byState = (list: { state: string; times: number[] }[]) =>
        Object.fromEntries(list.map((s) => [s.state, s]));
      assert.deepEqual(byState(data.nodeStates), {
        allocated: { state: "allocated", counts: [1], times: [NOW - 60] },
        idle: { state: "idle", counts: [3, 2], times: [NOW - 600, NOW - 60] },
      });
      assert.deepEqual(byState(data.healthStates).partial, {
        state: "partial",
        counts: [1],
        times: [NOW - 60],
      });
      const pub = ok(
        await site.query(Q.Q_PUB_STATES, { filter: { ...filter, timeStart: NOW - 100 } }),
      );
      assert.deepEqual(byState(pub.nodeStatesTimed).idle.times, [NOW - 60]);
    });

    const statusVars = {
      cluster: "fritz",
      metrics: ["flops_any", "mem_bw"],
      from,
      to,
      clusterFrom: iso(NOW - 8 * 3600),
      jobFilter: runningFilter,
      paging: { itemsPerPage: -1, page: 1 },
      sorting: SORT_DESC,
    };

    await t.step("Q-di-status, Q-sd-status, Q-pub-status: the status dashboards", async () => {
      const data = ok(await site.query(Q.Q_DI_STATUS, statusVars));
      assert.equal(data.jobs.count, running.length);
      assert.equal(data.jobsMetricStats.length, running.length);
      for (const s of data.jobsMetricStats) {
        const job = running.find((j) => j.id === s.id)!;
        assert.deepEqual(
          s.stats.map((x: { name: string; data: { avg: number } }) => [x.name, x.data.avg]),
          [
            ["flops_any", liveValue(job, "flops_any")],
            ["mem_bw", liveValue(job, "mem_bw")],
          ],
        );
      }
      const hosts = sql(
        site,
        "SELECT subcluster s, COUNT(DISTINCT json_extract(r.value, '$.hostname')) n FROM job, json_each(resources) r WHERE job_state = 'running' AND cluster = 'fritz' GROUP BY 1 ORDER BY 1",
      );
      assert.deepEqual(data.allocatedNodes, hosts.map((r) => ({ name: r.s, count: Number(r.n) })));
      const totals = one(
        site,
        "SELECT COUNT(*) n, COUNT(DISTINCT hpc_user) u, SUM(num_hwthreads) c, SUM(num_acc) a FROM job WHERE cluster = 'fritz' AND job_state = 'running'",
      );
      assert.deepEqual(data.jobsStatistics, [{
        id: "fritz",
        totalJobs: Number(totals.n),
        totalUsers: Number(totals.u),
        totalCores: Number(totals.c),
        totalAccs: Number(totals.a),
      }]);
      // No flops_any/mem_bw samples in the store: no hosts contribute.
      assert.deepEqual(data.clusterMetrics, { nodeCount: 0, metrics: [] });

      const sd = ok(
        await site.query(Q.Q_SD_STATUS, {
          ...statusVars,
          clusterFrom: undefined,
          nodeFilter: { cluster: { eq: "fritz" } },
        }),
      );
      assert.deepEqual(sd.nodes.items.map((n: { hostname: string }) => n.hostname), STORE_HOSTS);
      assert.equal(sd.nodes.count, 3);
      const bySub = sql(
        site,
        "SELECT subcluster s, COUNT(*) n FROM job WHERE cluster = 'fritz' AND job_state = 'running' GROUP BY 1 ORDER BY 1",
      );
      assert.deepEqual(
        sd.jobsStatistics.map((s: { id: string; totalJobs: number }) => [s.id, s.totalJobs]),
        bySub.map((r) => [r.s, Number(r.n)]),
      );

      const pub = ok(
        await site.query(Q.Q_PUB_STATUS, {
          ...statusVars,
          metrics: undefined,
          nmetrics: ["flops_any", "mem_bw", "cpu_power", "acc_power"],
          cmetrics: ["mem_used"],
          nodeFilter: { cluster: { eq: "fritz" } },
        }),
      );
      assert.deepEqual(pub.clusterMetrics.metrics[0].unit, { prefix: "T", base: "B" });
      assert.equal(pub.clusterMetrics.nodeCount, 3);
      // 100 + 101 + 102 GB = 0.303 TB, rounded to two decimals.
      assert.ok(pub.clusterMetrics.metrics[0].data.includes(0.3));
      assert.deepEqual(
        pub.nodeStates.map((s: { state: string; count: number }) => `${s.state}:${s.count}`),
        [
          "allocated:1",
          "idle:2",
          "full:2",
          "partial:1",
        ],
      );
    });

    await t.step("Q-di-topprojects, Q-usage-top, Q-usage-hist: usage dashboards", async () => {
      const top = ok(await site.query(Q.Q_DI_TOPPROJECTS, { filter: runningFilter }));
      const counts = top.jobsStatistics.map((p: { totalJobs: number }) => p.totalJobs);
      assert.deepEqual(counts, [...counts].sort((a: number, b: number) => b - a));
      assert.equal(counts.reduce((a: number, b: number) => a + b, 0), running.length);
      const usage = ok(await site.query(Q.Q_USAGE_TOP, { filter: runningFilter }));
      const users = sql(
        site,
        "SELECT hpc_user u, SUM(num_nodes) n FROM job WHERE cluster = 'fritz' AND job_state = 'running' GROUP BY 1 ORDER BY 1",
      );
      assert.deepEqual(
        usage.allUsers.map((u: { id: string; totalNodes: number }) => [u.id, u.totalNodes]),
        users.map((r) => [r.u, Number(r.n)]),
      );
      assert.equal(
        usage.allProjects.reduce((a: number, p: { totalJobs: number }) => a + p.totalJobs, 0),
        running.length,
      );
      const hist = ok(
        await site.query(Q.Q_USAGE_HIST, {
          filter: runningFilter,
          selectedHistograms: [],
          numDurationBins: "1m",
        }),
      );
      const h = hist.jobsStatistics[0];
      assert.equal(h.histDuration.length, 60);
      const inRange = running.filter((j) => NOW - j.startTime < 3600).length;
      assert.equal(
        h.histDuration.reduce((a: number, p: { count: number }) => a + p.count, 0),
        inRange,
      );
      assert.equal(
        h.histNumAccs.reduce((a: number, p: { count: number }) => a + p.count, 0),
        running.length,
      );
    });

    await t.step("Q-statistics: live metric histograms of running jobs", async () => {
      const data = ok(
        await site.query(Q.Q_STATISTICS, {
          jobFilters: runningFilter,
          selectedHistograms: ["flops_any"],
        }),
      );
      const [h] = data.jobsStatistics[0].histMetrics;
      // fritz's flops_any peak 5600 in 10 bins of 560.
      const counts = new Array(10).fill(0);
      for (const job of running) {
        counts[Math.floor(Math.trunc(liveValue(job, "flops_any")) / 560)]++;
      }
      assert.deepEqual(h.data.map((b: { count: number }) => b.count), counts);
      assert.equal(h.unit, "GF/s");
      assert.deepEqual(h.data[9], { min: 5040, max: 5600, count: counts[9], bin: 10 });
    });

    await t.step("Q-health: node metadata and health details", async () => {
      const data = ok(
        await site.query(Q.Q_HEALTH, {
          nodeFilter: { cluster: { eq: "fritz" } },
          sorting: SORT_DESC,
        }),
      );
      assert.equal(data.nodes.count, 3);
      assert.deepEqual(data.nodes.items[2], {
        hostname: "f0103",
        cluster: "fritz",
        subCluster: "main",
        healthState: "partial",
        healthData: { missing: ["mem_bw"] },
      });
      assert.deepEqual(data.nodes.items[0].healthData, {});
    });

    await t.step("M-removeTagList: deleting tags everywhere", async () => {
      const tag = Number(one(site, "SELECT id FROM tag WHERE tag_scope = 'global'").id);
      const denied = await site.query(Q.M_REMOVE_TAG_LIST, { tagIds: [tag] }, {
        username: "support",
      });
      assert.match(denied.body.errors![0].message, /not authorized to delete tag/);
      const data = ok(await site.query(Q.M_REMOVE_TAG_LIST, { tagIds: [tag] }));
      assert.deepEqual(data.removeTagFromList, [tag]);
      assert.equal(Number(one(site, "SELECT COUNT(*) n FROM jobtag WHERE tag_id = ?", tag).n), 0);
      const tagged = site.jobs.find((j) => j.id === site.withData[0])!;
      const meta = await site.archive.loadJobMeta(tagged);
      assert.ok(!meta.tags?.some((t) => t.name === "gromacs"), "archive updated");
    });
  } finally {
    await site.close();
  }
});
