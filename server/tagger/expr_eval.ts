/**
 * Evaluates a parsed rule expression over a plain environment. Names and
 * fields are looked up as own properties of plain objects only, so neither
 * the prototype chain (`constructor`, `__proto__`) nor anything global is
 * reachable, and nothing is ever called. Operators are strict about types,
 * like expr-lang: `&&` wants booleans, `<` two numbers or two strings.
 *
 * @module
 */
import type { ExprNode } from "./expr_ast.ts";
import { ExprError } from "./expr_error.ts";

/** A value an expression can see or produce. */
export type ExprValue = number | string | boolean | null | ExprObject;

/** A record of values (the environment and the objects in it). */
export interface ExprObject {
  readonly [key: string]: ExprValue;
}

/** Evaluates `node` (parsed from `source`) over `env`; throws {@link ExprError}. */
export function evaluate(node: ExprNode, env: ExprObject, source: string): ExprValue {
  return new Evaluator(env, source).eval(node);
}

/** The type name used in messages, as expr-lang names them. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number" || typeof value === "string") return typeof value;
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "map" : typeof value;
}

function isRecord(value: unknown): value is ExprObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The dotted path of a name or member chain, for messages (`cpu_load.limits`). */
function describe(node: ExprNode): string {
  if (node.kind === "name") return node.name;
  if (node.kind === "member" && node.property.kind === "literal") {
    return `${describe(node.object)}.${node.property.value}`;
  }
  return "expression";
}

class Evaluator {
  readonly #env: ExprObject;
  readonly #source: string;

  constructor(env: ExprObject, source: string) {
    this.#env = env;
    this.#source = source;
  }

  #error(reason: string, node: ExprNode): ExprError {
    return new ExprError(reason, node.position, this.#source);
  }

  #checked(value: unknown, what: string, node: ExprNode): ExprValue {
    const ok = value === null || typeof value === "number" || typeof value === "string" ||
      typeof value === "boolean" || isRecord(value);
    if (!ok) throw this.#error(`${what} holds an unsupported value (${typeName(value)})`, node);
    return value as ExprValue;
  }

  eval(node: ExprNode): ExprValue {
    switch (node.kind) {
      case "literal":
        return node.value;
      case "name":
        if (!Object.hasOwn(this.#env, node.name)) {
          throw this.#error(`unknown name ${JSON.stringify(node.name)}`, node);
        }
        return this.#checked(this.#env[node.name], node.name, node);
      case "member":
        return this.#member(node);
      case "unary":
        return this.#unary(node);
      case "binary":
        return this.#binary(node);
      case "conditional":
        return this.#bool(node.test, 'the condition of "?:"')
          ? this.eval(node.then)
          : this.eval(node.otherwise);
    }
  }

  #member(node: Extract<ExprNode, { kind: "member" }>): ExprValue {
    const object = this.eval(node.object);
    const key = this.eval(node.property);
    if (typeof key !== "string") {
      throw this.#error(`field names must be strings, not ${typeName(key)}`, node.property);
    }
    const path = describe(node.object);
    if (!isRecord(object)) {
      throw this.#error(
        `cannot read field ${JSON.stringify(key)} of ${path} (${typeName(object)})`,
        node,
      );
    }
    if (!Object.hasOwn(object, key)) {
      throw this.#error(`${path} has no field ${JSON.stringify(key)}`, node);
    }
    return this.#checked(object[key], `${path}.${key}`, node);
  }

  #number(node: ExprNode, role: string): number {
    const value = this.eval(node);
    if (typeof value !== "number") {
      throw this.#error(`${role} must be a number, not ${typeName(value)}`, node);
    }
    return value;
  }

  #bool(node: ExprNode, role: string): boolean {
    const value = this.eval(node);
    if (typeof value !== "boolean") {
      throw this.#error(`${role} must be a bool, not ${typeName(value)}`, node);
    }
    return value;
  }

  #unary(node: Extract<ExprNode, { kind: "unary" }>): ExprValue {
    if (node.op === "!") return !this.#bool(node.operand, 'the operand of "!"');
    const value = this.#number(node.operand, `the operand of unary "${node.op}"`);
    return node.op === "-" ? -value : value;
  }

  #binary(node: Extract<ExprNode, { kind: "binary" }>): ExprValue {
    const { op } = node;
    switch (op) {
      case "&&":
        return this.#bool(node.left, 'the left side of "&&"') &&
          this.#bool(node.right, 'the right side of "&&"');
      case "||":
        return this.#bool(node.left, 'the left side of "||"') ||
          this.#bool(node.right, 'the right side of "||"');
      case "??": {
        const left = this.eval(node.left);
        return left === null ? this.eval(node.right) : left;
      }
    }
    const left = this.eval(node.left);
    const right = this.eval(node.right);
    if (op === "==") return equal(left, right);
    if (op === "!=") return !equal(left, right);
    if (op === "+" && typeof left === "string" && typeof right === "string") return left + right;
    if (op === "<" || op === "<=" || op === ">" || op === ">=") {
      const comparable = (typeof left === "number" && typeof right === "number") ||
        (typeof left === "string" && typeof right === "string");
      if (!comparable) throw this.#mismatch(node, left, right);
      const l = left as number | string;
      const r = right as number | string;
      return op === "<" ? l < r : op === "<=" ? l <= r : op === ">" ? l > r : l >= r;
    }
    if (typeof left !== "number" || typeof right !== "number") {
      throw this.#mismatch(node, left, right);
    }
    switch (op) {
      case "+":
        return left + right;
      case "-":
        return left - right;
      case "*":
        return left * right;
      case "/":
        return left / right;
      case "**":
        return left ** right;
      case "%":
        if (!Number.isInteger(left) || !Number.isInteger(right)) {
          throw this.#error(`"%" needs two integers, not ${left} and ${right}`, node);
        }
        if (right === 0) throw this.#error("integer divide by zero", node);
        return left % right;
    }
  }

  #mismatch(node: Extract<ExprNode, { kind: "binary" }>, left: unknown, right: unknown) {
    return this.#error(`invalid operation: ${typeName(left)} ${node.op} ${typeName(right)}`, node);
  }
}

/** Equality as expr-lang has it for these types: by value for scalars, by identity for maps. */
function equal(left: ExprValue, right: ExprValue): boolean {
  return left === right;
}
