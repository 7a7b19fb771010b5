/**
 * Compiled rule expressions: parse once, evaluate per job. An expression
 * knows the top-level names it reads, so a rule can be checked against the
 * names its environment will have before any job is seen.
 *
 * @module
 */
import type { ExprNode } from "./expr_ast.ts";
import { ExprError } from "./expr_error.ts";
import { evaluate, type ExprObject, type ExprValue, typeName } from "./expr_eval.ts";
import { parseExpression } from "./expr_parser.ts";

/** A parsed expression. */
export interface Expression {
  /** The text it was compiled from. */
  readonly source: string;
  /** The top-level names it reads (e.g. `job`, `cpu_load`), with the offset of the first use. */
  readonly names: ReadonlyMap<string, number>;
  /** Evaluates over `env`; throws {@link ExprError}. */
  evaluate(env: ExprObject): ExprValue;
  /** Evaluates and requires a bool (requirements, rules). */
  evaluateBool(env: ExprObject): boolean;
  /** Evaluates and requires a number (variables). */
  evaluateNumber(env: ExprObject): number;
}

/** Parses `source`; throws {@link ExprError} with the column of the problem. */
export function compileExpression(source: string): Expression {
  const tree = parseExpression(source);
  const names = new Map<string, number>();
  collectNames(tree, names);
  const run = (env: ExprObject) => evaluate(tree, env, source);
  const typed = <T extends ExprValue>(
    env: ExprObject,
    type: string,
    test: (v: ExprValue) => v is T,
  ): T => {
    const value = run(env);
    if (!test(value)) {
      throw new ExprError(`expected a ${type} result, got ${typeName(value)}`, 0, source);
    }
    return value;
  };
  return {
    source,
    names,
    evaluate: run,
    evaluateBool: (env) => typed(env, "bool", (v): v is boolean => typeof v === "boolean"),
    evaluateNumber: (env) => typed(env, "number", (v): v is number => typeof v === "number"),
  };
}

function collectNames(node: ExprNode, names: Map<string, number>): void {
  switch (node.kind) {
    case "name":
      if (!names.has(node.name)) names.set(node.name, node.position);
      return;
    case "literal":
      return;
    case "member":
      collectNames(node.object, names);
      collectNames(node.property, names);
      return;
    case "unary":
      collectNames(node.operand, names);
      return;
    case "binary":
      collectNames(node.left, names);
      collectNames(node.right, names);
      return;
    case "conditional":
      collectNames(node.test, names);
      collectNames(node.then, names);
      collectNames(node.otherwise, names);
      return;
  }
}
