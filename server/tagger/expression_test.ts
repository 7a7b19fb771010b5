import assert from "node:assert/strict";
import { ExprError } from "./expr_error.ts";
import { compileExpression } from "./expression.ts";
import type { ExprObject } from "./expr_eval.ts";
import { MAX_NESTING } from "./expr_parser.ts";

const env: ExprObject = {
  job: { shared: "none", duration: 3600, numNodes: 2, numCores: 144, jobState: "completed" },
  cpu_load: { min: 10, max: 80, avg: 60, limits: { peak: 72, normal: 72, caution: 36, alert: 20 } },
  factor: 0.85,
  nothing: null,
  name: "fritz",
};

function run(source: string): unknown {
  return compileExpression(source).evaluate(env);
}

function fails(source: string, reason: RegExp, column?: number): void {
  assert.throws(
    () => run(source),
    (error: unknown) => {
      assert.ok(error instanceof ExprError, `${source}: not an ExprError: ${error}`);
      assert.match(error.reason, reason, source);
      if (column !== undefined) assert.equal(error.position + 1, column, `${source}: column`);
      assert.match(error.message, /at column \d+ of "/);
      return true;
    },
  );
}

Deno.test("compileExpression() evaluates literals, names and member access", async (t) => {
  await t.step("numbers, strings, booleans, nil", () => {
    assert.equal(run("42"), 42);
    assert.equal(run("100.0"), 100);
    assert.equal(run(".5"), 0.5);
    assert.equal(run("1e3"), 1000);
    assert.equal(run("1_000"), 1000);
    assert.equal(run('"a\\"b"'), 'a"b');
    assert.equal(run("'it\\'s'"), "it's");
    assert.equal(run("true"), true);
    assert.equal(run("nil"), null);
  });
  await t.step("names and nested fields", () => {
    assert.equal(run("job.numNodes"), 2);
    assert.equal(run("cpu_load.limits.peak"), 72);
    assert.equal(run('cpu_load["avg"]'), 60);
    assert.equal(run('job.shared == "none"'), true);
  });
  await t.step("the shipped rules' expressions", () => {
    assert.equal(run("cpu_load.avg < cpu_load.limits.peak * factor"), true);
    assert.equal(run("job.duration > 600.0"), true);
    assert.equal(run("cpu_load.max / cpu_load.limits.peak * 100.0"), 80 / 72 * 100);
  });
});

Deno.test("compileExpression() follows expr-lang precedence", async (t) => {
  const cases: [string, unknown][] = [
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["10 - 4 - 3", 3],
    ["2 * 3 % 4", 2],
    ["7 / 2", 3.5],
    ["2 ** 3 ** 2", 512],
    ["2 ^ 3", 8],
    ["-2 ** 2", -4],
    ["2 ** -1", 0.5],
    ["-job.numNodes + 5", 3],
    ["1 < 2 == true", true],
    ["true || false && false", true],
    ["(true || false) && false", false],
    ["!true || true", true],
    ["not (1 > 2) and 3 >= 3", true],
    ["false or 1 != 1", false],
    ["nothing ?? 5", 5],
    ["factor ?? 5", 0.85],
    ['job.numNodes > 1 ? "multi" : "single"', "multi"],
    ["false ? 1 : true ? 2 : 3", 2],
    ['"ab" + "cd" == "abcd"', true],
    ['"a" < "b"', true],
    ["1 == 1.0", true],
    ['1 == "1"', false],
  ];
  for (const [source, expected] of cases) {
    await t.step(source, () => assert.equal(run(source), expected));
  }
});

Deno.test("compileExpression() short-circuits && and ||", () => {
  assert.equal(run("false && missing.field"), false);
  assert.equal(run("true || 1 / nope"), true);
  assert.equal(run("job.numNodes > 1 ? 1 : unknown_name"), 1);
});

Deno.test("compileExpression() reports syntax errors with their column", async (t) => {
  const cases: [string, RegExp, number][] = [
    ["", /empty expression/, 1],
    ["1 +", /expected an operand, found end of expression/, 4],
    ["(1 + 2", /expected "\)" closing the "\(" at column 1, found end/, 7],
    ["1 2", /unexpected "2"/, 3],
    ["job.", /expected a field name after "."/, 5],
    ["a ? b", /expected ":" of the conditional/, 6],
    ["1 @ 2", /unexpected character "@"/, 3],
    ['"open', /unterminated string/, 1],
    ['"\\q"', /invalid escape sequence/, 2],
    ["1e", /invalid number "1e"/, 1],
    ["12abc", /invalid number/, 1],
    ["and", /expected an operand, found "and"/, 1],
    ["job.numNodes = 2", /unexpected character "="/, 14],
    ["max(1, 2)", /function calls are not supported/, 4],
    ["job.duration()", /function calls are not supported/, 13],
  ];
  for (const [source, reason, column] of cases) {
    await t.step(JSON.stringify(source), () => {
      assert.throws(
        () => compileExpression(source),
        (error: unknown) => {
          assert.ok(error instanceof ExprError);
          assert.match(error.reason, reason);
          assert.equal(error.position + 1, column);
          return true;
        },
      );
    });
  }
});

Deno.test("compileExpression() refuses expressions nested too deeply", () => {
  const deep = "(".repeat(MAX_NESTING + 1) + "1" + ")".repeat(MAX_NESTING + 1);
  assert.throws(() => compileExpression(deep), /nests deeper than/);
  const ok = "(".repeat(MAX_NESTING - 1) + "1" + ")".repeat(MAX_NESTING - 1);
  assert.equal(compileExpression(ok).evaluate({}), 1);
  assert.throws(() => compileExpression("!".repeat(MAX_NESTING + 1) + "true"), /nests deeper/);
});

Deno.test("compileExpression() reports type and lookup errors with their column", async (t) => {
  const cases: [string, RegExp, number][] = [
    ["unknown_name > 1", /unknown name "unknown_name"/, 1],
    ["job.nodes", /job has no field "nodes"/, 5],
    ["job.numNodes.x", /cannot read field "x" of job.numNodes \(number\)/, 14],
    ["nothing.x", /cannot read field "x" of nothing \(nil\)/, 9],
    ["job.shared + 1", /invalid operation: string \+ number/, 12],
    ["job.shared > 1", /invalid operation: string > number/, 12],
    ["1 && true", /left side of "&&" must be a bool, not number/, 1],
    ["false || 2", /right side of "\|\|" must be a bool, not number/, 10],
    ["!1", /operand of "!" must be a bool/, 2],
    ['-"a"', /operand of unary "-" must be a number, not string/, 2],
    ["5 % 0", /integer divide by zero/, 3],
    ["5.5 % 2", /"%" needs two integers/, 5],
    ["1 ? 2 : 3", /condition of "\?:" must be a bool/, 1],
    ["job[1]", /field names must be strings, not number/, 5],
    ["cpu_load > 1", /invalid operation: map > number/, 10],
  ];
  for (const [source, reason, column] of cases) {
    await t.step(source, () => fails(source, reason, column));
  }
});

Deno.test("compileExpression() cannot reach prototypes or globals", async (t) => {
  const cases = [
    "constructor",
    "__proto__",
    "globalThis",
    "Deno",
    "this",
    "prototype",
    "toString",
    "hasOwnProperty",
    "job.constructor",
    "job.__proto__",
    "job.toString",
    "job.constructor.constructor",
    'job["constructor"]',
    'job["__proto__"]',
    "name.length",
    "name.constructor",
    "factor.toFixed",
    "cpu_load.limits.valueOf",
  ];
  for (const source of cases) {
    await t.step(source, () => {
      assert.throws(() => run(source), ExprError);
    });
  }
  await t.step("an environment without a prototype is just as closed", () => {
    const bare = Object.assign(Object.create(null), { x: 1 });
    assert.throws(() => compileExpression("constructor").evaluate(bare), /unknown name/);
    assert.equal(compileExpression("x").evaluate(bare), 1);
  });
  await t.step("functions and foreign objects in the environment are refused, never called", () => {
    const tricky = { f: () => 1, d: new Date(0), list: [1, 2] } as unknown as ExprObject;
    assert.throws(() => compileExpression("f").evaluate(tricky), /unsupported value \(function\)/);
    assert.throws(() => compileExpression("d").evaluate(tricky), /unsupported value/);
    assert.throws(() => compileExpression("list").evaluate(tricky), /unsupported value \(array\)/);
  });
});

Deno.test("compileExpression() lists the top-level names an expression reads", () => {
  const expr = compileExpression("mem_bw.avg / mem_bw.limits.peak * 100.0 > x || job[y]");
  assert.deepEqual([...expr.names.keys()], ["mem_bw", "x", "job", "y"]);
  assert.equal(expr.names.get("x"), 42);
});

Deno.test("evaluateBool() and evaluateNumber() check the result type", () => {
  assert.equal(compileExpression("1 < 2").evaluateBool({}), true);
  assert.equal(compileExpression("1 + 2").evaluateNumber({}), 3);
  assert.throws(
    () => compileExpression("1 + 2").evaluateBool({}),
    /expected a bool result, got number/,
  );
  assert.throws(
    () => compileExpression('"x"').evaluateNumber({}),
    /expected a number result, got string/,
  );
});
