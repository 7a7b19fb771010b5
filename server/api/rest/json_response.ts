/**
 * Success bodies as cc-backend's `json.Encoder` writes them: HTML-safe
 * escaping of `<`, `>` and `&`, and a trailing newline.
 *
 * @module
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { escapeGoJson } from "../../archive/go_json.ts";

/** Answers `value` as JSON (or `text`, already serialized) with `status` (default 200). */
export function jsonResponse(
  c: Context,
  value: unknown,
  options: { status?: ContentfulStatusCode; text?: string } = {},
): Response {
  const text = options.text ?? escapeGoJson(JSON.stringify(value));
  return c.body(text + "\n", options.status ?? 200, { "Content-Type": "application/json" });
}
