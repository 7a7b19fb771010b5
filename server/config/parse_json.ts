/**
 * JSON parsing whose errors say where: `invalid JSON at line 3, column 5:
 * expected ',' or '}'`. V8's own messages carry no position for some errors,
 * so on failure a small syntax scanner finds the first offending character.
 *
 * @module
 */

/** Where a JSON text stops being valid, and why. */
export interface JsonErrorLocation {
  line: number;
  column: number;
  reason: string;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const ESCAPE = /^\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/;

class Stop extends Error {
  constructor(readonly offset: number, readonly reason: string) {
    super(reason);
  }
}

function scan(text: string): void {
  let i = 0;
  const stop = (reason: string, at = i): never => {
    throw new Stop(at, at >= text.length ? "unexpected end of input" : reason);
  };
  const skipSpace = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const expect = (char: string, reason: string) => {
    skipSpace();
    if (text[i] !== char) stop(reason);
    i++;
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) stop("control character in string (escape it, e.g. \\n)");
      if (text[i] === "\\") {
        const escape = ESCAPE.exec(text.slice(i, i + 6));
        if (!escape) stop("invalid escape sequence in string");
        i += escape![0].length;
      } else i++;
    }
    if (i >= text.length) stop("unterminated string");
    i++;
  };
  const value = (): void => {
    skipSpace();
    const char = text[i];
    if (char === "{") {
      i++;
      skipSpace();
      if (text[i] === "}") return void i++;
      for (;;) {
        skipSpace();
        if (text[i] !== '"') stop(`expected a double-quoted key, found '${text[i]}'`);
        string();
        expect(":", "expected ':' after the key");
        value();
        skipSpace();
        if (text[i] === "}") return void i++;
        if (text[i] !== ",") stop(`expected ',' or '}', found '${text[i]}'`);
        i++;
      }
    }
    if (char === "[") {
      i++;
      skipSpace();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        skipSpace();
        if (text[i] === "]") return void i++;
        if (text[i] !== ",") stop(`expected ',' or ']', found '${text[i]}'`);
        i++;
      }
    }
    if (char === '"') return string();
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, i)) return void (i += literal.length);
    }
    const number = NUMBER.exec(text.slice(i, i + 400));
    if (number) return void (i += number[0].length);
    stop(`expected a value, found '${char}'`);
  };
  value();
  skipSpace();
  if (i < text.length) stop("unexpected text after the JSON value");
}

/**
 * Finds the first syntax error in `text`; `undefined` when it is valid JSON.
 */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  try {
    scan(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.offset).split("\n");
    return {
      line: before.length,
      column: before[before.length - 1].length + 1,
      reason: error.reason,
    };
  }
}

/**
 * Parses JSON like `JSON.parse`, but a syntax error becomes an `Error` whose
 * message is `invalid JSON at line L, column C: <reason>`.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const where = locateJsonError(text);
    if (!where) throw error;
    throw new Error(`invalid JSON at line ${where.line}, column ${where.column}: ${where.reason}`);
  }
}
