/**
 * HTTP helpers of the job-control routes: integers from the path with Go's
 * parse errors, and job bodies in cc-backend's key order.
 *
 * @module
 */
import type { Context } from "hono";
import type { Job } from "../../archive/types.ts";
import { AppError } from "../../errors.ts";
import { parseGoInt } from "./go_int.ts";
import { jsonResponse } from "./json_response.ts";
import { restJobJson } from "./rest_job_json.ts";

/** A path integer: its value, the same as a database id, and as Go prints it. */
export interface PathInteger {
  /** The value (approximate beyond 2^53; fine for comparisons with start times). */
  value: number;
  /** The value as a row id; -1 (matches no row) when it is not exactly representable. */
  id: number;
  /** The value in decimal, as Go formats the parsed int64 (`+7` → `7`). */
  text: string;
}

/**
 * Parses a base-10 int64 path parameter as Go's `strconv.ParseInt`; a bad one
 * is a 400 `<prefix>: strconv.ParseInt: parsing "x": invalid syntax`.
 */
export function pathInteger(text: string, prefix: string): PathInteger {
  const parsed = parseGoInt(text);
  if (!parsed.ok) throw new AppError(400, `${prefix}: ${parsed.error}`);
  const value = Number(parsed.value);
  return {
    value,
    id: Number.isSafeInteger(value) ? value : -1,
    text: parsed.value.toString(),
  };
}

/** Answers a job as cc-backend encodes `schema.Job` (status 200). */
export function jobResponse(c: Context, job: Job): Response {
  return jsonResponse(c, null, { text: restJobJson(job) });
}
