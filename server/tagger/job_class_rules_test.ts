import assert from "node:assert/strict";
import { parseJobClassRule, parseJobClassRules, parseParameters } from "./job_class_rules.ts";
import type { RuleFile } from "./rule_files.ts";
import { fixtureJobClassRules } from "./test_helpers.ts";

function file(name: string, content: unknown): RuleFile {
  return { name, text: typeof content === "string" ? content : JSON.stringify(content) };
}

const PARAMS = file("parameters.json", { factor: 0.5, min_duration: 600 });

const RULE = {
  name: "Test rule",
  tag: "test_tag",
  parameters: ["factor"],
  metrics: ["flops_any"],
  requirements: ["job.numNodes > 1"],
  variables: [{ name: "avg_flops", expr: "flops_any.avg" }],
  rule: "avg_flops > 100 * factor",
  hint: "High FLOPS: {{.avg_flops}}",
};

Deno.test("the shipped job-class rules load in file-name order", async () => {
  const { rules, parameters } = await fixtureJobClassRules();
  assert.deepEqual(rules.map((r) => [r.file, r.tag]), [
    ["highMemoryUsage.json", "highmemory"],
    ["highload.json", "excessiveload"],
    ["lowUtilization.json", "lowutilization"],
    ["lowload.json", "lowload"],
    ["memoryBound.json", "memorybound"],
  ]);
  assert.equal(Object.keys(parameters).length, 13);
  assert.equal(parameters.job_min_duration_seconds, 600);
  const lowload = rules.find((r) => r.tag === "lowload")!;
  assert.deepEqual(lowload.parameters, {
    lowcpuload_threshold_factor: 0.85,
    job_min_duration_seconds: 600,
  });
});

Deno.test("parseJobClassRule() prepares a rule like cc-backend's prepareRule", () => {
  const rule = parseJobClassRule(file("test.json", RULE), { factor: 0.5 });
  assert.equal(rule.tag, "test_tag");
  assert.equal(rule.name, "Test rule");
  assert.deepEqual(rule.metrics, ["flops_any"]);
  assert.equal(rule.requirements.length, 1);
  assert.equal(rule.variables.length, 1);
  assert.equal(rule.variables[0].name, "avg_flops");
  assert.equal(rule.rule.source, "avg_flops > 100 * factor");
  assert.equal(rule.hint.source, "High FLOPS: {{.avg_flops}}");
});

Deno.test("parseJobClassRule() refuses broken rules with a message naming the field", async (t) => {
  const cases: [string, unknown, RegExp][] = [
    ["invalid JSON", "{ nope", /^invalid JSON/],
    ["not an object", [1], /a rule must be a JSON object/],
    ["no tag", { ...RULE, tag: "" }, /tag must be a non-empty string/],
    ["no rule", { ...RULE, rule: undefined }, /rule must be a non-empty string/],
    ["metrics not strings", { ...RULE, metrics: [1] }, /metrics must be a list of strings/],
    [
      "a parameter parameters.json lacks",
      { ...RULE, parameters: ["nope"] },
      /parameter "nope" is not in parameters\.json/,
    ],
    [
      "a syntax error",
      { ...RULE, requirements: ["job.numNodes >"] },
      /^requirements\[0\]: expected an operand, found end of expression at column 15/,
    ],
    [
      "an unknown name",
      { ...RULE, rule: "avg_flop > 1" },
      /^rule: unknown name "avg_flop" at column 1 of "avg_flop > 1" \(known: job, flops_any, factor, avg_flops\)/,
    ],
    [
      "a parameter not listed by the rule",
      { ...RULE, rule: "avg_flops > min_duration" },
      /unknown name "min_duration"/,
    ],
    [
      "a requirement reading a variable (variables come after the requirements)",
      { ...RULE, requirements: ["avg_flops > 1"] },
      /^requirements\[0\]: unknown name "avg_flops"/,
    ],
    [
      "a variable reading a later one",
      {
        ...RULE,
        variables: [{ name: "a", expr: "b * 2" }, { name: "b", expr: "1" }],
      },
      /^variables\[0\] \(a\): unknown name "b"/,
    ],
    [
      "a variable named like a metric",
      { ...RULE, variables: [{ name: "flops_any", expr: "1" }] },
      /variables\[0\]: the name "flops_any" is already taken/,
    ],
    [
      "a variable without expr",
      { ...RULE, variables: [{ name: "x" }] },
      /variables\[0\] must be an object with string fields name and expr/,
    ],
    ["a hint with an if action", { ...RULE, hint: "{{if .x}}y{{end}}" }, /^hint: unsupported/],
    ["a hint that is not a string", { ...RULE, hint: 3 }, /hint must be a string/],
  ];
  for (const [label, content, message] of cases) {
    await t.step(label, () => {
      assert.throws(() => parseJobClassRule(file("bad.json", content), { factor: 0.5 }), (e) => {
        assert.match((e as Error).message, message);
        return true;
      });
    });
  }
});

Deno.test("parseJobClassRule() warns about hint fields the environment lacks", () => {
  const warnings: string[] = [];
  parseJobClassRule(file("w.json", { ...RULE, hint: "{{.nope.x}}" }), { factor: 1 }, warnings);
  assert.deepEqual(warnings, ['w.json: hint field .nope.x is unknown; it shows "<no value>"']);
});

Deno.test("parseJobClassRules() collects problems and keeps the good rules", async (t) => {
  await t.step("a broken file is dropped with its name, the others load", () => {
    const result = parseJobClassRules([
      PARAMS,
      file("a.json", RULE),
      file("b.json", { ...RULE, tag: "other", rule: "nope > 1" }),
    ]);
    assert.deepEqual(result.rules.map((r) => r.tag), ["test_tag"]);
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0], /^b\.json: rule dropped: rule: unknown name "nope"/);
  });
  await t.step("a later file with the same tag replaces the rule and takes its place", () => {
    const result = parseJobClassRules([
      PARAMS,
      file("a.json", RULE),
      file("b.json", { ...RULE, tag: "second" }),
      file("c.json", { ...RULE, rule: "avg_flops > 1" }),
    ]);
    assert.deepEqual(result.rules.map((r) => [r.tag, r.file]), [
      ["second", "b.json"],
      ["test_tag", "c.json"],
    ]);
    assert.match(result.warnings[0], /^c\.json: replaces the rule for tag "test_tag" of a\.json/);
  });
  await t.step("without parameters.json only rules without parameters load", () => {
    const result = parseJobClassRules([
      file("a.json", RULE),
      file("b.json", { ...RULE, tag: "plain", parameters: [], rule: "avg_flops > 1" }),
    ]);
    assert.deepEqual(result.rules.map((r) => r.tag), ["plain"]);
    assert.match(result.errors[0], /parameters\.json is missing/);
    assert.match(result.errors[1], /^a\.json: rule dropped: parameter "factor"/);
  });
  await t.step("non-numeric parameters are left out with a message", () => {
    const parsed = parseParameters(file("parameters.json", { a: 1, b: "2" }));
    assert.deepEqual(parsed.parameters, { a: 1 });
    assert.match(parsed.errors[0], /parameter "b" is not a number/);
    assert.throws(() => parseParameters(file("parameters.json", [1])), /must be a JSON object/);
  });
});
