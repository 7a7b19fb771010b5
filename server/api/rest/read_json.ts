/**
 * Strict JSON request decoding, as cc-backend's `decode()`: an empty body, an
 * unknown key (at any depth) or a value of the wrong type is a 400 naming the
 * field. Shapes are JSON schemas checked with ajv; numbers meant as integers
 * must be safe integers.
 *
 * @module
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { Context } from "hono";
import { AppError } from "../../errors.ts";

/** A JSON schema object (draft-07 subset used for request bodies). */
export type BodySchema = Record<string, unknown>;

const ajv = new Ajv({ allErrors: false, strict: false });
const compiled = new WeakMap<BodySchema, ValidateFunction>();

/** Largest request body the API reads (bytes); larger ones get 413. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

function fieldPath(error: ErrorObject): string {
  return error.instancePath.slice(1).replace(/\//g, ".");
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && !Number.isInteger(value)) return "number";
  return typeof value;
}

function valueAt(root: unknown, path: string): unknown {
  let v = root;
  for (const key of path ? path.split(".") : []) v = (v as Record<string, unknown>)?.[key];
  return v;
}

/** Turns the first schema violation into cc-backend-like decoder text naming the field. */
export function describeViolation(error: ErrorObject, root: unknown): string {
  const path = fieldPath(error);
  const at = path ? ` "${path}"` : "";
  switch (error.keyword) {
    case "additionalProperties": {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      return `json: unknown field "${path ? `${path}.` : ""}${extra}"`;
    }
    case "type":
      return `json: field${at}: expected ${(error.params as { type: string }).type}, found ${
        typeName(valueAt(root, path))
      }`;
    case "required":
      return `json: missing field "${path ? `${path}.` : ""}${
        (error.params as { missingProperty: string }).missingProperty
      }"`;
    default:
      return `json: field${at}: ${error.message ?? "invalid value"}`;
  }
}

/** Checks an already parsed value against `schema`; throws a 400 with `prefix`. */
export function checkShape<T>(value: unknown, schema: BodySchema, prefix: string): T {
  const validate = compiled.get(schema) ?? ajv.compile(schema);
  compiled.set(schema, validate);
  if (!validate(value)) {
    throw new AppError(400, `${prefix}: ${describeViolation(validate.errors![0], value)}`);
  }
  return value as T;
}

/**
 * The request body, at most {@link MAX_BODY_BYTES} bytes, else a 413 starting
 * with `attempt`. A larger declared Content-Length is refused before reading;
 * a body without one (chunked) is read only until it passes the limit, so
 * that an endless body cannot exhaust the server's memory.
 */
export async function readBodyBytes(request: Request, attempt: string): Promise<Uint8Array> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    throw new AppError(
      413,
      `${attempt}: request body of ${declared} bytes exceeds ${MAX_BODY_BYTES}`,
    );
  }
  if (request.body === null) return new Uint8Array();
  // A declared length is enforced by the HTTP layer: read the body in one go.
  if (request.headers.has("Content-Length")) return new Uint8Array(await request.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new AppError(413, `${attempt}: request body exceeds ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

const decoder = new TextDecoder();

/** Reads the request body as JSON of `schema`'s shape; bad input is a 400 starting with `prefix`. */
export async function readJson<T>(c: Context, schema: BodySchema, prefix: string): Promise<T> {
  // Invalid UTF-8 becomes U+FFFD, as Go's decoder reads it.
  const text = decoder.decode(await readBodyBytes(c.req.raw, prefix));
  if (text.trim() === "") throw new AppError(400, `${prefix}: EOF`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError(400, `${prefix}: invalid JSON: ${(error as Error).message}`);
  }
  return checkShape<T>(value, schema, prefix);
}

/** Schema of a safe integer (the original's int64 fields). */
export const INTEGER: BodySchema = {
  type: "integer",
  minimum: Number.MIN_SAFE_INTEGER,
  maximum: Number.MAX_SAFE_INTEGER,
};
