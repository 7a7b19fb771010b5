/**
 * A recursive-descent parser for the rule expression language, the subset of
 * expr-lang that cc-backend's job-class rules use: literals, names, member
 * access (`a.b`, `a["b"]`), unary `!`/`not`/`-`/`+`, `**`/`^`, `* / %`,
 * `+ -`, comparisons, `&&`/`and`, `||`/`or`, `??` and `cond ? a : b`.
 * Precedence follows expr-lang (`-2 ** 2` is -4). There are no function
 * calls, so an expression can only read the environment it is given.
 *
 * @module
 */
import type { BinaryOperator, ExprNode } from "./expr_ast.ts";
import { ExprError } from "./expr_error.ts";
import { type Token, tokenize } from "./expr_tokens.ts";

/** How deeply expressions may nest before the parser refuses them. */
export const MAX_NESTING = 64;

const KEYWORDS = new Set(["true", "false", "nil", "and", "or", "not"]);

/** Binary levels from loosest to tightest; keyword aliases map to symbols. */
const LEVELS: Record<string, BinaryOperator>[] = [
  { "??": "??" },
  { "||": "||", or: "||" },
  { "&&": "&&", and: "&&" },
  { "==": "==", "!=": "!=" },
  { "<": "<", "<=": "<=", ">": ">", ">=": ">=" },
  { "+": "+", "-": "-" },
  { "*": "*", "/": "/", "%": "%" },
];

/** Parses `source` into a syntax tree; throws {@link ExprError} naming the column. */
export function parseExpression(source: string): ExprNode {
  if (source.trim() === "") throw new ExprError("empty expression", 0, source);
  return new Parser(source).parse();
}

class Parser {
  readonly #source: string;
  readonly #tokens: Token[];
  #index = 0;
  #depth = 0;

  constructor(source: string) {
    this.#source = source;
    this.#tokens = tokenize(source);
  }

  parse(): ExprNode {
    const node = this.#conditional();
    const next = this.#peek();
    if (next.kind !== "end") throw this.#unexpected(next);
    return node;
  }

  #peek(): Token {
    return this.#tokens[this.#index];
  }

  #next(): Token {
    return this.#tokens[this.#index++];
  }

  /** Whether the next token is operator or keyword `text`; consumes it if so. */
  #accept(text: string): Token | null {
    const token = this.#peek();
    const matches = token.kind === "op"
      ? token.text === text
      : token.kind === "name" && KEYWORDS.has(text) && token.text === text;
    if (!matches) return null;
    this.#index++;
    return token;
  }

  #expect(text: string, what: string): Token {
    const token = this.#accept(text);
    if (!token) throw this.#unexpected(this.#peek(), `expected ${what}`);
    return token;
  }

  #error(reason: string, position: number): ExprError {
    return new ExprError(reason, position, this.#source);
  }

  #unexpected(token: Token, expected?: string): ExprError {
    const found = token.kind === "end"
      ? "end of expression"
      : token.kind === "string"
      ? `string ${JSON.stringify(token.text)}`
      : `${JSON.stringify(token.text)}`;
    return this.#error(
      expected ? `${expected}, found ${found}` : `unexpected ${found}`,
      token.position,
    );
  }

  #nested<T>(position: number, parse: () => T): T {
    if (++this.#depth > MAX_NESTING) {
      throw this.#error(`expression nests deeper than ${MAX_NESTING} levels`, position);
    }
    try {
      return parse();
    } finally {
      this.#depth--;
    }
  }

  #conditional(): ExprNode {
    const test = this.#binary(0);
    const question = this.#accept("?");
    if (!question) return test;
    return this.#nested(question.position, () => {
      const then = this.#conditional();
      this.#expect(":", `":" of the conditional at column ${question.position + 1}`);
      const otherwise = this.#conditional();
      return { kind: "conditional", test, then, otherwise, position: question.position };
    });
  }

  #binary(level: number): ExprNode {
    if (level === LEVELS.length) return this.#unary();
    const operators = LEVELS[level];
    let left = this.#binary(level + 1);
    for (;;) {
      const token = this.#peek();
      const isOperator = (token.kind === "op" || token.kind === "name") &&
        Object.hasOwn(operators, token.text);
      if (!isOperator) return left;
      this.#index++;
      const right = this.#binary(level + 1);
      left = { kind: "binary", op: operators[token.text], left, right, position: token.position };
    }
  }

  #unary(): ExprNode {
    const token = this.#peek();
    const op = token.kind === "op" && ["!", "-", "+"].includes(token.text)
      ? token.text as "!" | "-" | "+"
      : token.kind === "name" && token.text === "not"
      ? "!"
      : null;
    if (!op) return this.#power();
    this.#index++;
    return this.#nested(token.position, () => ({
      kind: "unary",
      op,
      operand: this.#unary(),
      position: token.position,
    }));
  }

  /** `**` and `^` bind tighter than unary minus and are right-associative. */
  #power(): ExprNode {
    const base = this.#postfix();
    const token = this.#accept("**") ?? this.#accept("^");
    if (!token) return base;
    return this.#nested(token.position, () => ({
      kind: "binary",
      op: "**",
      left: base,
      right: this.#unary(),
      position: token.position,
    }));
  }

  #postfix(): ExprNode {
    let node = this.#primary();
    for (;;) {
      const dot = this.#accept(".");
      if (dot) {
        const name = this.#next();
        if (name.kind !== "name") throw this.#unexpected(name, 'expected a field name after "."');
        node = {
          kind: "member",
          object: node,
          property: { kind: "literal", value: name.text, position: name.position },
          position: name.position,
        };
        continue;
      }
      const bracket = this.#accept("[");
      if (bracket) {
        const property = this.#nested(bracket.position, () => this.#conditional());
        this.#expect("]", `"]" closing the "[" at column ${bracket.position + 1}`);
        node = { kind: "member", object: node, property, position: bracket.position };
        continue;
      }
      if (this.#peek().kind === "op" && this.#peek().text === "(") {
        throw this.#error("function calls are not supported", this.#peek().position);
      }
      return node;
    }
  }

  #primary(): ExprNode {
    const token = this.#next();
    const position = token.position;
    switch (token.kind) {
      case "number":
        return { kind: "literal", value: token.value!, position };
      case "string":
        return { kind: "literal", value: token.text, position };
      case "name":
        if (token.text === "true" || token.text === "false") {
          return { kind: "literal", value: token.text === "true", position };
        }
        if (token.text === "nil") return { kind: "literal", value: null, position };
        if (KEYWORDS.has(token.text)) throw this.#unexpected(token, "expected an operand");
        return { kind: "name", name: token.text, position };
      case "op":
        if (token.text === "(") {
          const inner = this.#nested(position, () => this.#conditional());
          this.#expect(")", `")" closing the "(" at column ${position + 1}`);
          return inner;
        }
        throw this.#unexpected(token, "expected an operand");
      default:
        throw this.#unexpected(token, "expected an operand");
    }
  }
}
