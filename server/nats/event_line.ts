/**
 * Decoding the line-protocol lines of the NATS job and node-state subjects,
 * whose string field `event` carries a JSON document:
 *
 * ```
 * job,function=start_job event="{\"jobId\":1001,...}" 1234567890000000000
 * ```
 *
 * Rules (cc-lib's influx decoder as cc-backend uses it):
 * - `\,`, `\=` and `\ ` escape in the measurement, tag keys, tag values and
 *   field keys; any other backslash stays as it is.
 * - In string fields `\\`, `\"`, `\n`, `\r` and `\t` are escapes; any other
 *   backslash stays. So JSON inside a field must have every `\` doubled and
 *   every `"` escaped.
 * - A line needs a measurement, at least one field and a non-zero integer
 *   timestamp (nanoseconds; its value is not used).
 * - Blank lines and `#` comment lines are skipped; `\r\n` ends a line too.
 *
 * Not a hot path (one event per job start or stop), so it works on strings.
 *
 * @module
 */

/** A field value: a string, a number (float, `i` or `u` integer) or a boolean. */
export type FieldValue = string | number | boolean;

/** One decoded line. */
export interface EventLine {
  /** 1-based line number in the message. */
  lineNo: number;
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, FieldValue>;
  /** The timestamp as sent (nanoseconds by convention). */
  timestamp: bigint;
}

/** A line that could not be decoded. */
export interface BadLine {
  lineNo: number;
  error: string;
}

/** Result of {@link decodeEventLines}, in message order. */
export type DecodedLine = { ok: true; line: EventLine } | { ok: false; bad: BadLine };

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const UNSIGNED = /^\d+$/;
const TIMESTAMP = /^-?\d+$/;
const TRUE = new Set(["t", "T", "true", "True", "TRUE"]);
const FALSE = new Set(["f", "F", "false", "False", "FALSE"]);
const STRING_ESCAPES: Record<string, string> = { "\\": "\\", '"': '"', n: "\n", r: "\r", t: "\t" };

class LineError extends Error {}

/** Decodes every line of a message; a bad line does not stop the lines after it. */
export function decodeEventLines(text: string): DecodedLine[] {
  const out: DecodedLine[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].endsWith("\r") ? lines[i].slice(0, -1) : lines[i];
    const trimmed = raw.trimStart();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    try {
      out.push({ ok: true, line: decodeEventLine(trimmed, i + 1) });
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      out.push({ ok: false, bad: { lineNo: i + 1, error: error.message } });
    }
  }
  return out;
}

/** A cursor over one line. */
class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos];
  }
}

function decodeEventLine(text: string, lineNo: number): EventLine {
  const c = new Cursor(text);
  const measurement = readName(c, " ,");
  if (measurement === "") throw new LineError("missing measurement");
  const tags: Record<string, string> = {};
  while (c.peek() === ",") {
    c.pos++;
    const key = readName(c, "=, ");
    if (key === "") throw new LineError(`empty tag key after measurement ${quote(measurement)}`);
    if (c.peek() !== "=") throw new LineError(`tag ${quote(key)} has no value (expected "=")`);
    c.pos++;
    const value = readName(c, ", ");
    if (value === "") throw new LineError(`tag ${quote(key)} has an empty value`);
    tags[key] = value;
  }
  if (c.peek() !== " ") throw new LineError("missing fields");
  skipSpaces(c);
  const fields: Record<string, FieldValue> = {};
  for (;;) {
    const key = readName(c, "=, ");
    if (key === "") throw new LineError(c.done ? "missing fields" : "empty field key");
    if (c.peek() !== "=") throw new LineError(`field ${quote(key)} has no value (expected "=")`);
    c.pos++;
    fields[key] = readFieldValue(c, key);
    if (c.peek() !== ",") break;
    c.pos++;
  }
  skipSpaces(c);
  const stamp = text.slice(c.pos).trimEnd();
  if (stamp === "" || (TIMESTAMP.test(stamp) && BigInt(stamp) === 0n)) {
    throw new LineError("timestamp cannot be zero");
  }
  if (!TIMESTAMP.test(stamp)) throw new LineError(`invalid timestamp ${quote(stamp)}`);
  const timestamp = BigInt(stamp);
  if (timestamp > 9223372036854775807n || timestamp < -9223372036854775808n) {
    throw new LineError(`timestamp ${stamp} out of range`);
  }
  return { lineNo, measurement, tags, fields, timestamp };
}

/** Reads up to an unescaped character of `stops`; `\` escapes `,`, `=` and space. */
function readName(c: Cursor, stops: string): string {
  let out = "";
  while (!c.done) {
    const ch = c.peek();
    if (ch === "\\" && c.pos + 1 < c.text.length && ",= ".includes(c.text[c.pos + 1])) {
      out += c.text[c.pos + 1];
      c.pos += 2;
      continue;
    }
    if (stops.includes(ch)) break;
    if (ch === '"' && stops.includes("=")) throw new LineError(`unexpected '"' in a key`);
    out += ch;
    c.pos++;
  }
  return out;
}

function readFieldValue(c: Cursor, key: string): FieldValue {
  if (c.peek() === '"') return readString(c, key);
  const start = c.pos;
  while (!c.done && c.peek() !== "," && c.peek() !== " ") c.pos++;
  const token = c.text.slice(start, c.pos);
  if (token === "") throw new LineError(`field ${quote(key)} has an empty value`);
  if (TRUE.has(token)) return true;
  if (FALSE.has(token)) return false;
  const last = token[token.length - 1];
  if (last === "i" && INTEGER.test(token.slice(0, -1))) return Number(token.slice(0, -1));
  if (last === "u" && UNSIGNED.test(token.slice(0, -1))) return Number(token.slice(0, -1));
  if (NUMBER.test(token)) return Number(token);
  throw new LineError(`field ${quote(key)} has an invalid value ${quote(token)}`);
}

function readString(c: Cursor, key: string): string {
  c.pos++; // opening quote
  let out = "";
  while (!c.done) {
    const ch = c.peek();
    if (ch === '"') {
      c.pos++;
      if (!c.done && c.peek() !== "," && c.peek() !== " ") {
        throw new LineError(
          `field ${quote(key)}: unexpected ${quote(c.peek())} after the closing '"' ` +
            `(column ${c.pos + 1}; is a '"' inside the value not escaped?)`,
        );
      }
      return out;
    }
    if (ch === "\\" && c.pos + 1 < c.text.length) {
      const escaped = STRING_ESCAPES[c.text[c.pos + 1]];
      if (escaped !== undefined) {
        out += escaped;
        c.pos += 2;
        continue;
      }
    }
    out += ch;
    c.pos++;
  }
  throw new LineError(`field ${quote(key)}: string value without closing '"'`);
}

function skipSpaces(c: Cursor): void {
  while (c.peek() === " ") c.pos++;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}...` : s);
}

/**
 * Encodes `value` as a line-protocol string field value (quotes included):
 * the inverse of the decoder's string escapes. Publishers can use it.
 */
export function quoteFieldString(value: string): string {
  const escaped = value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')
    .replace(/\n/g, "\\n").replace(/\r/g, "\\r");
  return `"${escaped}"`;
}
