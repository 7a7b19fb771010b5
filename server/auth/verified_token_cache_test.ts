import assert from "node:assert/strict";
import { VerifiedTokenCache } from "./verified_token_cache.ts";

Deno.test("VerifiedTokenCache", async (t) => {
  await t.step("get() returns what set() stored while the token is valid", () => {
    const cache = new VerifiedTokenCache();
    cache.set("a", { sub: "alice", exp: 200 });
    assert.deepEqual(cache.get("a", 199), { sub: "alice", exp: 200 });
    assert.equal(cache.get("b", 199), undefined);
  });

  await t.step("an expired token is a miss and is dropped (exp as jose checks it)", () => {
    const cache = new VerifiedTokenCache();
    cache.set("a", { sub: "alice", exp: 200 });
    assert.equal(cache.get("a", 200), undefined);
    assert.equal(cache.size, 0);
  });

  await t.step("a token before its nbf is a miss", () => {
    const cache = new VerifiedTokenCache();
    cache.set("a", { sub: "alice", nbf: 100 });
    assert.equal(cache.get("a", 99), undefined);
  });

  await t.step("a token without exp stays until evicted", () => {
    const cache = new VerifiedTokenCache();
    cache.set("a", { sub: "alice" });
    assert.deepEqual(cache.get("a", 2 ** 40), { sub: "alice" });
  });

  await t.step("when full, the oldest entry goes", () => {
    const cache = new VerifiedTokenCache(2);
    cache.set("a", { sub: "a" });
    cache.set("b", { sub: "b" });
    cache.set("c", { sub: "c" });
    assert.equal(cache.size, 2);
    assert.equal(cache.get("a", 0), undefined);
    assert.deepEqual(cache.get("c", 0), { sub: "c" });
  });
});
