import assert from "node:assert/strict";
import { buildSchema, parse, validate } from "graphql";
import { queryLimitsRule } from "./query_limits.ts";

const schema = buildSchema(`
  type Query { node: Node }
  type Node { id: ID child: Node children: [Node] }
`);

function errors(query: string, limits: { maxDepth?: number; maxCost?: number }): string[] {
  return validate(schema, parse(query), [queryLimitsRule(limits)]).map((e) => e.message);
}

Deno.test("queryLimitsRule() counts one per field, lists not multiplied, as gqlgen", () => {
  // node, child, id, children, id = 5
  assert.deepEqual(errors("{ node { child { id } children { id } } }", { maxCost: 5 }), []);
  assert.deepEqual(errors("{ node { child { id } children { id } } }", { maxCost: 4 }), [
    "operation has complexity 5, more than the limit of 4",
  ]);
});

Deno.test("queryLimitsRule() measures depth through fragments", () => {
  const query = "query Q { node { ...F } } fragment F on Node { child { child { id } } }";
  assert.deepEqual(errors(query, { maxDepth: 4 }), []);
  assert.deepEqual(errors(query, { maxDepth: 3 }), [
    "operation Q is nested 4 levels deep, more than the limit of 3",
  ]);
});

Deno.test("queryLimitsRule() costs repeated fragments once each, so the check stays linear", () => {
  let doc = "fragment F0 on Node { id }";
  for (let i = 1; i <= 60; i++) doc += ` fragment F${i} on Node { ...F${i - 1} ...F${i - 1} }`;
  const started = performance.now();
  const [message] = errors(`{ node { ...F60 } } ${doc}`, {});
  assert.match(message, /complexity \d+e\+18|complexity \d{19}/);
  assert.ok(performance.now() - started < 500);
});

Deno.test("queryLimitsRule() ignores cyclic fragments (the standard rules report them)", () => {
  const query = "{ node { ...A } } fragment A on Node { ...B } fragment B on Node { ...A }";
  assert.deepEqual(errors(query, {}), []);
});
