import assert from "node:assert/strict";
import { JobRepository } from "../../server/db/mod.ts";
import { withSite } from "../../server/importer/test_helpers.ts";
import { setLogSink } from "../../server/log/logger.ts";
import { type NatsApi, startNatsApi } from "../../server/nats/mod.ts";
import type { NatsConfig } from "../../server/config/mod.ts";
import { type NatsAuth, NatsServer, NEEDS_NATS } from "./nats_server.ts";
import {
  JOB_SUBJECT,
  jobCount,
  jobEvent,
  NODE_SUBJECT,
  startPayload,
  waitFor,
  withNatsSite,
} from "./nats_site.ts";

Deno.test({
  name: "NATS client reconnects after a nats-server restart and handles later messages",
  ...NEEDS_NATS,
  fn: () =>
    withNatsSite(async ({ server, db, api, publish, log }) => {
      await publish(JOB_SUBJECT, jobEvent("start_job", startPayload(7001, 1234567890)));
      await waitFor("job 7001", () => jobCount(db, 7001) === 1);
      await server.kill();
      await waitFor("the disconnect", () => api.stats().connection === "reconnecting");
      await server.restart();
      await waitFor(() => `the reconnect (${JSON.stringify(api.stats())})`, () => {
        const stats = api.stats();
        return stats.connection === "connected" && stats.reconnects >= 1;
      });
      await publish(JOB_SUBJECT, jobEvent("start_job", startPayload(7002, 1234567890)));
      await publish(
        JOB_SUBJECT,
        jobEvent("stop_job", { jobId: 7001, cluster: "fritz", stopTime: 1234567990 }),
      );
      const jobs = new JobRepository(db);
      await waitFor("job 7002 and the stop of 7001", () =>
        jobCount(db, 7002) === 1 && jobs.find(7001)?.jobState === "completed");
      assert.ok(log.some((l) =>
        /NATS: disconnected from .*; reconnecting/.test(l)
      ));
    }),
});

Deno.test({
  name: "NATS with user and password",
  ...NEEDS_NATS,
  fn: () =>
    withNatsSite(async ({ db, publish, nats }) => {
      assert.equal(nats.username, "cc");
      await publish(JOB_SUBJECT, jobEvent("start_job", startPayload(8001, 1234567890)));
      await waitFor("job 8001", () => jobCount(db, 8001) === 1);
    }, { auth: { kind: "password", user: "cc", password: 's3cr"et' } }),
});

Deno.test({
  name: "NATS with a credentials file (creds-file-path)",
  ...NEEDS_NATS,
  fn: () =>
    withNatsSite(async ({ db, publish, nats }) => {
      assert.ok(nats.credsFilePath?.endsWith("user.creds"));
      await publish(JOB_SUBJECT, jobEvent("start_job", startPayload(8002, 1234567890)));
      await waitFor("job 8002", () => jobCount(db, 8002) === 1);
    }, { auth: { kind: "creds" } }),
});

/** Starts the API against `server` with `nats`, collecting the log. */
async function withApi(
  nats: NatsConfig,
  fn: (api: NatsApi, log: string[]) => Promise<void>,
): Promise<void> {
  const log: string[] = [];
  const previous = setLogSink((line) => log.push(line));
  try {
    await withSite(async ({ db, archive }) => {
      const api = startNatsApi({
        nats,
        apiSubjects: {
          subjectJobEvent: JOB_SUBJECT,
          subjectNodeState: NODE_SUBJECT,
          jobConcurrency: 1,
          nodeConcurrency: 1,
        },
        db,
        archive,
        client: { reconnectWaitMs: 50 },
      });
      try {
        await fn(api, log);
      } finally {
        await api.stop();
      }
    }, { archive: "fixture" });
  } finally {
    setLogSink(previous);
  }
}

async function withServer(auth: NatsAuth, fn: (server: NatsServer) => Promise<void>) {
  const server = await NatsServer.start(auth);
  try {
    await fn(server);
  } finally {
    await server.stop();
  }
}

Deno.test({
  name: "NATS connection failures only warn; the client keeps trying in the background",
  ...NEEDS_NATS,
  fn: async (t) => {
    await t.step(
      "wrong password",
      () =>
        withServer({ kind: "password", user: "cc", password: "right" }, (server) =>
          withApi(
            { address: server.url, username: "cc", password: "wrong" },
            async (api, log) => {
              await waitFor("the warning", () => log.some((l) => l.includes("cannot connect")));
              assert.ok(
                log.some((l) =>
                  l.includes(`[WARNING]  NATS: cannot connect to ${server.url}: `) &&
                  /authorization violation/i.test(l) && l.includes("in the background")
                ),
                log.join("\n"),
              );
              assert.equal(api.stats().connection, "connecting");
            },
          )),
    );
    await t.step(
      "missing credentials file",
      () =>
        withServer({ kind: "creds" }, (server) =>
          withApi(
            { address: server.url, credsFilePath: `${server.dir}/nope.creds` },
            async (_, log) => {
              await waitFor("the warning", () => log.some((l) => l.includes("cannot connect")));
              assert.ok(
                log.some((l) => l.includes("nope.creds")),
                log.join("\n"),
              );
            },
          )),
    );
    await t.step(
      "no server yet: connects once it is up",
      () =>
        withServer({ kind: "none" }, async (server) => {
          await server.kill();
          await withApi({ address: server.url }, async (api, log) => {
            await waitFor("the warning", () => log.some((l) => l.includes("cannot connect")));
            assert.equal(api.stats().connection, "connecting");
            await server.restart();
            await api.connected();
            assert.equal(api.stats().connection, "connected");
            assert.equal(api.stats().reconnects, 0);
          });
        }),
    );
  },
});
