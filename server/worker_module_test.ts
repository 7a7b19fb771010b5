import assert from "node:assert/strict";
import { canLoadWorkerModule } from "./worker_module.ts";

Deno.test("canLoadWorkerModule() follows read permission for files only", async () => {
  assert.equal(canLoadWorkerModule(new URL("data:text/javascript,1")), true);
  const readable = new URL("./worker_module.ts", import.meta.url);
  const granted = (await Deno.permissions.query({ name: "read", path: readable })).state;
  assert.equal(canLoadWorkerModule(readable), granted === "granted");
});
