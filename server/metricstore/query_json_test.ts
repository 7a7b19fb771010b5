import { equal } from "node:assert/strict";
import { ByteWriter } from "./query_json.ts";

function fixed(v: number, decimals: number): string {
  const w = new ByteWriter(8);
  w.fixed(v, decimals);
  return new TextDecoder().decode(w.bytes());
}

Deno.test("ByteWriter.fixed() formats like toFixed (Go's 'f' format) over many magnitudes", () => {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 20000; i++) {
    const magnitude = 10 ** Math.floor(random() * 18 - 6);
    const v = (random() - 0.5) * magnitude;
    for (const decimals of [0, 2, 3]) equal(fixed(v, decimals), v.toFixed(decimals), `${v}`);
  }
});

Deno.test("ByteWriter.fixed() handles zero, signs, ties, NaN and huge values", () => {
  equal(fixed(0, 3), "0.000");
  equal(fixed(-0, 2), "-0.00");
  equal(fixed(-0.0004, 3), "-0.000");
  equal(fixed(0.5, 0), "1");
  equal(fixed(1.005, 2), "1.00"); // 1.00499999999999989...
  equal(fixed(2.675, 2), "2.67"); // 2.67499999999999982...
  equal(fixed(NaN, 3), "null");
  equal(fixed(Infinity, 3), "null");
  equal(fixed(123456789012.345, 3), "123456789012.345");
  equal(fixed(1e20, 2), "100000000000000000000.00");
  equal(fixed(-1e22, 1), "-10000000000000000000000.0");
  equal(fixed(9007199254740993, 0), "9007199254740992");
});
