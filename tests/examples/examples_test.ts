/**
 * End-to-end tests of `examples/`: the Slurm prolog/epilog pair and
 * `list_user_jobs.ts` against the real server (`main.ts -server`) in a site
 * made with `-init`, `-add-user` and `-jwt`, with the fixture clusters in the
 * archive and a stub `scontrol` first on PATH.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  copyDir,
  DENO_JSON,
  describe,
  editConfig,
  FIXTURES,
  REPO,
  runCli,
  startCli,
  withDb,
  withInitSite,
} from "../cli/cli_helpers.ts";

const SLURM = join(REPO, "examples", "slurm");
const LIST_JOBS = join(REPO, "examples", "list_user_jobs.ts");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function hasProgram(name: string): boolean {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(join(dir, name)).isFile) return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

const MISSING = ["bash", "sh", "curl"].filter((p) => !hasProgram(p));
if (MISSING.length > 0) {
  const message = `tests/examples need ${MISSING.join(", ")}: apt-get install bash dash curl`;
  if (Deno.env.get("CI")) throw new Error(message);
  console.warn(`skipping: ${message}`);
}

/** The token `-jwt` prints. */
async function tokenFor(site: string, user: string): Promise<string> {
  const result = await runCli(site, ["-jwt", user]);
  const match = /^JWT for '.*': ([\w-]+\.[\w-]+\.[\w-]+)$/m.exec(result.stdout);
  if (result.code !== 0 || !match) throw new Error(`-jwt ${user} failed: ${describe(result)}`);
  return match[1];
}

/** Reads `stream` until `pattern` matches; the rest keeps draining in the background. */
async function waitFor(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
  pattern: RegExp,
  ms: number,
): Promise<{ match: RegExpExecArray | null; rest: Promise<string> }> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  let match: RegExpExecArray | null = null;
  const deadline = Date.now() + ms;
  while (!(match = pattern.exec(seen)) && Date.now() < deadline) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((r) =>
      timer = setTimeout(() => r(null), deadline - Date.now())
    );
    const next = await Promise.race([reader.read(), timeout]);
    clearTimeout(timer);
    if (next === null || next.done) break;
    seen += next.value;
  }
  const rest = (async () => {
    let all = seen;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return all;
      all += value;
    }
  })();
  return { match, rest };
}

async function run(program: string, args: string[], env: Record<string, string>): Promise<Run> {
  const output = await new Deno.Command(program, {
    args,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}

interface JobRow {
  table: string;
  job_id: number;
  hpc_user: string;
  project: string;
  cluster: string;
  subcluster: string;
  cluster_partition: string;
  num_nodes: number;
  num_hwthreads: number;
  walltime: number;
  array_job_id: number;
  job_state: string;
  start_time: number;
  duration: number;
  resources: string;
  meta_data: string | null;
}

function jobRows(site: string, jobId: number): JobRow[] {
  return withDb(site, "var/job.db", (db) => {
    const columns = "job_id, hpc_user, project, cluster, subcluster, cluster_partition, " +
      "num_nodes, num_hwthreads, walltime, array_job_id, job_state, start_time, duration, " +
      "resources, meta_data";
    return db.prepare(
      `SELECT 'job_cache' AS "table", ${columns} FROM job_cache WHERE job_id = ? ` +
        `UNION ALL SELECT 'job', ${columns} FROM job WHERE job_id = ?`,
    ).all(jobId, jobId) as unknown as JobRow[];
  });
}

Deno.test({
  name: "examples: Slurm prolog/epilog start and stop jobs, list_user_jobs.ts lists them",
  ignore: MISSING.length > 0,
  async fn(t) {
    await withInitSite(async (site) => {
      const archive = join(site, "var/job-archive");
      await Deno.remove(archive, { recursive: true });
      await copyDir(join(FIXTURES, "archive"), archive);
      await editConfig(site, (config) => config.main.addr = "127.0.0.1:0");
      for (const spec of ["slurm:api:x", "alice:api,user:x"]) {
        const added = await runCli(site, ["-add-user", spec]);
        assert.equal(added.code, 0, describe(added));
      }
      const apiToken = await tokenFor(site, "slurm");
      const aliceToken = await tokenFor(site, "alice");

      // A stub scontrol that knows one node list.
      const bin = join(site, "stub-bin");
      await Deno.mkdir(bin);
      await Deno.writeTextFile(
        join(bin, "scontrol"),
        '#!/bin/sh\n[ "$1 $2" = "show hostnames" ] || exit 2\n' +
          'case $3 in "f[0101-0102]") printf "f0101\\nf0102\\n" ;; *) exit 1 ;; esac\n',
      );
      await Deno.chmod(join(bin, "scontrol"), 0o755);

      const server = startCli(site, ["-server"]);
      const errors = new Response(server.stderr).text();
      const { match, rest } = await waitFor(
        server.stdout,
        /listening at (http:\/\/\S+?)\/?\n/,
        20_000,
      );
      try {
        // (The message is built only on failure: stderr ends when the server does.)
        if (!match) {
          server.kill("SIGTERM");
          assert.fail(`the server did not start: ${await errors}`);
        }
        const url = match[1];
        const path = `${bin}:${Deno.env.get("PATH")}`;
        const plainPath = Deno.env.get("PATH") ?? "/usr/bin:/bin";
        const base = { CC_URL: url, CC_JWT: apiToken, SLURM_CLUSTER_NAME: "fritz" };
        const job4242 = {
          ...base,
          PATH: path,
          SLURM_JOB_ID: "4242",
          SLURM_JOB_USER: "alice",
          SLURM_JOB_ACCOUNT: "proj1",
          SLURM_JOB_PARTITION: "singlenode",
          SLURM_JOB_NODELIST: "f[0101-0102]",
          SLURM_JOB_NUM_NODES: "2",
          SLURM_JOB_CPUS_PER_NODE: "72(x2)",
          SLURM_JOB_NAME: 'my "job" <1>',
          SLURM_ARRAY_JOB_ID: "4200",
          SLURM_JOB_START_TIME: "1700000000",
          SLURM_JOB_END_TIME: "1700003600",
        };

        await t.step("prolog.sh (bash) starts a job from the Slurm variables", async () => {
          const result = await run("bash", [join(SLURM, "prolog.sh")], job4242);
          assert.equal(result.code, 0, result.stderr);
          assert.match(result.stderr, /started job 4242 on fritz \(2 nodes\)/);
          const [row] = jobRows(site, 4242);
          assert.ok(row, "job 4242 is not in the database");
          assert.equal(row.hpc_user, "alice");
          assert.equal(row.project, "proj1");
          assert.equal(row.cluster, "fritz");
          assert.equal(row.subcluster, "main");
          assert.equal(row.cluster_partition, "singlenode");
          assert.equal(row.num_nodes, 2);
          assert.equal(row.num_hwthreads, 144);
          assert.equal(row.walltime, 3600);
          assert.equal(row.array_job_id, 4200);
          assert.equal(row.job_state, "running");
          assert.equal(row.start_time, 1700000000);
          assert.deepEqual(JSON.parse(row.resources).map((r: { hostname: string }) => r.hostname), [
            "f0101",
            "f0102",
          ]);
          assert.deepEqual(JSON.parse(row.meta_data ?? "{}"), { jobName: 'my "job" <1>' });
        });

        await t.step("prolog.sh (POSIX sh) splits a plain node list without scontrol", async () => {
          const result = await run("sh", [join(SLURM, "prolog.sh")], {
            ...base,
            PATH: plainPath,
            SLURM_JOB_ID: "4243",
            SLURM_JOB_USER: "alice",
            SLURM_JOB_ACCOUNT: "proj2",
            SLURM_JOB_NODELIST: "f0103,f0104,f0105",
            SLURM_JOB_START_TIME: "1700000100",
          });
          assert.equal(result.code, 0, result.stderr);
          const [row] = jobRows(site, 4243);
          assert.equal(row?.num_nodes, 3);
        });

        await t.step("epilog.sh stops the jobs with the right state and duration", async () => {
          const done = await run("bash", [join(SLURM, "epilog.sh")], {
            ...base,
            PATH: path,
            SLURM_JOB_ID: "4242",
            SLURM_JOB_START_TIME: "1700000000",
            SLURM_JOB_END_TIME: "1700003000",
            SLURM_JOB_EXIT_CODE2: "0:0",
          });
          assert.equal(done.code, 0, done.stderr);
          assert.match(done.stderr, /stopped job 4242 on fritz \(completed\)/);
          const rows = jobRows(site, 4242);
          assert.deepEqual(rows.map((r) => [r.table, r.job_state, r.duration]), [
            ["job", "completed", 3000],
          ]);
          const failed = await run("sh", [join(SLURM, "epilog.sh")], {
            ...base,
            PATH: plainPath,
            SLURM_JOB_ID: "4243",
            SLURM_JOB_END_TIME: "1700000200",
            SLURM_JOB_EXIT_CODE2: "1:0",
          });
          assert.equal(failed.code, 0, failed.stderr);
          assert.equal(jobRows(site, 4243)[0]?.job_state, "failed");
        });

        await t.step("errors are reported; CC_STRICT=1 makes them fail the script", async () => {
          const again = {
            ...base,
            PATH: path,
            SLURM_JOB_ID: "4242",
            SLURM_JOB_END_TIME: "1700003000",
          };
          const lenient = await run("bash", [join(SLURM, "epilog.sh")], again);
          assert.equal(lenient.code, 0);
          assert.match(lenient.stderr, /answered 422: .*already been stopped/);
          const strict = await run("bash", [join(SLURM, "epilog.sh")], {
            ...again,
            CC_STRICT: "1",
          });
          assert.equal(strict.code, 1, strict.stderr);
          const noToken = await run("bash", [join(SLURM, "prolog.sh")], {
            ...job4242,
            CC_JWT: "",
            CC_STRICT: "1",
          });
          assert.equal(noToken.code, 1);
          assert.match(noToken.stderr, /CC_JWT is not set/);
          const badCluster = await run("bash", [join(SLURM, "prolog.sh")], {
            ...job4242,
            SLURM_JOB_ID: "4244",
            SLURM_CLUSTER_NAME: "nosuch",
            CC_STRICT: "1",
          });
          assert.equal(badCluster.code, 1);
          assert.match(badCluster.stderr, /answered 400: .*nosuch/);
          const unexpandable = await run("bash", [join(SLURM, "prolog.sh")], {
            ...job4242,
            PATH: plainPath,
            CC_STRICT: "1",
          });
          assert.equal(unexpandable.code, 1);
          assert.match(unexpandable.stderr, /cannot expand 'f\[0101-0102\]' without scontrol/);
          assert.deepEqual(jobRows(site, 4244), []);
        });

        const listEnv = (token: string) => ({
          CC_URL: url,
          CC_JWT: token,
          PATH: plainPath,
          HOME: Deno.env.get("HOME") ?? "/root",
          NO_COLOR: "1",
          ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
        });
        const listJobs = (args: string[], token: string) =>
          run(Deno.execPath(), [
            "run",
            "--no-prompt",
            "--config",
            DENO_JSON,
            "--allow-net=127.0.0.1",
            "--allow-env",
            LIST_JOBS,
            ...args,
          ], listEnv(token));

        await t.step("list_user_jobs.ts --user pages through /api/jobs/", async () => {
          const table = await listJobs(["--user", "alice", "--cluster", "fritz"], apiToken);
          assert.equal(table.code, 0, table.stderr);
          assert.match(table.stdout, /^\s+jobId\s+dbId\s+cluster/);
          assert.match(
            table.stdout,
            /\s4243\s.*alice\s+failed\s+2023-11-14T22:15:00Z\s+0:01:40\s+3\n/,
          );
          assert.match(table.stdout, /\s4242\s.*alice\s+completed\s.*0:50:00\s+2\n/);
          assert.match(table.stdout, /2 job\(s\)\n$/);
          const paged = await listJobs(["--user", "alice", "--page-size", "1", "--json"], apiToken);
          assert.equal(paged.code, 0, paged.stderr);
          const jobs = paged.stdout.trim().split("\n").map((line) => JSON.parse(line));
          assert.deepEqual(jobs.map((j) => j.jobId), [4243, 4242]);
          const nobody = await listJobs(["--user", "nobody"], apiToken);
          assert.match(nobody.stdout, /0 job\(s\)\n$/);
        });

        await t.step("list_user_jobs.ts without --user reads /userapi/jobs/", async () => {
          const own = await listJobs(["--json", "--state", "completed"], aliceToken);
          assert.equal(own.code, 0, own.stderr);
          const jobs = own.stdout.trim().split("\n").map((line) => JSON.parse(line));
          assert.deepEqual(jobs.map((j) => [j.jobId, j.user, j.jobState]), [
            [4242, "alice", "completed"],
          ]);
          const refused = await listJobs([], "x.y.z");
          assert.equal(refused.code, 1);
          assert.match(refused.stderr, /GET \/userapi\/jobs\/ page 1 failed \(401\)/);
        });
      } finally {
        server.kill("SIGTERM");
        await server.status;
        await rest;
        await errors;
      }
    });
  },
});
