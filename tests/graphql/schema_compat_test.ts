import assert from "node:assert/strict";
import { buildSchema } from "graphql";
import { ourSchema, schemaCoverage } from "./schema_coverage.ts";
import { createGraphqlSchema } from "../../server/api/graphql/build_schema.ts";

/** The schema file to check against: CC_REFERENCE_SCHEMA, else the copy of cc-backend 1.5's. */
const REFERENCE = Deno.env.get("CC_REFERENCE_SCHEMA") ??
  new URL("../fixtures/graphql/reference.graphqls", import.meta.url).pathname;

Deno.test("our schema answers every type, field, argument and enum value of the reference", async () => {
  const reference = buildSchema(await Deno.readTextFile(REFERENCE));
  const report = schemaCoverage(ourSchema(), reference);
  assert.deepEqual(report.problems, []);
  // The copy of cc-backend 1.5's schema: make sure the check saw all of it.
  if (!Deno.env.get("CC_REFERENCE_SCHEMA")) {
    assert.ok(report.checked.types >= 60, `types checked: ${report.checked.types}`);
    assert.ok(report.checked.fields >= 250, `fields checked: ${report.checked.fields}`);
    assert.ok(report.checked.arguments >= 60, `arguments checked: ${report.checked.arguments}`);
    assert.equal(report.checked.enumValues, 4 + 9 + 2);
  }
});

Deno.test("schemaCoverage() reports what a schema lacks", () => {
  const reference = buildSchema(`
    type Query { a(x: Int!): String b: [Int!]! }
    enum E { ONE TWO }
    input I { f: String! }
  `);
  const ours = buildSchema(`
    type Query { a(x: Int): String b: [Int] c: Int }
    enum E { ONE }
    scalar I
  `);
  assert.deepEqual(schemaCoverage(ours, reference).problems.sort(), [
    "I is a scalar, reference has a input",
    "argument Query.a(x): type Int, reference Int!",
    "field Query.b: type [Int], reference [Int!]!",
    "missing enum value E.TWO",
  ]);
});

Deno.test("every field of our schema with arguments or a computed value has a resolver", () => {
  // Building the executable schema fails for resolvers of unknown fields; this also
  // checks that the scalars were adopted.
  const schema = createGraphqlSchema();
  const time = schema.getType("Time") as unknown as { coerceOutputValue(v: unknown): unknown };
  assert.match(String(time.coerceOutputValue(0)), /^1970-01-01T|^1969-12-31T/);
  const query = schema.getQueryType()!.getFields();
  for (const [name, field] of Object.entries(query)) {
    assert.ok(field.resolve, `Query.${name} has no resolver`);
  }
  for (const [name, field] of Object.entries(schema.getMutationType()!.getFields())) {
    assert.ok(field.resolve, `Mutation.${name} has no resolver`);
  }
});
