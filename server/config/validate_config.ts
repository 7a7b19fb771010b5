/**
 * Validation of a parsed config.json document against {@link configSchema},
 * with problems phrased as `<key path>: expected …, found …`.
 *
 * @module
 */

import { Ajv } from "ajv";
import type { ErrorObject } from "ajv";
import { parseDuration } from "./duration.ts";
import { configSchema } from "./schema.ts";

/** One schema violation: where (top-level section and dotted key path) and what. */
export interface ConfigProblem {
  /** Top-level section the problem is in (`main`, `metric-store`, …). */
  section: string;
  /** Dotted key path, array indices in brackets: `metric-store-external[0].url`. */
  path: string;
  /** What was expected and what was found. */
  message: string;
}

function isNonNegativeDuration(text: string): boolean {
  try {
    return parseDuration(text) >= 0;
  } catch {
    return false;
  }
}

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
ajv.addFormat("duration", { type: "string", validate: isNonNegativeDuration });
ajv.addFormat("duration-or-empty", {
  type: "string",
  validate: (text: string) => text === "" || isNonNegativeDuration(text),
});
const validate = ajv.compile(configSchema);

/** Describes a JSON value for messages: `string "300"`, `number 1.5`, `array`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "string":
      return `string ${JSON.stringify(value)}`;
    case "number":
    case "boolean":
      return `${typeof value} ${value}`;
    default:
      return typeof value;
  }
}

function toPath(segments: string[]): string {
  let path = "";
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else path += path === "" ? segment : `.${segment}`;
  }
  return path;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function describeError(error: ErrorObject): { extra?: string; message: string } | undefined {
  const found = describeValue(error.data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "if":
      return undefined; // the failing `then` branch reports the actual problem
    case "additionalProperties":
      return { extra: String(params.additionalProperty), message: "unknown key" };
    case "required":
      return { extra: String(params.missingProperty), message: "required key missing" };
    case "type":
      return { message: `expected ${params.type}, found ${found}` };
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      return { message: `expected one of ${allowed.join(", ")}, found ${found}` };
    }
    case "format":
      return params.format === "duration-or-empty"
        ? { message: `expected a Go duration such as "1h30m" or "", found ${found}` }
        : { message: `expected a non-negative Go duration such as "1h30m", found ${found}` };
    case "minimum":
      return { message: `expected a value >= ${params.limit}, found ${found}` };
    case "minItems":
      return {
        message: `expected at least ${params.limit} entr${params.limit === 1 ? "y" : "ies"}, ` +
          `found ${(error.data as unknown[]).length}`,
      };
    default:
      return { message: `${error.message ?? "invalid"}, found ${found}` };
  }
}

/**
 * Validates a whole config document; returns the problems in document order
 * (empty when valid).
 */
export function validateConfigDocument(document: unknown): ConfigProblem[] {
  if (validate(document)) return [];
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const described = describeError(error);
    if (!described) continue;
    const segments = pointerSegments(error.instancePath);
    if (described.extra !== undefined) segments.push(described.extra);
    const problem = { section: segments[0] ?? "", path: toPath(segments), ...described };
    const key = `${problem.path}\n${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ section: problem.section, path: problem.path, message: problem.message });
  }
  return problems;
}
