import assert from "node:assert/strict";
import { join } from "node:path";
import {
  copyDir,
  editConfig,
  FIXTURES,
  startCli,
  withDb,
  withInitSite,
} from "../cli/cli_helpers.ts";
import { connectNats } from "../../server/nats/mod.ts";
import { NatsServer, NEEDS_NATS } from "./nats_server.ts";
import { jobEvent, nodeStateEvent, startPayload, waitFor } from "./nats_site.ts";

/** Reads `stream` until `pattern` matches; the rest keeps being collected. */
async function readUntil(
  stream: ReadableStream<Uint8Array>,
  pattern: RegExp,
  timeoutMs: number,
): Promise<{ match: RegExpExecArray | null; text: () => string; done: Promise<void> }> {
  let seen = "";
  const decoder = new TextDecoder();
  const done = (async () => {
    for await (const chunk of stream) seen += decoder.decode(chunk, { stream: true });
  })();
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(seen) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return { match: pattern.exec(seen), text: () => seen, done };
}

Deno.test({
  name: "cc-backend -server with NATS: job and node events over a real broker, REST start_job off",
  ...NEEDS_NATS,
  fn: async () => {
    const broker = await NatsServer.start({ kind: "password", user: "cc", password: "pw" });
    try {
      await withInitSite(async (site) => {
        const archive = join(site, "var/job-archive");
        await Deno.remove(archive, { recursive: true });
        await copyDir(join(FIXTURES, "archive"), archive);
        await editConfig(site, (config) => {
          config.main.addr = "127.0.0.1:0";
          config.main["api-subjects"] = {
            "subject-job-event": "cc.job.event",
            "subject-node-state": "cc.node.state",
          };
          config.nats = { address: broker.url, username: "cc", password: "pw" };
          config["metric-store"]["nats-subscriptions"] = [
            { "subscribe-to": "hpc-nats", "cluster-tag": "fritz" },
          ];
        });
        const child = startCli(site, ["-server", "-loglevel", "info"]);
        const stdout = await readUntil(child.stdout, /listening at (http:\S+)/, 15_000);
        const stderr = await readUntil(child.stderr, /nats: started/, 15_000);
        let stopped = false;
        const publisher = await connectNats({ servers: broker.url, user: "cc", pass: "pw" });
        try {
          assert.ok(stdout.match, `no 'listening at' line:\n${stderr.text()}`);
          assert.ok(stderr.match, `no 'nats: started' line:\n${stderr.text()}`);
          const base = stdout.match![1];
          // With api-subjects, REST start_job is gone (cc-backend answers 404 too).
          const rest = await fetch(new URL("/api/jobs/start_job/", base), { method: "POST" });
          assert.equal(rest.status, 404);
          await rest.body?.cancel();

          await waitFor("the NATS subscriptions", () => /NATS: connected to/.test(stderr.text()));
          publisher.publish("cc.job.event", jobEvent("start_job", startPayload(9001, 1234567890)));
          publisher.publish(
            "cc.node.state",
            nodeStateEvent({ cluster: "fritz", nodes: [{ hostname: "f0101", states: ["idle"] }] }),
          );
          await publisher.flush();
          const job = await waitFor(
            "job 9001 in the database",
            () =>
              withDb(
                site,
                "var/job.db",
                (db) => db.prepare("SELECT job_state FROM job WHERE job_id = 9001").get(),
              ),
            10_000,
          );
          assert.equal(job.job_state, "running");
          await waitFor("the node state", () =>
            withDb(site, "var/job.db", (db) =>
              db.prepare(
                "SELECT s.node_state FROM node_state s JOIN node n ON n.id = s.node_id " +
                  "WHERE n.hostname = 'f0101'",
              ).get()), 10_000);

          child.kill("SIGTERM");
          const status = await child.status;
          stopped = true;
          await stderr.done;
          assert.equal(status.code, 0, stderr.text());
          assert.match(stderr.text(), /nats: stopped/);
          assert.match(
            stderr.text(),
            /NATS job-events on "cc\.job\.event": 1 message\(s\), 1 accepted/,
          );
        } finally {
          await publisher.close();
          if (!stopped) {
            child.kill("SIGKILL");
            await child.status;
          }
          await stdout.done;
          await stderr.done;
        }
      });
    } finally {
      await broker.stop();
    }
  },
});
