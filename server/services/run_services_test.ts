import assert from "node:assert/strict";
import type { ServiceContext, ServiceFactory } from "./service_context.ts";
import { startServices } from "./run_services.ts";

const ctx = {} as ServiceContext;

Deno.test("startServices() starts in order, skips null and stops in reverse", async () => {
  const events: string[] = [];
  const factory = (name: string): ServiceFactory => () => {
    events.push(`start ${name}`);
    return { name, stop: () => Promise.resolve(void events.push(`stop ${name}`)) };
  };
  const set = await startServices(ctx, [factory("a"), () => null, factory("b")]);
  await set.stop();
  assert.deepEqual(events, ["start a", "start b", "stop b", "stop a"]);
});

Deno.test("startServices() stops what runs when a later start fails", async () => {
  const events: string[] = [];
  const ok: ServiceFactory = () => ({
    name: "ok",
    stop: () => Promise.resolve(void events.push("stop ok")),
  });
  const failing: ServiceFactory = () => {
    throw new Error("nats unreachable");
  };
  await assert.rejects(startServices(ctx, [ok, failing]), /nats unreachable/);
  assert.deepEqual(events, ["stop ok"]);
});
