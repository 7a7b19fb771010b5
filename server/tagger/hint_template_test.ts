import assert from "node:assert/strict";
import { compileHint, formatValue, NO_VALUE, round2 } from "./hint_template.ts";

const env = {
  job: { numNodes: 2, shared: "none" },
  cpu_load: { avg: 61.199999999999996, limits: { peak: 72 } },
  pct: 97.65625,
  factor: 0.85,
};

Deno.test("compileHint() fills placeholders, rounding numbers to two decimals", async (t) => {
  await t.step("fields and nested fields", () => {
    const hint = compileHint("load {{.cpu_load.avg}} of {{.cpu_load.limits.peak}} ({{.pct}}%)");
    assert.equal(hint.render(env), "load 61.2 of 72 (97.66%)");
    assert.deepEqual(hint.paths, [["cpu_load", "avg"], ["cpu_load", "limits", "peak"], ["pct"]]);
  });
  await t.step("spaces inside the braces and Go's trim markers", () => {
    assert.equal(compileHint("a {{ .factor }} b").render(env), "a 0.85 b");
    assert.equal(compileHint("a   {{- .factor -}}   b").render(env), "a0.85b");
    assert.equal(compileHint("{{.job.shared}}/{{.job.numNodes}}").render(env), "none/2");
  });
  await t.step("text without placeholders stays as it is, Unicode included", () => {
    assert.equal(compileHint("0.85 × 72 }} {").render(env), "0.85 × 72 }} {");
    assert.equal(compileHint("").render(env), "");
  });
  await t.step("a missing field prints like Go's templates over maps", () => {
    assert.equal(
      compileHint("{{.nope}} {{.job.nope}} {{.pct.x}}").render(env),
      [
        NO_VALUE,
        NO_VALUE,
        NO_VALUE,
      ].join(" "),
    );
  });
  await t.step("prototype fields are missing fields", () => {
    assert.equal(
      compileHint("{{.constructor}}{{.job.__proto__}}").render(env),
      NO_VALUE + NO_VALUE,
    );
  });
});

Deno.test("compileHint() refuses template actions other than field placeholders", () => {
  assert.throws(
    () => compileHint("{{if .x}}y{{end}}"),
    /unsupported template action "\{\{if \.x\}\}" .* at column 1/,
  );
  assert.throws(() => compileHint("a {{.}}"), /unsupported template action/);
  assert.throws(() => compileHint('a {{printf "%d" .x}}'), /unsupported template action/);
  assert.throws(() => compileHint("x {{.a.b"), /unclosed action at column 3/);
  assert.throws(() => compileHint("{{.a}} {{ .b"), /unclosed action at column 8/);
});

Deno.test("formatValue() prints numbers like Go after rounding", async (t) => {
  const cases: [unknown, string][] = [
    [100, "100"],
    [87.5, "87.5"],
    [1 / 3, "0.33"],
    [2.345, "2.35"],
    [-2.345, "-2.35"],
    [0.004, "0"],
    [-0.004, "0"],
    [1234567.891, "1234567.89"],
    [NaN, "NaN"],
    [Infinity, "+Inf"],
    [-Infinity, "-Inf"],
    ["text", "text"],
    [true, "true"],
    [null, "<nil>"],
    [undefined, NO_VALUE],
    [{ max: 2.555, min: 0 }, "map[max:2.56 min:0]"],
  ];
  for (const [value, expected] of cases) {
    await t.step(
      `${String(value)} → ${expected}`,
      () => assert.equal(formatValue(value), expected),
    );
  }
  // 1.005 * 100 is 100.49999999999999 in binary, in Go as here.
  assert.equal(round2(1.005), 1);
});
