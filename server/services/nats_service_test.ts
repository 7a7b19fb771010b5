import assert from "node:assert/strict";
import { applyDefaults } from "../config/apply_defaults.ts";
import { setLogSink } from "../log/logger.ts";
import { natsService } from "./nats_service.ts";
import type { ServiceContext } from "./service_context.ts";

function context(document: Record<string, unknown>): ServiceContext {
  return { config: applyDefaults(document) } as ServiceContext;
}

function captureLog(fn: () => void): string[] {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    fn();
  } finally {
    setLogSink(previous);
  }
  return lines;
}

Deno.test("natsService() stays off without a broker address or anything to subscribe to", async (t) => {
  await t.step("no nats section", () => {
    const lines = captureLog(() => assert.equal(natsService(context({ main: {} })), null));
    assert.deepEqual(lines, []);
  });
  await t.step("api-subjects without nats section: a warning", () => {
    const lines = captureLog(() =>
      assert.equal(
        natsService(context({
          main: { "api-subjects": { "subject-job-event": "a", "subject-node-state": "b" } },
        })),
        null,
      )
    );
    assert.match(lines.join("\n"), /api-subjects is set but the nats section has no address/);
  });
  await t.step("a broker but no subjects", () => {
    const ctx = context({ main: {}, nats: { address: "nats://127.0.0.1:1" } });
    assert.equal(natsService(ctx), null);
  });
});
