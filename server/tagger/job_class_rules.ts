/**
 * Job-class rules (cc-backend's `JobClassTagger`): `parameters.json` holds
 * named numbers; every other `*.json` file is one rule with `name`, `tag`,
 * `parameters`, `metrics`, `requirements`, `variables`, `rule` and `hint`.
 * Expressions are compiled when the rules load, and every name they read is
 * checked against what the rule's environment will hold, so a typo drops the
 * rule with a message instead of failing on every job.
 *
 * @module
 */
import { compileExpression, type Expression } from "./expression.ts";
import { compileHint, type HintTemplate } from "./hint_template.ts";
import type { RuleFile } from "./rule_files.ts";

/** The name of the parameters file. */
export const PARAMETERS_FILE = "parameters.json";

/** A loaded rule. */
export interface JobClassRule {
  file: string;
  /** The description. */
  name: string;
  /** The tag name (`jobClass:<tag>`); rules are keyed by it. */
  tag: string;
  /** The parameters the rule uses, with their values. */
  parameters: Readonly<Record<string, number>>;
  metrics: string[];
  requirements: Expression[];
  variables: { name: string; expr: Expression }[];
  rule: Expression;
  hint: HintTemplate;
}

/** The rules of a directory plus the problems found while loading it. */
export interface JobClassRules {
  rules: JobClassRule[];
  parameters: Readonly<Record<string, number>>;
  errors: string[];
  /** Problems that do not drop a rule (e.g. a hint naming an unknown field). */
  warnings: string[];
}

/** Names the environment always has. */
const JOB = "job";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(file: RuleFile): unknown {
  try {
    return JSON.parse(file.text);
  } catch (error) {
    throw new Error(`invalid JSON: ${(error as Error).message}`);
  }
}

/** Parses parameters.json: a flat object of numbers; other values are reported and left out. */
export function parseParameters(
  file: RuleFile,
): { parameters: Record<string, number>; errors: string[] } {
  const raw = parseJson(file);
  if (!isObject(raw)) throw new Error("parameters must be a JSON object");
  const parameters: Record<string, number> = {};
  const errors: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === "number") parameters[key] = value;
    else errors.push(`${file.name}: parameter ${JSON.stringify(key)} is not a number; ignored`);
  }
  return { parameters, errors };
}

function stringList(raw: Record<string, unknown>, key: string): string[] {
  const value = raw[key] ?? [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new Error(`${key} must be a list of strings`);
  }
  return value;
}

function requiredString(raw: Record<string, unknown>, key: string): string {
  const value = raw[key];
  if (typeof value !== "string" || value.trim() === "") {
    throw new Error(`${key} must be a non-empty string`);
  }
  return value;
}

function compile(source: string, field: string, known: Set<string>): Expression {
  let expr: Expression;
  try {
    expr = compileExpression(source);
  } catch (error) {
    throw new Error(`${field}: ${(error as Error).message}`);
  }
  for (const [name, position] of expr.names) {
    if (!known.has(name)) {
      throw new Error(
        `${field}: unknown name ${JSON.stringify(name)} at column ${position + 1} of ${
          JSON.stringify(source)
        } (known: ${[...known].join(", ")})`,
      );
    }
  }
  return expr;
}

/** Parses one rule file against the loaded parameters; throws naming the field at fault. */
export function parseJobClassRule(
  file: RuleFile,
  parameters: Readonly<Record<string, number>>,
  warnings: string[] = [],
): JobClassRule {
  const raw = parseJson(file);
  if (!isObject(raw)) throw new Error("a rule must be a JSON object");
  const tag = requiredString(raw, "tag");
  const used: Record<string, number> = {};
  for (const name of stringList(raw, "parameters")) {
    if (!Object.hasOwn(parameters, name)) {
      throw new Error(`parameter ${JSON.stringify(name)} is not in ${PARAMETERS_FILE}`);
    }
    used[name] = parameters[name];
  }
  const metrics = stringList(raw, "metrics");
  const known = new Set([JOB, ...metrics, ...Object.keys(used)]);
  if (known.size !== 1 + metrics.length + Object.keys(used).length) {
    throw new Error('metric and parameter names must differ from each other and from "job"');
  }
  const requirements = stringList(raw, "requirements").map((source, i) =>
    compile(source, `requirements[${i}]`, known)
  );
  const variables = parseVariables(raw.variables ?? [], known);
  const rule = compile(requiredString(raw, "rule"), "rule", known);
  const hintSource = raw.hint ?? "";
  if (typeof hintSource !== "string") throw new Error("hint must be a string");
  let hint: HintTemplate;
  try {
    hint = compileHint(hintSource);
  } catch (error) {
    throw new Error(`hint: ${(error as Error).message}`);
  }
  for (const path of hint.paths) {
    if (!known.has(path[0])) {
      warnings.push(
        `${file.name}: hint field .${path.join(".")} is unknown; it shows "<no value>"`,
      );
    }
  }
  const name = typeof raw.name === "string" ? raw.name : tag;
  return {
    file: file.name,
    name,
    tag,
    parameters: used,
    metrics,
    requirements,
    variables,
    rule,
    hint,
  };
}

/** Compiles the variables in order; each may use the ones before it. Adds their names to `known`. */
function parseVariables(value: unknown, known: Set<string>): JobClassRule["variables"] {
  if (!Array.isArray(value)) throw new Error("variables must be a list of {name, expr}");
  return value.map((entry, i) => {
    const field = `variables[${i}]`;
    if (!isObject(entry) || typeof entry.name !== "string" || typeof entry.expr !== "string") {
      throw new Error(`${field} must be an object with string fields name and expr`);
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(entry.name)) {
      throw new Error(`${field}: ${JSON.stringify(entry.name)} is not a valid name`);
    }
    if (known.has(entry.name)) {
      throw new Error(`${field}: the name ${JSON.stringify(entry.name)} is already taken`);
    }
    const expr = compile(entry.expr, `${field} (${entry.name})`, known);
    known.add(entry.name);
    return { name: entry.name, expr };
  });
}

/**
 * Parses a rule directory's files (in the given order). Without
 * parameters.json no rule that needs a parameter loads. A later file with the
 * same tag replaces the earlier rule and takes its place in the order.
 */
export function parseJobClassRules(files: readonly RuleFile[]): JobClassRules {
  const errors: string[] = [];
  const warnings: string[] = [];
  let parameters: Record<string, number> = {};
  const parametersFile = files.find((f) => f.name === PARAMETERS_FILE);
  if (!parametersFile) {
    errors.push(`${PARAMETERS_FILE} is missing: rules that use parameters are dropped`);
  } else {
    try {
      const parsed = parseParameters(parametersFile);
      parameters = parsed.parameters;
      errors.push(...parsed.errors);
    } catch (error) {
      errors.push(`${PARAMETERS_FILE}: ${(error as Error).message}`);
    }
  }
  const byTag = new Map<string, JobClassRule>();
  for (const file of files) {
    if (file === parametersFile) continue;
    try {
      const rule = parseJobClassRule(file, parameters, warnings);
      if (byTag.has(rule.tag)) {
        warnings.push(
          `${file.name}: replaces the rule for tag ${JSON.stringify(rule.tag)} of ${
            byTag.get(rule.tag)!.file
          }`,
        );
      }
      byTag.delete(rule.tag);
      byTag.set(rule.tag, rule);
    } catch (error) {
      errors.push(`${file.name}: rule dropped: ${(error as Error).message}`);
    }
  }
  return { rules: [...byTag.values()], parameters, errors, warnings };
}
