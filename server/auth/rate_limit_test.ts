import assert from "node:assert/strict";
import { LOGIN_REFILL_MS, LoginRateLimiter } from "./rate_limit.ts";

Deno.test("LoginRateLimiter allows 5 attempts, then one per 3 minutes", () => {
  let now = 0;
  const limiter = new LoginRateLimiter({ now: () => now });
  const key = LoginRateLimiter.key("10.0.0.1", "alice");
  for (let i = 0; i < 5; i++) assert.deepEqual(limiter.take(key), { allowed: true });
  assert.deepEqual(limiter.take(key), { allowed: false, retryAfterSeconds: 180 });
  assert.equal(limiter.take(LoginRateLimiter.key("10.0.0.1", "bob")).allowed, true);
  assert.equal(limiter.take(LoginRateLimiter.key("10.0.0.2", "alice")).allowed, true);
  now += LOGIN_REFILL_MS / 2;
  assert.deepEqual(limiter.take(key), { allowed: false, retryAfterSeconds: 90 });
  now += LOGIN_REFILL_MS / 2;
  assert.equal(limiter.take(key).allowed, true);
  assert.equal(limiter.take(key).allowed, false);
});

Deno.test("LoginRateLimiter stays bounded under a flood of names", () => {
  let now = 0;
  const limiter = new LoginRateLimiter({ now: () => now, maxEntries: 100 });
  const victim = LoginRateLimiter.key("1.2.3.4", "victim");
  for (let i = 0; i < 5; i++) limiter.take(victim);
  for (let i = 0; i < 1000; i++) {
    now += 1;
    limiter.take(LoginRateLimiter.key("1.2.3.4", `name-${i}`));
    limiter.take(victim);
    assert.ok(limiter.size <= 100);
  }
  // The exhausted key was used all along, so it is never the one evicted.
  assert.equal(limiter.take(victim).allowed, false);
});
