/**
 * The tokenizer of the rule expression language: numbers (with optional
 * fraction, exponent and `_` digit separators), single- or double-quoted
 * strings with backslash escapes, identifiers, keywords and operators.
 *
 * @module
 */
import { ExprError } from "./expr_error.ts";

/** The kinds of token. */
export type TokenKind = "number" | "string" | "name" | "op" | "end";

/** One token with its 0-based offset in the source. */
export interface Token {
  kind: TokenKind;
  /** The operator or name text; for strings the decoded value. */
  text: string;
  /** The value of a number token. */
  value?: number;
  position: number;
}

// Longest first, so that `**` wins over `*` and `==` over `=`-less prefixes.
const OPERATORS = [
  "&&",
  "||",
  "==",
  "!=",
  "<=",
  ">=",
  "**",
  "??",
  "!",
  "<",
  ">",
  "+",
  "-",
  "*",
  "/",
  "%",
  "^",
  "(",
  ")",
  "[",
  "]",
  ".",
  "?",
  ":",
  ",",
];

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  '"': '"',
  "'": "'",
};

const NUMBER = /(?:\d[\d_]*)?(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Splits `source` into tokens, ending with an `end` token; throws {@link ExprError}. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(source[i + 1] ?? ""))) {
      i = readNumber(source, i, tokens);
      continue;
    }
    if (c === '"' || c === "'") {
      i = readString(source, i, tokens);
      continue;
    }
    NAME.lastIndex = i;
    const name = NAME.exec(source);
    if (name) {
      tokens.push({ kind: "name", text: name[0], position: i });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new ExprError(`unexpected character ${JSON.stringify(c)}`, i, source);
    tokens.push({ kind: "op", text: op, position: i });
    i += op.length;
  }
  tokens.push({ kind: "end", text: "", position: source.length });
  return tokens;
}

function readNumber(source: string, start: number, tokens: Token[]): number {
  NUMBER.lastIndex = start;
  const text = NUMBER.exec(source)![0];
  const end = start + text.length;
  if (/[A-Za-z_]/.test(source[end] ?? "")) {
    throw new ExprError(`invalid number ${JSON.stringify(text + source[end])}`, start, source);
  }
  if (/_$|_\.|\._|__|_[eE]/.test(text)) {
    throw new ExprError(`invalid number ${JSON.stringify(text)}`, start, source);
  }
  tokens.push({ kind: "number", text, value: Number(text.replaceAll("_", "")), position: start });
  return end;
}

function readString(source: string, start: number, tokens: Token[]): number {
  const quote = source[start];
  let value = "";
  let i = start + 1;
  while (i < source.length && source[i] !== quote) {
    if (source[i] === "\\") {
      const escaped = ESCAPES[source[i + 1] ?? ""];
      if (escaped === undefined) {
        throw new ExprError(`invalid escape sequence in string`, i, source);
      }
      value += escaped;
      i += 2;
    } else {
      value += source[i++];
    }
  }
  if (i >= source.length) throw new ExprError("unterminated string", start, source);
  tokens.push({ kind: "string", text: value, position: start });
  return i + 1;
}
