import assert from "node:assert/strict";
import { buildSchema, GraphQLError, NoSchemaIntrospectionCustomRule } from "graphql";
import { AppError } from "../../errors.ts";
import { createExecutor, formatError, nestingDepth } from "./execute_request.ts";

Deno.test("nestingDepth() skips strings and comments", () => {
  assert.equal(nestingDepth("{ a { b(x: [1, [2]]) } }"), 5);
  assert.equal(nestingDepth('{ a(s: "{{{{[[[") }'), 2);
  assert.equal(nestingDepth('{ a(s: """ {{{{ """) }'), 2);
  assert.equal(nestingDepth("{ a # {{{{{\n }"), 1);
  assert.equal(nestingDepth('{ a(s: "\\"{{{") }'), 2);
});

Deno.test("formatError() keeps message, locations, path and the status of AppErrors, never a stack", () => {
  const error = new GraphQLError("cannot find job", {
    path: ["job"],
    originalError: new AppError(404, "cannot find job"),
  });
  const formatted = formatError(error);
  assert.deepEqual(formatted, {
    message: "cannot find job",
    path: ["job"],
    extensions: { status: 404 },
  });
  assert.ok(!JSON.stringify(formatted).includes("stack"));
});

Deno.test("createExecutor() refuses introspection unless asked to allow it", () => {
  const schema = buildSchema("type Query { a: Int }");
  assert.ok(createExecutor(schema).rules.includes(NoSchemaIntrospectionCustomRule));
  assert.ok(
    !createExecutor(schema, { introspection: true }).rules.includes(
      NoSchemaIntrospectionCustomRule,
    ),
  );
});
