import assert from "node:assert/strict";
import { deriveSeed, hashSeed, Rng } from "./rng.ts";

function take(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.uint32());
}

Deno.test("Rng gives the same stream for the same seed and another for another seed", () => {
  assert.deepEqual(take(new Rng(42), 100), take(new Rng(42), 100));
  assert.deepEqual(take(new Rng("demo"), 100), take(new Rng("demo"), 100));
  assert.notDeepEqual(take(new Rng(42), 100), take(new Rng(43), 100));
  assert.notDeepEqual(take(new Rng(0), 10), take(new Rng(2 ** 32), 10));
});

Deno.test("hashSeed() and deriveSeed() give unsigned 32-bit seeds that differ by label", () => {
  for (const seed of [0, -1, 2 ** 40 + 3, "x", ""]) {
    const h = hashSeed(seed);
    assert.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 32, `hashSeed(${seed}) = ${h}`);
  }
  const seeds = new Set(Array.from({ length: 1000 }, (_, i) => deriveSeed(7, i)));
  assert.equal(seeds.size, 1000);
  assert.equal(deriveSeed(7, "users"), deriveSeed(7, "users"));
});

Deno.test("Rng helpers stay in range and follow their distributions", async (t) => {
  const rng = new Rng(1);
  await t.step("next() and float() are in [min, max)", () => {
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      assert.ok(x >= 0 && x < 1);
      const f = rng.float(-2, 3);
      assert.ok(f >= -2 && f < 3);
    }
  });
  await t.step("int() includes both bounds", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) seen.add(rng.int(3, 7));
    assert.deepEqual([...seen].sort(), [3, 4, 5, 6, 7]);
  });
  await t.step("normal() has the requested mean and deviation", () => {
    const xs = Array.from({ length: 20_000 }, () => rng.normal(10, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    assert.ok(Math.abs(mean - 10) < 0.1, `mean ${mean}`);
    assert.ok(Math.abs(sd - 2) < 0.1, `sd ${sd}`);
  });
  await t.step("logUniform() stays within its bounds", () => {
    for (let i = 0; i < 1_000; i++) {
      const x = rng.logUniform(120, 86400);
      assert.ok(x >= 120 && x <= 86400);
    }
  });
  await t.step("weighted() follows the weights and skips zero weights", () => {
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 10_000; i++) {
      counts[rng.weighted([["a", 1], ["b", 3], ["c", 0]] as const)]++;
    }
    assert.equal(counts.c, 0);
    assert.ok(Math.abs(counts.b / counts.a - 3) < 0.4, JSON.stringify(counts));
    assert.throws(() => rng.weighted([["a", 0]]), RangeError);
  });
  await t.step("pick() and shuffle() keep the elements", () => {
    const items = [1, 2, 3, 4, 5];
    assert.ok(items.includes(rng.pick(items)));
    assert.deepEqual(rng.shuffle([...items]).sort(), items);
    assert.throws(() => rng.pick([]), RangeError);
  });
});
