import assert from "node:assert/strict";
import { BatchLoader } from "./batch_loader.ts";

Deno.test("BatchLoader answers the keys of one tick with one batch call", async () => {
  const calls: number[][] = [];
  const loader = new BatchLoader<number, string>((keys) => {
    calls.push([...keys]);
    return new Map(keys.filter((k) => k !== 3).map((k) => [k, `v${k}`]));
  }, { fallback: "none" });
  const values = await Promise.all([1, 2, 3, 2].map((k) => loader.load(k)));
  assert.deepEqual(values, ["v1", "v2", "none", "v2"]);
  assert.deepEqual(calls, [[1, 2, 3]]);
  assert.equal(await loader.load(1), "v1");
  assert.equal(calls.length, 1, "cached");
  loader.clear();
  await loader.load(1);
  assert.deepEqual(calls[1], [1]);
});

Deno.test("BatchLoader rejects every waiting key when the batch fails, and retries later", async () => {
  let fail = true;
  const loader = new BatchLoader<number, number>((keys) => {
    if (fail) throw new Error("db down");
    return new Map(keys.map((k) => [k, k * 2]));
  }, { fallback: 0 });
  await assert.rejects(Promise.all([loader.load(1), loader.load(2)]), /db down/);
  fail = false;
  assert.equal(await loader.load(2), 4);
});
