/**
 * The custom scalars: `Time` (RFC 3339 in the server's time zone, as Go
 * prints it), `Any` (JSON), `NullableFloat` (NaN as null, two decimals) and
 * the string scalars with a fixed set of values (`MetricScope`, `JobState`)
 * or without one (`SchedulerState`, `MonitoringState`).
 *
 * @module
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";
import { JOB_STATES, METRIC_SCOPES } from "../../archive/types.ts";

function pad(n: number, width = 2): string {
  return String(Math.trunc(Math.abs(n))).padStart(width, "0");
}

/**
 * RFC 3339 text of a unix time (seconds) in the process' time zone, as Go's
 * `time.RFC3339Nano` prints local times: `2024-05-02T10:11:12+02:00`, or `Z`
 * when the offset is zero; fractions only when present.
 */
export function formatTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  const offset = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offset * 60_000);
  let text = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-` +
    `${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:` +
    pad(local.getUTCSeconds());
  const ms = local.getUTCMilliseconds();
  if (ms) text += `.${pad(ms, 3).replace(/0+$/, "")}`;
  if (offset === 0) return `${text}Z`;
  return `${text}${offset < 0 ? "-" : "+"}${pad(offset / 60)}:${pad(offset % 60)}`;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Unix seconds (fractions kept) of RFC 3339 text, or a GraphQL error naming the value. */
export function parseTime(value: unknown): number {
  if (typeof value !== "string" || !RFC3339.test(value)) {
    throw new GraphQLError(
      `Time must be RFC 3339 text such as "2024-05-02T08:11:12Z", got ${JSON.stringify(value)}`,
    );
  }
  const ms = Date.parse(value.replace(" ", "T"));
  if (Number.isNaN(ms)) throw new GraphQLError(`Time ${JSON.stringify(value)} is not a valid date`);
  return ms / 1000;
}

function literalString(node: ValueNode, scalar: string): string {
  if (node.kind !== Kind.STRING) {
    throw new GraphQLError(`${scalar} must be a string literal`, { nodes: node });
  }
  return node.value;
}

/** `Time`: unix seconds internally. */
export const TimeScalar = new GraphQLScalarType<number, string | null>({
  name: "Time",
  coerceOutputValue(value) {
    if (value instanceof Date) return formatTime(value.getTime() / 1000);
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new GraphQLError(`cannot output ${String(value)} as Time`);
    }
    return formatTime(value);
  },
  coerceInputValue: parseTime,
  coerceInputLiteral: (node) => parseTime(literalString(node, "Time")),
});

function literalToJson(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literalToJson);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literalToJson(f.value)]));
    default:
      throw new GraphQLError("Any does not accept variables inside literals", { nodes: node });
  }
}

/** `Any`: any JSON value, passed through. */
export const AnyScalar = new GraphQLScalarType<unknown, unknown>({
  name: "Any",
  coerceOutputValue: (value) => value,
  coerceInputValue: (value) => value,
  coerceInputLiteral: literalToJson,
});

/** Rounds half away from zero to two decimals (Go's `math.Round(x*100)/100`). */
export function round2(x: number): number {
  return x < 0 ? -Math.round(-x * 100) / 100 : Math.round(x * 100) / 100;
}

/**
 * What a missing sample (NaN) is output as: a value that JSON-serialises to
 * `null`. cc-backend's schema declares lists like `[NullableFloat!]!` and
 * still sends `null` items for missing samples; a plain null would make
 * graphql-js reject the non-null item, so the null is only produced when
 * the response is written.
 */
export const MISSING_SAMPLE: { toJSON(): null } = Object.freeze({ toJSON: () => null });

/** `NullableFloat`: NaN (and ±Infinity) become null, other values are rounded to two decimals. */
export const NullableFloatScalar = new GraphQLScalarType<number, number | { toJSON(): null }>({
  name: "NullableFloat",
  coerceOutputValue(value) {
    const x = value === null || value === undefined ? NaN : Number(value);
    return Number.isFinite(x) ? round2(x) : MISSING_SAMPLE;
  },
  coerceInputValue(value) {
    if (typeof value !== "number") {
      throw new GraphQLError(`NullableFloat must be a number, got ${JSON.stringify(value)}`);
    }
    return value;
  },
  coerceInputLiteral(node) {
    if (node.kind !== Kind.FLOAT && node.kind !== Kind.INT) {
      throw new GraphQLError("NullableFloat must be a number", { nodes: node });
    }
    return Number(node.value);
  },
});

function stringScalar(
  name: string,
  options: { allowed?: readonly string[]; invalid?: (value: string) => string } = {},
): GraphQLScalarType<string, string> {
  const check = (value: unknown): string => {
    if (typeof value !== "string") {
      throw new GraphQLError(`${name} must be a string, got ${JSON.stringify(value)}`);
    }
    if (options.allowed && !options.allowed.includes(value)) {
      throw new GraphQLError(options.invalid!(value));
    }
    return value;
  };
  return new GraphQLScalarType<string, string>({
    name,
    coerceOutputValue: (value) => String(value),
    coerceInputValue: check,
    coerceInputLiteral: (node) => check(literalString(node, name)),
  });
}

/** `MetricScope`: one of the six scopes. */
export const MetricScopeScalar = stringScalar("MetricScope", {
  allowed: METRIC_SCOPES,
  invalid: (v) =>
    `${JSON.stringify(v)} is not a valid MetricScope (allowed: ${METRIC_SCOPES.join(", ")})`,
});

/** `JobState`: one of cc-backend's twelve job states. */
export const JobStateScalar = stringScalar("JobState", {
  allowed: JOB_STATES,
  invalid: (v) => `invalid job state ${JSON.stringify(v)} (allowed: ${JOB_STATES.join(", ")})`,
});

/** `SchedulerState`: any string (the meaningful ones are the node states). */
export const SchedulerStateScalar = stringScalar("SchedulerState");

/** `MonitoringState`: any string (the meaningful ones are full, partial, failed). */
export const MonitoringStateScalar = stringScalar("MonitoringState");

/** Every custom scalar by name. */
export const SCALARS: Readonly<Record<string, GraphQLScalarType<unknown, unknown>>> = {
  Time: TimeScalar,
  Any: AnyScalar,
  NullableFloat: NullableFloatScalar,
  MetricScope: MetricScopeScalar,
  JobState: JobStateScalar,
  SchedulerState: SchedulerStateScalar,
  MonitoringState: MonitoringStateScalar,
};
