/**
 * The JSON inside an event line's `event` field, decoded as strictly as the
 * REST bodies: the same schemas (unknown keys, wrong types and out-of-range
 * integers are rejected with the field's name).
 *
 * @module
 */
import { checkShape } from "../api/rest/read_json.ts";
import type { BodySchema } from "../api/rest/read_json.ts";
import { AppError } from "../errors.ts";

/**
 * Parses `payload` as JSON of `schema`'s shape. Throws an AppError 400
 * `<what>: parsing event failed: ...` (`payload is empty` for "").
 */
export function decodePayload<T>(payload: string, schema: BodySchema, what: string): T {
  if (payload === "") throw new AppError(400, `${what}: payload is empty`);
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch (error) {
    throw new AppError(
      400,
      `${what}: parsing event failed: invalid JSON: ${(error as Error).message}`,
    );
  }
  return checkShape<T>(value, schema, `${what}: parsing event failed`);
}
