/**
 * Checks that our GraphQL schema answers everything a reference schema
 * declares: every type (same kind), every field with the same type, every
 * argument with the same type, every input field and every enum value.
 * Extra things in our schema are allowed.
 *
 * Usage as a script: `deno run -A tests/graphql/schema_coverage.ts FILE.graphqls`
 *
 * @module
 */
import {
  buildSchema,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
} from "graphql";
import { SCHEMA_SDL } from "../../server/api/graphql/schema_sdl.ts";

/** How much of the reference was checked, and what is missing or different. */
export interface CoverageReport {
  checked: { types: number; fields: number; arguments: number; enumValues: number };
  problems: string[];
}

function kindOf(type: GraphQLNamedType): string {
  if (isScalarType(type)) return "scalar";
  if (isObjectType(type)) return "type";
  if (isInputObjectType(type)) return "input";
  if (isEnumType(type)) return "enum";
  if (isInterfaceType(type)) return "interface";
  if (isUnionType(type)) return "union";
  return "unknown";
}

function compareFields(
  name: string,
  reference: Record<string, GraphQLField<unknown, unknown>>,
  ours: Record<string, GraphQLField<unknown, unknown>>,
  report: CoverageReport,
): void {
  for (const [fieldName, field] of Object.entries(reference)) {
    report.checked.fields++;
    const mine = ours[fieldName];
    if (!mine) {
      report.problems.push(`missing field ${name}.${fieldName}`);
      continue;
    }
    if (String(mine.type) !== String(field.type)) {
      report.problems.push(
        `field ${name}.${fieldName}: type ${mine.type}, reference ${field.type}`,
      );
    }
    for (const arg of field.args) {
      report.checked.arguments++;
      const ourArg = mine.args.find((a) => a.name === arg.name);
      if (!ourArg) {
        report.problems.push(`missing argument ${name}.${fieldName}(${arg.name})`);
      } else if (String(ourArg.type) !== String(arg.type)) {
        report.problems.push(
          `argument ${name}.${fieldName}(${arg.name}): type ${ourArg.type}, reference ${arg.type}`,
        );
      } else if (JSON.stringify(ourArg.defaultValue) !== JSON.stringify(arg.defaultValue)) {
        report.problems.push(`argument ${name}.${fieldName}(${arg.name}): other default value`);
      }
    }
    for (const arg of mine.args) {
      if (String(arg.type).endsWith("!") && !field.args.some((a) => a.name === arg.name)) {
        report.problems.push(`extra required argument ${name}.${fieldName}(${arg.name})`);
      }
    }
  }
}

/** Compares `ours` against `reference`. */
export function schemaCoverage(ours: GraphQLSchema, reference: GraphQLSchema): CoverageReport {
  const report: CoverageReport = {
    checked: { types: 0, fields: 0, arguments: 0, enumValues: 0 },
    problems: [],
  };
  for (const [name, type] of Object.entries(reference.getTypeMap())) {
    if (name.startsWith("__")) continue;
    report.checked.types++;
    const mine = ours.getType(name);
    if (!mine) {
      report.problems.push(`missing ${kindOf(type)} ${name}`);
      continue;
    }
    if (kindOf(mine) !== kindOf(type)) {
      report.problems.push(`${name} is a ${kindOf(mine)}, reference has a ${kindOf(type)}`);
      continue;
    }
    if (
      (isObjectType(type) || isInterfaceType(type)) && (isObjectType(mine) || isInterfaceType(mine))
    ) {
      compareFields(name, type.getFields(), mine.getFields(), report);
    } else if (isInputObjectType(type) && isInputObjectType(mine)) {
      for (const [fieldName, field] of Object.entries(type.getFields())) {
        report.checked.fields++;
        const ourField = mine.getFields()[fieldName];
        if (!ourField) report.problems.push(`missing input field ${name}.${fieldName}`);
        else if (String(ourField.type) !== String(field.type)) {
          report.problems.push(
            `input field ${name}.${fieldName}: type ${ourField.type}, reference ${field.type}`,
          );
        } else if (JSON.stringify(ourField.defaultValue) !== JSON.stringify(field.defaultValue)) {
          report.problems.push(`input field ${name}.${fieldName}: other default value`);
        }
      }
      for (const [fieldName, field] of Object.entries(mine.getFields())) {
        if (String(field.type).endsWith("!") && !type.getFields()[fieldName]) {
          report.problems.push(`extra required input field ${name}.${fieldName}`);
        }
      }
    } else if (isEnumType(type) && isEnumType(mine)) {
      for (const value of type.getValues()) {
        report.checked.enumValues++;
        if (!mine.getValue(value.name)) {
          report.problems.push(`missing enum value ${name}.${value.name}`);
        }
      }
    }
  }
  for (const root of ["getQueryType", "getMutationType", "getSubscriptionType"] as const) {
    const theirs = reference[root]();
    if (theirs && ours[root]()?.name !== theirs.name) {
      report.problems.push(`root ${root.slice(3)}: reference uses ${theirs.name}`);
    }
  }
  return report;
}

/** Our schema (SDL only; no resolvers needed to compare). */
export function ourSchema(): GraphQLSchema {
  return buildSchema(SCHEMA_SDL);
}

if (import.meta.main) {
  const file = Deno.args[0];
  if (!file) {
    console.error("usage: schema_coverage.ts REFERENCE.graphqls");
    Deno.exit(2);
  }
  const report = schemaCoverage(ourSchema(), buildSchema(await Deno.readTextFile(file)));
  console.log(JSON.stringify(report.checked));
  for (const problem of report.problems) console.log(problem);
  Deno.exit(report.problems.length ? 1 : 0);
}
